#include "omadm/testing/covers.hpp"
#include "package0_check.hpp"

#include <gtest/gtest.h>

namespace omadm::client {
namespace {

AccountConfig account() {
    AccountConfig a;
    a.server_id = "dmserver";
    a.server_password = "srvsecret";
    return a;
}

auth::Bytes notification(std::string server_id, std::string_view password, const auth::Bytes& nonce) {
    auth::Package0 p;
    p.version = 12;
    p.session_id = 0x1A2B;
    p.server_id = std::move(server_id);
    return *auth::encode_package0(p, password, nonce);
}

TEST(Package0Check, AcceptsAValidDigest) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    const auth::Bytes nonce{0, 0, 0, 0};
    const auto bytes = notification("dmserver", "srvsecret", nonce);
    const auto check = check_package0(bytes, account(), "AAAAAA==");
    EXPECT_EQ(check.verdict, Package0Verdict::Accepted);
    ASSERT_TRUE(check.message);
    EXPECT_EQ(auth::session_id_hex(check.message->session_id), "1A2B");
}

TEST(Package0Check, RejectsWrongPasswordNonceServerAndShortInput) {
    const auth::Bytes nonce{0, 0, 0, 0};
    EXPECT_EQ(check_package0(notification("dmserver", "wrong", nonce), account(), "AAAAAA==").verdict,
              Package0Verdict::BadDigest);
    EXPECT_EQ(check_package0(notification("dmserver", "srvsecret", nonce), account(), "AQIDBA==").verdict,
              Package0Verdict::BadDigest);
    EXPECT_EQ(check_package0(notification("other", "srvsecret", nonce), account(), "AAAAAA==").verdict,
              Package0Verdict::UnknownServer);
    const auth::Bytes shortbytes{1, 2, 3};
    EXPECT_EQ(check_package0(shortbytes, account(), "").verdict, Package0Verdict::Malformed);
}

} // namespace
} // namespace omadm::client
