#include "omadm/auth/credentials.hpp"

#include <gtest/gtest.h>
#include <string>
#include <string_view>

namespace omadm::auth {
namespace {

std::string as_text(const Bytes& b) {
    return {b.begin(), b.end()};
}

struct Rfc4648Vector {
    std::string_view plain;
    std::string_view encoded;
};
constexpr Rfc4648Vector kRfc4648[] = {
    {"", ""},
    {"f", "Zg=="},
    {"fo", "Zm8="},
    {"foo", "Zm9v"},
    {"foob", "Zm9vYg=="},
    {"fooba", "Zm9vYmE="},
    {"foobar", "Zm9vYmFy"},
};

TEST(Base64, EncodesRfc4648Vectors) {
    for (const auto& v : kRfc4648) {
        EXPECT_EQ(base64_encode(v.plain), v.encoded) << v.plain;
    }
}

TEST(Base64, DecodesRfc4648Vectors) {
    for (const auto& v : kRfc4648) {
        const auto decoded = base64_decode(v.encoded);
        ASSERT_TRUE(decoded.has_value()) << v.encoded;
        EXPECT_EQ(as_text(*decoded), v.plain);
    }
}

TEST(Base64, RoundTripsEveryByteValue) {
    Bytes all;
    for (unsigned i = 0; i < 256; ++i)
        all.push_back(static_cast<std::uint8_t>(i));
    for (std::size_t len = 0; len <= all.size(); len += 37) {
        const Bytes part(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(len));
        const auto decoded = base64_decode(base64_encode(part));
        ASSERT_TRUE(decoded.has_value());
        EXPECT_EQ(*decoded, part);
    }
}

TEST(Base64, DecodeIgnoresWhitespaceAnywhere) {
    const auto decoded = base64_decode(" Zm9v\r\nYm\tFy \n");
    ASSERT_TRUE(decoded.has_value());
    EXPECT_EQ(as_text(*decoded), "foobar");
}

TEST(Base64, DecodeRejectsMalformedInput) {
    constexpr std::string_view kBad[] = {
        "Zm9",      // length not a multiple of 4
        "Zg",       // padding missing
        "Zm9v!A==", // character outside the alphabet
        "Zm-_",     // base64url alphabet
        "Z===",     // three padding characters
        "====",     // padding only
        "Zg==Zm8=", // data after padding
        "Zm=v",     // padding in the middle of a quantum
        "Zh==",     // non-zero pad bits (one byte)
        "Zm9=",     // non-zero pad bits (two bytes)
    };
    for (const auto text : kBad) {
        const auto decoded = base64_decode(text);
        ASSERT_FALSE(decoded.has_value()) << text;
        EXPECT_EQ(decoded.error().code, AuthErrc::bad_base64) << text;
    }
}

TEST(HexEncode, WritesTwoLowerCaseDigitsPerByte) {
    const std::uint8_t bytes[] = {0x00, 0x0f, 0xa0, 0xff};
    EXPECT_EQ(hex_encode(bytes), "000fa0ff");
    EXPECT_EQ(hex_encode({}), "");
}

} // namespace
} // namespace omadm::auth
