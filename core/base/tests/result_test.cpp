#include "omadm/base/result.hpp"

#include <gtest/gtest.h>
#include <stdexcept>

namespace {
using omadm::base::Error;
using omadm::base::Result;

Result<int> parse_positive(int v) {
    if (v <= 0) return Error{std::make_error_code(std::errc::invalid_argument), "value must be > 0"};
    return v;
}

TEST(Result, CarriesValue) {
    auto r = parse_positive(3);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(*r, 3);
}

TEST(Result, CarriesErrorWithDetail) {
    auto r = parse_positive(-1);
    ASSERT_TRUE(r.has_error());
    EXPECT_EQ(r.error().code, std::make_error_code(std::errc::invalid_argument));
    EXPECT_NE(r.error().message().find("value must be > 0"), std::string::npos);
}

TEST(Result, ValueOnErrorThrowsSystemError) {
    auto r = parse_positive(0);
    EXPECT_THROW((void)r.value(), std::system_error);
}
} // namespace
