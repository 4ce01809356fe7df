#include "omadm/base/status_code.hpp"

#include <gtest/gtest.h>

namespace {
using omadm::base::StatusCode;

TEST(StatusCode, NamesKnownCodes) {
    EXPECT_EQ(omadm::base::status_name(StatusCode::NotFound), "Not found");
    EXPECT_EQ(omadm::base::status_name(StatusCode::AtomicRollbackOk), "Atomic roll back OK");
}

TEST(StatusCode, UnknownCodesRoundTripAndAreNamedUnknown) {
    const auto c = omadm::base::status_from_int(299);
    EXPECT_EQ(omadm::base::to_int(c), 299);
    EXPECT_EQ(omadm::base::status_name(c), "Unknown");
}

TEST(StatusCode, SuccessIsTwoHundreds) {
    EXPECT_TRUE(omadm::base::is_success(StatusCode::Accepted));
    EXPECT_FALSE(omadm::base::is_success(StatusCode::NotModified));
    EXPECT_FALSE(omadm::base::is_success(StatusCode::PermissionDenied));
}
} // namespace
