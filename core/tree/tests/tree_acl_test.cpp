#include "omadm/testing/covers.hpp"
#include "omadm/tree/tree.hpp"
#include "tree_fixture.hpp"

#include <gtest/gtest.h>

namespace omadm::tree::test {
namespace {

/// `by` replaces the ACL of `node` with `acl`.
StatusCode replace_acl(Tree& t, std::string_view by, std::string_view node, std::string acl) {
    return t.replace(srv(by), target(std::string(node) + "?prop=ACL"), value(std::move(acl)), kNow);
}

/// `by` gets the ACL of `node`.
GetResult get_acl(const Tree& t, std::string_view by, std::string_view node) {
    return t.get(srv(by), target(std::string(node) + "?prop=ACL"));
}

TEST(TreeAcl, RootDefaultsToAddAndGetForEveryone) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    Tree t;
    EXPECT_EQ(get_acl(t, "x", ".").items.at(0).data, "Add=*&Get=*");
}

TEST(TreeAcl, EmptyAclInheritsTheNearestAncestorWhole) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    Tree t = seeded_tree();
    ASSERT_EQ(t.add(kBoot, uri("A/D/E"), leaf("e"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.effective_acl(uri("A/D/E")).format(),
              "Add=srvA&Delete=srvA&Exec=srvA&Get=srvA+srvB&Replace=srvA");
    // Whole-ACL inheritance: a node's own ACL without Get hides it even though the parent allows Get.
    ASSERT_EQ(replace_acl(t, "srvA", "A/D", "Replace=srvA"), StatusCode::Ok);
    EXPECT_EQ(t.get(srv("srvB"), uri("A/D/E")).status, StatusCode::PermissionDenied);
    EXPECT_EQ(t.get(srv("srvB"), uri("A/L")).status, StatusCode::Ok);
}

TEST(TreeAcl, GetOfAnInheritedAclIsEmptyByDefault) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    Tree t = seeded_tree();
    const auto r = get_acl(t, "srvA", "A/L");
    EXPECT_EQ(r.status, StatusCode::Ok);
    EXPECT_EQ(r.items.at(0).data, "");
}

TEST(TreeAcl, GetOfAnInheritedAclGives217WhenConfigured) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    TreeOptions o;
    o.inherited_acl_get = InheritedAclGet::InheritedWith217;
    Tree t(o);
    seed(t);
    const auto r = get_acl(t, "srvA", "A/L");
    EXPECT_EQ(r.status, StatusCode::OkInheritedAcl);
    EXPECT_EQ(r.items.at(0).data, "Add=srvA&Delete=srvA&Exec=srvA&Get=srvA+srvB&Replace=srvA");
}

TEST(TreeAcl, InteriorNodeCreatorWithoutParentReplaceGetsAddDeleteReplace) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    Tree t; // root: Add=*&Get=*, so srvX has Add but not Replace on the root
    ASSERT_EQ(t.add(srv("srvX"), uri("Mine"), interior(), kNow), StatusCode::Ok);
    EXPECT_EQ(t.find(uri("Mine"))->acl.format(), "Add=srvX&Delete=srvX&Replace=srvX");
    EXPECT_EQ(t.remove(srv("other"), uri("Mine"), kNow), StatusCode::PermissionDenied);
    EXPECT_EQ(t.remove(srv("srvX"), uri("Mine"), kNow), StatusCode::Ok);
}

TEST(TreeAcl, ImplicitParentsGetTheCreatorExceptionOnlyAtTheTop) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    Tree t;
    ASSERT_EQ(t.add(srv("srvX"), uri("P/Q/R"), leaf("v"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.find(uri("P"))->acl.format(), "Add=srvX&Delete=srvX&Replace=srvX");
    EXPECT_TRUE(t.find(uri("P/Q"))->acl.empty());
    EXPECT_TRUE(t.find(uri("P/Q/R"))->acl.empty());
}

TEST(TreeAcl, CreatorWithParentReplaceGetsAnEmptyAcl) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    Tree t = seeded_tree();
    ASSERT_EQ(t.add(srv("srvA"), uri("A/Sub"), interior(), kNow), StatusCode::Ok);
    EXPECT_TRUE(t.find(uri("A/Sub"))->acl.empty());
}

TEST(TreeAcl, LeafAclChangeNeedsReplaceOnTheParent) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    Tree t = seeded_tree();
    ASSERT_EQ(replace_acl(t, "srvA", "A/L", "Get=srvB&Replace=srvB"), StatusCode::Ok);
    // srvB has Replace on the leaf but not on its parent A: it may not change the leaf's ACL.
    EXPECT_EQ(replace_acl(t, "srvB", "A/L", "Get=*"), StatusCode::PermissionDenied);
    EXPECT_EQ(t.replace(srv("srvB"), uri("A/L"), value("ok"), kNow), StatusCode::Ok);
}

TEST(TreeAcl, InteriorAclChangeNeedsReplaceOnTheNode) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    Tree t = seeded_tree();
    EXPECT_EQ(replace_acl(t, "srvB", "A", "Get=*"), StatusCode::PermissionDenied);
    EXPECT_EQ(replace_acl(t, "srvA", "A", "Get=*&Replace=srvB"), StatusCode::Ok);
    EXPECT_EQ(get_acl(t, "srvB", "A").items.at(0).data, "Get=*&Replace=srvB");
}

TEST(TreeAcl, RootAddMustStayStar) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    TreeOptions o;
    o.root_acl = Acl::parse("Add=*&Get=*&Replace=srvA").value();
    Tree t(o);
    EXPECT_EQ(replace_acl(t, "srvA", ".", "Add=srvA&Get=*&Replace=srvA"), StatusCode::CommandNotAllowed);
    EXPECT_EQ(replace_acl(t, "srvA", ".", "Add=*&Get=srvA&Replace=srvA"), StatusCode::Ok);
}

TEST(TreeAcl, DevicePrincipalMatchesOnlyStarUnlessBypassed) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
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
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    Tree t = seeded_tree();
    t.revoke_server(omadm::base::ServerId{"srvA"}, kNow);
    EXPECT_EQ(t.find(uri("A"))->acl.format(), "Get=srvB");
}

} // namespace
} // namespace omadm::tree::test
