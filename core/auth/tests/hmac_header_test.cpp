#include "omadm/auth/credentials.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>
#include <string_view>

namespace omadm::auth {
namespace {

TEST(HmacHeader, FormatsAsAospWritesIt) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    const HmacHeader h{"MD5", "dmclient", "ObxGvwUSxF8QXz5hdKD+xA=="};
    EXPECT_EQ(format_hmac_header(h), R"(algorithm=MD5, username="dmclient", mac=ObxGvwUSxF8QXz5hdKD+xA==)");
}

TEST(HmacHeader, RoundTripsThroughFormat) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    const HmacHeader h{"MD5", R"(odd "name", with\stuff)", "AAAA"};
    const auto parsed = parse_hmac_header(format_hmac_header(h));
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
    EXPECT_EQ(*parsed, h);
}

TEST(HmacHeader, QuotesAMacThatIsNoBase64Token) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    // Found by fuzz_hmac_header: a quoted mac holding a comma went out bare and parsed as two
    // parameters.
    const HmacHeader h{"MD5", "dev", "namemvac=AAdev,mac=AAx"};
    const auto parsed = parse_hmac_header(format_hmac_header(h));
    ASSERT_TRUE(parsed.has_value()) << parsed.error().message();
    EXPECT_EQ(*parsed, h);
}

TEST(HmacHeader, ParsesLenientVariants) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    constexpr std::string_view kVariants[] = {
        R"(algorithm=MD5, username="dmclient", mac=ObxGvwUSxF8QXz5hdKD+xA==)",
        R"(algorithm=MD5,username="dmclient",mac=ObxGvwUSxF8QXz5hdKD+xA==)",
        R"(  mac = ObxGvwUSxF8QXz5hdKD+xA== ,  username = "dmclient" , algorithm = md5  )",
        R"(username=dmclient, mac="ObxGvwUSxF8QXz5hdKD+xA==")",
        R"(Username="dmclient", MAC=ObxGvwUSxF8QXz5hdKD+xA==, ALGORITHM="MD5")",
        R"(username="dmclient", realm="x", mac=ObxGvwUSxF8QXz5hdKD+xA==,)",
    };
    const HmacHeader expected{"MD5", "dmclient", "ObxGvwUSxF8QXz5hdKD+xA=="};
    for (const auto v : kVariants) {
        const auto parsed = parse_hmac_header(v);
        ASSERT_TRUE(parsed.has_value()) << v << ": " << parsed.error().message();
        EXPECT_EQ(*parsed, expected) << v;
    }
}

TEST(HmacHeader, KeepsCommaInsideQuotedUsername) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    const auto parsed = parse_hmac_header(R"(username="a, b", mac=AAAA)");
    ASSERT_TRUE(parsed.has_value());
    EXPECT_EQ(parsed->username, "a, b");
}

TEST(HmacHeader, RejectsOtherAlgorithm) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    const auto parsed = parse_hmac_header(R"(algorithm=SHA1, username="dmclient", mac=AAAA)");
    ASSERT_FALSE(parsed.has_value());
    EXPECT_EQ(parsed.error().code, AuthErrc::unsupported_algorithm);
}

TEST(HmacHeader, RejectsMalformedValues) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    constexpr std::string_view kBad[] = {
        "",                                          // empty
        "   ,  ",                                    // separators only
        R"(algorithm=MD5, mac=AAAA)",                // username missing
        R"(algorithm=MD5, username="dmclient")",     // mac missing
        R"(username="", mac=AAAA)",                  // empty username
        R"(username="dmclient", mac=)",              // empty mac
        R"(username="dmclient, mac=AAAA)",           // unterminated quote
        R"(username "dmclient", mac=AAAA)",          // no '='
        R"(username="dmclient" x, mac=AAAA)",        // text after quoted value
        R"(=dmclient, mac=AAAA)",                    // empty parameter name
        R"(username="a", username="b", mac=AAAA)",   // repeated parameter
        R"(username="dmclient", mac=AAAA, mac=BBBB)" // repeated mac
    };
    for (const auto v : kBad) {
        const auto parsed = parse_hmac_header(v);
        ASSERT_FALSE(parsed.has_value()) << v;
        EXPECT_EQ(parsed.error().code, AuthErrc::bad_hmac_header) << v;
    }
}

} // namespace
} // namespace omadm::auth
