#include "omadm/testing/covers.hpp"
#include "omadm/tree/tree.hpp"
#include "tree_fixture.hpp"

#include <gtest/gtest.h>

namespace {
using omadm::base::StatusCode;
using namespace omadm::tree;
using namespace omadm::tree::test;

TEST(TreeAcl, RootDefaultsToAddAndGetForEveryone) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_ATHOR_1);
    Tree t;
    EXPECT_EQ(t.get(srv("x"), target(".?prop=ACL")).items.at(0).data, "Add=*&Get=*");
}

TEST(TreeAcl, EmptyAclInheritsTheNearestAncestorWhole) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_ATHOR_1);
    Tree t;
    seed(t);
    ASSERT_EQ(t.add(kBoot, uri("A/D/E"), leaf("e"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.effective_acl(uri("A/D/E")).format(),
              "Add=srvA&Delete=srvA&Exec=srvA&Get=srvA+srvB&Replace=srvA");
    // Whole-ACL inheritance: a node's own ACL without Get hides it even though the parent allows Get.
    ASSERT_EQ(t.replace(srv("srvA"), target("A/D?prop=ACL"), value("Replace=srvA"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.get(srv("srvB"), uri("A/D/E")).status, StatusCode::PermissionDenied);
    EXPECT_EQ(t.get(srv("srvB"), uri("A/L")).status, StatusCode::Ok);
}

TEST(TreeAcl, GetOfAnInheritedAclIsEmptyByDefault) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_ATHOR_1);
    Tree t;
    seed(t);
    const auto r = t.get(srv("srvA"), target("A/L?prop=ACL"));
    EXPECT_EQ(r.status, StatusCode::Ok);
    EXPECT_EQ(r.items.at(0).data, "");
}

TEST(TreeAcl, GetOfAnInheritedAclGives217WhenConfigured) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_ATHOR_1);
    TreeOptions o;
    o.inherited_acl_get = InheritedAclGet::InheritedWith217;
    Tree t(o);
    seed(t);
    const auto r = t.get(srv("srvA"), target("A/L?prop=ACL"));
    EXPECT_EQ(r.status, StatusCode::OkInheritedAcl);
    EXPECT_EQ(r.items.at(0).data, "Add=srvA&Delete=srvA&Exec=srvA&Get=srvA+srvB&Replace=srvA");
}

TEST(TreeAcl, InteriorNodeCreatorWithoutParentReplaceGetsAddDeleteReplace) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_ATHOR_1);
    Tree t; // root: Add=*&Get=*, so srvX has Add but not Replace on the root
    ASSERT_EQ(t.add(srv("srvX"), uri("Mine"), interior(), kNow), StatusCode::Ok);
    EXPECT_EQ(t.find(uri("Mine"))->acl.format(), "Add=srvX&Delete=srvX&Replace=srvX");
    EXPECT_EQ(t.remove(srv("other"), uri("Mine"), kNow), StatusCode::PermissionDenied);
    EXPECT_EQ(t.remove(srv("srvX"), uri("Mine"), kNow), StatusCode::Ok);
}

TEST(TreeAcl, ImplicitParentsGetTheCreatorExceptionOnlyAtTheTop) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_ATHOR_1);
    Tree t;
    ASSERT_EQ(t.add(srv("srvX"), uri("P/Q/R"), leaf("v"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.find(uri("P"))->acl.format(), "Add=srvX&Delete=srvX&Replace=srvX");
    EXPECT_TRUE(t.find(uri("P/Q"))->acl.empty());
    EXPECT_TRUE(t.find(uri("P/Q/R"))->acl.empty());
}

TEST(TreeAcl, CreatorWithParentReplaceGetsAnEmptyAcl) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_ATHOR_1);
    Tree t;
    seed(t);
    ASSERT_EQ(t.add(srv("srvA"), uri("A/Sub"), interior(), kNow), StatusCode::Ok);
    EXPECT_TRUE(t.find(uri("A/Sub"))->acl.empty());
}

TEST(TreeAcl, LeafAclChangeNeedsReplaceOnTheParent) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_ATHOR_1);
    Tree t;
    seed(t);
    ASSERT_EQ(t.replace(srv("srvA"), target("A/L?prop=ACL"), value("Get=srvB&Replace=srvB"), kNow),
              StatusCode::Ok);
    // srvB has Replace on the leaf but not on its parent A: it may not change the leaf's ACL.
    EXPECT_EQ(t.replace(srv("srvB"), target("A/L?prop=ACL"), value("Get=*"), kNow),
              StatusCode::PermissionDenied);
    EXPECT_EQ(t.replace(srv("srvB"), uri("A/L"), value("ok"), kNow), StatusCode::Ok);
}

TEST(TreeAcl, InteriorAclChangeNeedsReplaceOnTheNode) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_ATHOR_1);
    Tree t;
    seed(t);
    EXPECT_EQ(t.replace(srv("srvB"), target("A?prop=ACL"), value("Get=*"), kNow),
              StatusCode::PermissionDenied);
    EXPECT_EQ(t.replace(srv("srvA"), target("A?prop=ACL"), value("Get=*&Replace=srvB"), kNow),
              StatusCode::Ok);
    EXPECT_EQ(t.get(srv("srvB"), target("A?prop=ACL")).items.at(0).data, "Get=*&Replace=srvB");
}

TEST(TreeAcl, RootAddMustStayStar) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_ATHOR_1);
    TreeOptions o;
    o.root_acl = Acl::parse("Add=*&Get=*&Replace=srvA").value();
    Tree t(o);
    EXPECT_EQ(t.replace(srv("srvA"), target(".?prop=ACL"), value("Add=srvA&Get=*&Replace=srvA"), kNow),
              StatusCode::CommandNotAllowed);
    EXPECT_EQ(t.replace(srv("srvA"), target(".?prop=ACL"), value("Add=*&Get=srvA&Replace=srvA"), kNow),
              StatusCode::Ok);
}

TEST(TreeAcl, DevicePrincipalMatchesOnlyStarUnlessBypassed) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_ATHOR_1);
    Tree enforcing;
    seed(enforcing);
    EXPECT_EQ(enforcing.get(Principal::device(), uri("A/L")).status, StatusCode::PermissionDenied);
    EXPECT_EQ(enforcing.get(Principal::device(), uri(".")).status, StatusCode::Ok);
    TreeOptions o;
    o.device_acl = DeviceAcl::Bypass;
    Tree bypassing(o);
    seed(bypassing);
    EXPECT_EQ(bypassing.get(Principal::device(), uri("A/L")).status, StatusCode::Ok);
}

TEST(TreeAcl, RevokingAServerStripsItEverywhere) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_ATHOR_1);
    Tree t;
    seed(t);
    t.revoke_server(omadm::base::ServerId{"srvA"}, kNow);
    EXPECT_EQ(t.find(uri("A"))->acl.format(), "Get=srvB");
}

} // namespace
