#include "omadm/testing/covers.hpp"
#include "omadm/tree/acl.hpp"

#include <gtest/gtest.h>

namespace {
using omadm::base::ServerId;
using namespace omadm::tree;

TEST(Acl, ParsesAndFormatsPreservingOrder) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_ATHOR_1);
    const char* text = "Get=*&Add=srvA&Replace=srvA+srvB";
    EXPECT_EQ(Acl::parse(text).value().format(), text);
}

TEST(Acl, GrantsNamedIdsAndStar) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_ATHOR_1);
    const auto acl = Acl::parse("Add=srvA&Replace=srvA+srvB&Get=*").value();
    EXPECT_TRUE(acl.grants(AclCommand::Add, ServerId{"srvA"}));
    EXPECT_FALSE(acl.grants(AclCommand::Add, ServerId{"srvB"}));
    EXPECT_TRUE(acl.grants(AclCommand::Replace, ServerId{"srvB"}));
    EXPECT_TRUE(acl.grants(AclCommand::Get, ServerId{"anyone"}));
    EXPECT_FALSE(acl.grants(AclCommand::Delete, ServerId{"srvA"}));
}

TEST(Acl, RejectsGrammarViolations) {
    for (const char* bad : {"Add", "Add=", "Copy=srvA", "Add=srvA&", "Add=a b", "Add=a+", "Get=a*b", "=x"}) {
        EXPECT_FALSE(Acl::parse(bad)) << bad;
    }
}

TEST(Acl, EmptyTextIsTheEmptyAcl) {
    EXPECT_TRUE(Acl::parse("").value().empty());
}

TEST(Acl, RevokeDropsEntriesLeftEmpty) {
    auto acl = Acl::parse("Add=srvA&Get=srvA+srvB").value();
    acl.revoke_everywhere("srvA");
    EXPECT_EQ(acl.format(), "Get=srvB");
}

TEST(Acl, RootDefault) {
    EXPECT_EQ(Acl::root_default().format(), "Add=*&Get=*");
}

} // namespace
