#include "omadm/policy/desc_value.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>

namespace omadm::policy {
namespace {

using omadm::testing::covers;

TEST(DescValue, LiteralsKeepTheirKind) {
    covers(req::MgmtPolicyMO_HLF_9);
    EXPECT_EQ(DescValue{}.kind_name(), "null");
    EXPECT_EQ(DescValue{true}.kind_name(), "bool");
    EXPECT_EQ(DescValue{7}.kind_name(), "int");
    EXPECT_EQ(DescValue{1.5}.kind_name(), "double");
    EXPECT_EQ(DescValue{"text"}.kind_name(), "string"); // not converted to bool
    EXPECT_EQ(DescValue{DescArray{}}.kind_name(), "array");
    EXPECT_EQ(DescValue{DescObject{}}.kind_name(), "object");
}

TEST(DescValue, FindLooksUpObjectMembers) {
    covers(req::MgmtPolicyMO_HLF_9);
    const DescValue v = DescObject{{"id", "p1"}, {"priority", 3}};
    ASSERT_NE(v.find("priority"), nullptr);
    EXPECT_EQ(*v.find("priority")->as<std::int64_t>(), 3);
    EXPECT_EQ(v.find("name"), nullptr);
    EXPECT_EQ(DescValue{"p1"}.find("id"), nullptr);
}

} // namespace
} // namespace omadm::policy
