#include "omadm/auth/credentials.hpp"
#include "omadm/auth/package0.hpp"
#include "omadm/testing/covers.hpp"

#include <array>
#include <gtest/gtest.h>
#include <string>

namespace omadm::auth {
namespace {

constexpr std::array<std::uint8_t, 4> kZeroNonce{};
constexpr std::string_view kPassword = "srvsecret";

// Self-computed vector for the layout of OMA-TS-DM_Notification-V1_2_1 §6
// (docs/protocol-notes.md#test-vectors).
Package0 vector_package() {
    Package0 p;
    p.version = 12;
    p.ui_mode = UiMode::NotSpecified;
    p.initiator = Initiator::Server;
    p.session_id = 0x1A2B;
    p.server_id = "dmserver";
    return p;
}

Bytes encoded_vector() {
    auto bytes = encode_package0(vector_package(), kPassword, kZeroNonce);
    OMADM_CHECK(bytes.has_value());
    return *bytes;
}

TEST(Package0, TriggerMatchesProtocolVector) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    const auto trigger = encode_trigger(vector_package());
    ASSERT_TRUE(trigger.has_value());
    EXPECT_EQ(hex_encode(*trigger), "03080000001a2b08646d736572766572");
}

TEST(Package0, DigestMatchesProtocolVector) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1, req::MgmtPolicyMO_OSR_01);
    const auto trigger = encode_trigger(vector_package());
    ASSERT_TRUE(trigger.has_value());
    EXPECT_EQ(hex_encode(notification_digest("dmserver", kPassword, kZeroNonce, *trigger)),
              "67cad97f2fb5def9fa829d3dc8a4cbb0");
}

TEST(Package0, EncodeIsDigestThenTrigger) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    EXPECT_EQ(hex_encode(encoded_vector()), "67cad97f2fb5def9fa829d3dc8a4cbb0"
                                            "03080000001a2b08646d736572766572");
}

TEST(Package0, HeaderStartsWithVersionUiAndInitiator) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    struct Case {
        std::uint16_t version;
        std::string_view first_bytes;
    };
    constexpr Case kCases[] = {{11, "02c8"}, {12, "0308"}, {13, "0348"}};
    for (const auto& c : kCases) {
        Package0 p = vector_package();
        p.version = c.version;
        const auto trigger = encode_trigger(p);
        ASSERT_TRUE(trigger.has_value());
        EXPECT_EQ(hex_encode(std::span(*trigger).first(2)), c.first_bytes) << c.version;
    }
}

TEST(Package0, DecodesEveryField) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Package0 p = vector_package();
    p.version = 1023;
    p.ui_mode = UiMode::UserInteraction;
    p.initiator = Initiator::Client;
    p.future_use = 0x5A5A5A5;
    p.session_id = 0xFFFF;
    p.vendor_specific = {0xDE, 0xAD, 0xBE, 0xEF};
    const auto bytes = encode_package0(p, kPassword, kZeroNonce);
    ASSERT_TRUE(bytes.has_value());
    const auto decoded = decode_package0(*bytes);
    ASSERT_TRUE(decoded.has_value());
    p.digest = decoded->digest;
    EXPECT_EQ(*decoded, p);
    EXPECT_EQ(hex_encode(decoded->digest), hex_encode(std::span(*bytes).first(16)));
}

TEST(Package0, DecodeAcceptsAnyVersionAndEmptyServerId) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Bytes bytes(24, 0);
    bytes[16] = 0xFF; // version 1023, ui 3, initiator 1
    bytes[17] = 0xF8;
    const auto decoded = decode_package0(bytes);
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(decoded->version, 1023);
    EXPECT_EQ(decoded->ui_mode, UiMode::UserInteraction);
    EXPECT_EQ(decoded->initiator, Initiator::Server);
    EXPECT_EQ(decoded->session_id, 0);
    EXPECT_TRUE(decoded->server_id.empty());
    EXPECT_TRUE(decoded->vendor_specific.empty());
}

TEST(Package0, VerifiesWithRightPasswordAndNonce) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    EXPECT_TRUE(verify_package0(encoded_vector(), kPassword, kZeroNonce));
}

TEST(Package0, RejectsWrongPasswordOrNonce) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    const Bytes bytes = encoded_vector();
    constexpr std::array<std::uint8_t, 4> kOtherNonce{0, 0, 0, 1};
    EXPECT_FALSE(verify_package0(bytes, "srvsecreT", kZeroNonce));
    EXPECT_FALSE(verify_package0(bytes, kPassword, kOtherNonce));
    EXPECT_FALSE(verify_package0(bytes, kPassword, std::span<const std::uint8_t>{}));
}

TEST(Package0, RejectsEveryTamperedByte) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    const Bytes good = encoded_vector();
    for (std::size_t i = 0; i < good.size(); ++i) {
        Bytes bad = good;
        bad[i] ^= 0x01U;
        EXPECT_FALSE(verify_package0(bad, kPassword, kZeroNonce)) << "byte " << i;
    }
}

TEST(Package0, RejectsAppendedVendorData) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    Bytes bytes = encoded_vector();
    bytes.push_back(0x00);
    EXPECT_FALSE(verify_package0(bytes, kPassword, kZeroNonce));
}

TEST(Package0, RejectsTruncatedPackage) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    const Bytes good = encoded_vector();
    for (std::size_t len = 0; len < good.size(); ++len) {
        const auto decoded = decode_package0(std::span(good).first(len));
        ASSERT_FALSE(decoded.has_value()) << len;
        EXPECT_EQ(decoded.error().code, Package0Errc::too_short) << len;
        EXPECT_FALSE(verify_package0(std::span(good).first(len), kPassword, kZeroNonce)) << len;
    }
}

TEST(Package0, RejectsServerIdLengthPastTheEnd) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Bytes bytes = encoded_vector();
    bytes[23] = 9; // one more than "dmserver"
    const auto decoded = decode_package0(bytes);
    ASSERT_FALSE(decoded.has_value());
    EXPECT_EQ(decoded.error().code, Package0Errc::too_short);
}

TEST(Package0, EncodeRejectsOutOfRangeFields) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    struct Case {
        Package0 p;
        Package0Errc expected;
    };
    std::vector<Case> cases(5, Case{vector_package(), Package0Errc::ok});
    cases[0].p.version = 1024;
    cases[0].expected = Package0Errc::bad_version;
    cases[1].p.server_id.assign(256, 'x');
    cases[1].expected = Package0Errc::server_id_too_long;
    cases[2].p.session_id = 0;
    cases[2].expected = Package0Errc::bad_session_id;
    cases[3].p.future_use = 0x8000000;
    cases[3].expected = Package0Errc::bad_field;
    cases[4].p.ui_mode = static_cast<UiMode>(4);
    cases[4].expected = Package0Errc::bad_field;
    for (const auto& c : cases) {
        const auto bytes = encode_package0(c.p, kPassword, kZeroNonce);
        ASSERT_FALSE(bytes.has_value());
        EXPECT_EQ(bytes.error().code, c.expected) << bytes.error().message();
    }
}

TEST(Package0, EncodeAcceptsLongestServerId) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Package0 p = vector_package();
    p.server_id.assign(255, 's');
    const auto bytes = encode_package0(p, kPassword, kZeroNonce);
    ASSERT_TRUE(bytes.has_value());
    EXPECT_TRUE(verify_package0(*bytes, kPassword, kZeroNonce));
}

TEST(SessionIdHex, IsUpperCaseWithoutLeadingZeros) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    EXPECT_EQ(session_id_hex(0x1A2B), "1A2B");
    EXPECT_EQ(session_id_hex(0x00AB), "AB");
    EXPECT_EQ(session_id_hex(0x0001), "1");
    EXPECT_EQ(session_id_hex(0xFFFF), "FFFF");
    EXPECT_EQ(session_id_hex(0x0100), "100");
    EXPECT_EQ(session_id_hex(0), "0");
}

} // namespace
} // namespace omadm::auth
