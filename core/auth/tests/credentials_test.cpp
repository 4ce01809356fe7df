#include "omadm/auth/credentials.hpp"
#include "omadm/base/random.hpp"
#include "omadm/testing/covers.hpp"

#include <array>
#include <gtest/gtest.h>
#include <string_view>

namespace omadm::auth {
namespace {

Bytes bytes_of(std::string_view s) {
    return {s.begin(), s.end()};
}

// Vectors of docs/protocol-notes.md#test-vectors.
constexpr std::string_view kUser = "Bruce2";
constexpr std::string_view kPassword = "OhBehave";
constexpr std::string_view kSpecNonce = "Nonce";
constexpr std::string_view kSpecMd5 = "Zz6EivR3yeaaENcRN6lpAQ==";
constexpr std::string_view kSpecBasic = "QnJ1Y2UyOk9oQmVoYXZl";

constexpr std::string_view kMacUser = "dmclient";
constexpr std::string_view kMacPassword = "secret";
constexpr std::string_view kMacNonce = "0123456789ABCDEF";
constexpr std::string_view kMacBody = R"(<SyncML xmlns="SYNCML:SYNCML1.2"></SyncML>)";
constexpr std::string_view kMacVector = "ObxGvwUSxF8QXz5hdKD+xA==";

TEST(BasicCredential, MatchesSpecVector) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1, req::MgmtPolicyMO_OSR_01);
    EXPECT_EQ(basic_credential(kUser, kPassword), kSpecBasic);
}

TEST(BasicCredential, ParsesSpecVector) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    const auto id = parse_basic_credential(kSpecBasic);
    ASSERT_TRUE(id.has_value());
    EXPECT_EQ(id->user, kUser);
    EXPECT_EQ(id->password, kPassword);
}

TEST(BasicCredential, SplitsAtFirstColon) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    const auto id = parse_basic_credential(basic_credential("user", "pa:ss"));
    ASSERT_TRUE(id.has_value());
    EXPECT_EQ(id->user, "user");
    EXPECT_EQ(id->password, "pa:ss");
}

TEST(BasicCredential, RejectsMissingColonAndBadBase64) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    for (const std::string_view text : {std::string_view("QnJ1Y2Uy"), std::string_view("QnJ1Y2Uy*")}) {
        const auto id = parse_basic_credential(text);
        ASSERT_FALSE(id.has_value()) << text;
        EXPECT_EQ(id.error().code, AuthErrc::bad_basic_credential) << text;
    }
}

TEST(Md5Credential, MatchesSpecVector) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1, req::MgmtPolicyMO_OSR_01);
    EXPECT_EQ(md5_credential(kUser, kPassword, bytes_of(kSpecNonce)), kSpecMd5);
}

TEST(Md5Credential, VerifiesWithDecodedNonceByDefault) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    const std::string nonce_b64 = base64_encode(kSpecNonce);
    EXPECT_TRUE(verify_md5_credential(kSpecMd5, kUser, kPassword, nonce_b64));
    EXPECT_TRUE(verify_md5_credential(kSpecMd5, kUser, kPassword, nonce_b64, kAnyNonceForm));
}

TEST(Md5Credential, VerifiesTextNonceOnlyWhenAccepted) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    const std::string nonce_b64 = base64_encode(kSpecNonce);
    const std::string text_form = md5_credential(kUser, kPassword, bytes_of(nonce_b64));
    constexpr std::array kTextOnly{NonceForm::Text};
    EXPECT_FALSE(verify_md5_credential(text_form, kUser, kPassword, nonce_b64));
    EXPECT_TRUE(verify_md5_credential(text_form, kUser, kPassword, nonce_b64, kTextOnly));
    EXPECT_TRUE(verify_md5_credential(text_form, kUser, kPassword, nonce_b64, kAnyNonceForm));
    EXPECT_FALSE(verify_md5_credential(kSpecMd5, kUser, kPassword, nonce_b64, kTextOnly));
}

TEST(Md5Credential, AcceptsWhitespaceInReceivedCredential) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    EXPECT_TRUE(
        verify_md5_credential("Zz6EivR3yeaa\nENcRN6lpAQ== ", kUser, kPassword, base64_encode(kSpecNonce)));
}

TEST(Md5Credential, RejectsWrongPasswordUserOrNonce) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    const std::string nonce_b64 = base64_encode(kSpecNonce);
    EXPECT_FALSE(verify_md5_credential(kSpecMd5, kUser, "OhBehave!", nonce_b64, kAnyNonceForm));
    EXPECT_FALSE(verify_md5_credential(kSpecMd5, "Bruce3", kPassword, nonce_b64, kAnyNonceForm));
    EXPECT_FALSE(verify_md5_credential(kSpecMd5, kUser, kPassword, base64_encode("Nonce2"), kAnyNonceForm));
}

TEST(Md5Credential, RejectsMalformedCredentialOrNonce) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    const std::string nonce_b64 = base64_encode(kSpecNonce);
    EXPECT_FALSE(verify_md5_credential("Zz6EivR3yeaaENcRN6lpAQ", kUser, kPassword, nonce_b64)); // no padding
    EXPECT_FALSE(verify_md5_credential("Zz6EivR3yeaaENcRN6lp", kUser, kPassword, nonce_b64));   // 15 bytes
    EXPECT_FALSE(verify_md5_credential("", kUser, kPassword, nonce_b64));                       // empty
    EXPECT_FALSE(verify_md5_credential(kSpecMd5, kUser, kPassword, "Tm9uY2U"));                 // bad nonce
    EXPECT_FALSE(verify_md5_credential(kSpecMd5, kUser, kPassword, nonce_b64, std::span<const NonceForm>{}));
}

TEST(HmacMac, MatchesProtocolVector) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1, req::MgmtPolicyMO_OSR_01);
    EXPECT_EQ(hmac_mac(kMacUser, kMacPassword, bytes_of(kMacNonce), kMacBody), kMacVector);
    EXPECT_EQ(hmac_mac(kMacUser, kMacPassword, bytes_of(kMacNonce), bytes_of(kMacBody)), kMacVector);
}

TEST(HmacMac, VerifiesOverExactBody) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    const std::string nonce_b64 = base64_encode(kMacNonce);
    EXPECT_TRUE(verify_hmac_mac(kMacVector, kMacUser, kMacPassword, nonce_b64, kMacBody));
    EXPECT_TRUE(verify_hmac_mac(kMacVector, kMacUser, kMacPassword, nonce_b64, bytes_of(kMacBody)));
}

TEST(HmacMac, RejectsTamperedBodyOrWrongSecrets) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    const std::string nonce_b64 = base64_encode(kMacNonce);
    Bytes tampered = bytes_of(kMacBody);
    tampered[10] ^= 0x01U;
    EXPECT_FALSE(verify_hmac_mac(kMacVector, kMacUser, kMacPassword, nonce_b64, tampered, kAnyNonceForm));
    EXPECT_FALSE(
        verify_hmac_mac(kMacVector, kMacUser, kMacPassword, nonce_b64, std::string(kMacBody) + "\n"));
    EXPECT_FALSE(verify_hmac_mac(kMacVector, kMacUser, "Secret", nonce_b64, kMacBody, kAnyNonceForm));
    EXPECT_FALSE(verify_hmac_mac(kMacVector, kMacUser, kMacPassword, base64_encode("0123456789ABCDEG"),
                                 kMacBody, kAnyNonceForm));
    EXPECT_FALSE(verify_hmac_mac("ObxGvwUSxF8QXz5hdKD+xA", kMacUser, kMacPassword, nonce_b64, kMacBody));
}

TEST(Nonce, IsBase64OfRequestedLength) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    base::SeededRandom random(42);
    for (const std::size_t n : {std::size_t{16}, std::size_t{4}, std::size_t{32}}) {
        const auto decoded = base64_decode(make_nonce_b64(random, n));
        ASSERT_TRUE(decoded.has_value());
        EXPECT_EQ(decoded->size(), n);
    }
}

TEST(Nonce, IsFreshAndDeterministicPerSeed) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    base::SeededRandom a(7);
    base::SeededRandom b(7);
    const std::string first = make_nonce_b64(a);
    EXPECT_EQ(first, make_nonce_b64(b));
    EXPECT_NE(first, make_nonce_b64(a));
}

} // namespace
} // namespace omadm::auth
