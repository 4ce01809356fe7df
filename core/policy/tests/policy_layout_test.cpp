#include "omadm/policy/policy_layout.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>
#include <pugixml.hpp>
#include <set>
#include <string>

namespace omadm::policy {
namespace {

using omadm::testing::covers;

const std::string kDdf = std::string(OMADM_SOURCE_DIR) + "/ddf/mgmtpolicy.ddf";

std::set<std::string> node_names(const pugi::xml_document& doc) {
    std::set<std::string> names;
    for (const auto& n : doc.select_nodes("//Node/NodeName"))
        names.insert(n.node().child_value());
    return names;
}

TEST(PolicyLayout, EveryDefaultNameIsInTheDdf) {
    covers(req::MgmtPolicyMO_HLF_9, req::MgmtPolicyMO_OSR_01);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_file(kDdf.c_str())) << kDdf;
    const auto names = node_names(doc);
    const PolicyLayout layout;
    for (const auto name : layout.node_names()) {
        EXPECT_TRUE(names.contains(std::string(name))) << name;
    }
    EXPECT_TRUE(names.contains(layout.root.name()));
    EXPECT_EQ(layout.root.str(), "./MgmtPolicy");
}

TEST(PolicyLayout, DdfDeclaresTheMoIdentifier) {
    covers(req::MgmtPolicyMO_OSR_01);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_file(kDdf.c_str()));
    EXPECT_STREQ(doc.child("MgmtTree").child_value("VerDTD"), "1.2");
    const auto root = doc.child("MgmtTree").child("Node");
    EXPECT_STREQ(root.child_value("NodeName"), "MgmtPolicy");
    EXPECT_EQ(std::string(root.child("DFProperties").child("DFType").child_value("DDFName")),
              PolicyLayout{}.mo_type);
}

TEST(PolicyLayout, ExecTargetsSitUnderOperationsOrDirectlyUnderThePolicy) {
    covers(req::MgmtPolicyMO_HLF_3);
    PolicyLayout layout;
    const auto p1 = layout.root / "p1";
    EXPECT_EQ(layout.operation_uri(p1, true).str(), "./MgmtPolicy/p1/Operations/Activate");
    EXPECT_EQ(layout.operation_uri(p1, false).str(), "./MgmtPolicy/p1/Operations/Deactivate");
    layout.operations.clear();
    layout.activate = "Enable";
    const auto acme = tree::NodeUri{} / "ACME" / "PolicyMgr" / "p1";
    EXPECT_EQ(layout.operation_uri(acme, true).str(), "./ACME/PolicyMgr/p1/Enable");
}

TEST(SystemPropertiesLayout, EveryNameIsInTheDdf) {
    covers(req::MgmtPolicyMO_IOP_01);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_file(kDdf.c_str()));
    const SystemPropertiesLayout sys;
    const auto node = doc.select_node("//Node[NodeName='SysProps']").node();
    ASSERT_TRUE(node);
    EXPECT_EQ(std::string(node.child_value("Path")) + "/SysProps", sys.root);
    std::set<std::string> children;
    for (const auto& c : node.children("Node"))
        children.insert(c.child_value("NodeName"));
    for (const auto name : sys.node_names())
        EXPECT_TRUE(children.contains(std::string(name))) << name;
}

} // namespace
} // namespace omadm::policy
