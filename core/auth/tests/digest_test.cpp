#include "omadm/auth/credentials.hpp"

#include <gtest/gtest.h>
#include <string>

namespace omadm::auth {
namespace {

TEST(Md5, MatchesRfc1321Vectors) {
    EXPECT_EQ(hex_encode(md5("")), "d41d8cd98f00b204e9800998ecf8427e");
    EXPECT_EQ(hex_encode(md5("abc")), "900150983cd24fb0d6963f7d28e17f72");
    EXPECT_EQ(hex_encode(md5("message digest")), "f96b697d7cb7938d525a2f31aaf161d0");
}

TEST(Md5, BytesAndTextOverloadsAgree) {
    const Bytes abc{'a', 'b', 'c'};
    EXPECT_EQ(md5(abc), md5("abc"));
}

} // namespace
} // namespace omadm::auth
