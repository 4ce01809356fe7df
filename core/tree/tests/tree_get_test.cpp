#include "omadm/testing/covers.hpp"
#include "omadm/tree/tree.hpp"
#include "tree_fixture.hpp"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace omadm::tree::test {
namespace {

TEST(TreeGet, LeafReturnsValueFormatAndType) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t = seeded_tree();
    const auto r = t.get(srv("srvA"), uri("A/N"));
    ASSERT_EQ(r.status, StatusCode::Ok);
    EXPECT_EQ(r.items.at(0), (ResultItem{"./A/N", Format::Int, "text/plain", "7"}));
}

TEST(TreeGet, InteriorReturnsChildNamesWithFormatNode) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t = seeded_tree();
    const auto r = t.get(srv("srvA"), uri("A"));
    EXPECT_EQ(r.items.at(0), (ResultItem{"./A", Format::Node, "text/plain", "L/N"}));
    ASSERT_EQ(t.add(kBoot, uri("E"), interior(), kNow), StatusCode::Ok);
    EXPECT_EQ(t.get(srv("x"), uri("E")).items.at(0).data, "");
}

TEST(TreeGet, ChildrenSkipDeepSubtreesWhoseNamesSortAroundTheSlash) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t = seeded_tree();
    ASSERT_EQ(t.add(kBoot, uri("E"), interior(), kNow), StatusCode::Ok);
    // '-' and '.' sort before '/', '0' right after it: each child's subtree lies between siblings.
    for (const char* name : {"p1", "p1-x", "p1.y", "p10", "p1_z"}) {
        const std::string child = std::string("E/") + name;
        ASSERT_EQ(t.add(kBoot, uri(child), interior(), kNow), StatusCode::Ok) << child;
        ASSERT_EQ(t.add(kBoot, uri(child + "/In"), interior(), kNow), StatusCode::Ok) << child;
        ASSERT_EQ(t.add(kBoot, uri(child + "/In/Leaf"), value("1"), kNow), StatusCode::Ok) << child;
    }
    EXPECT_EQ(t.children(uri("E")), (std::vector<std::string>{"p1", "p1-x", "p1.y", "p10", "p1_z"}));
    EXPECT_EQ(t.children(uri("E/p1")), (std::vector<std::string>{"In"}));
}

TEST(TreeGet, PropertiesTable) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t = seeded_tree();
    ASSERT_EQ(t.replace(srv("srvA"), target("A/N?prop=Title"), value("Number"), kNow), StatusCode::Ok);
    const std::pair<const char*, const char*> cases[] = {
        {"A/N?prop=Format", "int"},
        {"A/N?prop=Name", "N"},
        {"A/N?prop=Size", "1"},
        {"A/N?prop=Title", "Number"},
        {"A/N?prop=Type", "text/plain"},
        {"A/N?prop=VerNo", "0"},
        {"A/N?prop=TStamp", "20010711T163817Z"},
        {"A?prop=Format", "node"},
    };
    for (const auto& [t_uri, expected] : cases) {
        const auto r = t.get(srv("srvA"), target(t_uri));
        ASSERT_EQ(r.status, StatusCode::Ok) << t_uri;
        EXPECT_EQ(r.items.at(0).data, expected) << t_uri;
        EXPECT_EQ(r.items.at(0).source, std::string("./") + t_uri) << t_uri;
    }
}

TEST(TreeGet, ListStructGivesEveryReadableNodeWithoutData) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t = seeded_tree();
    const auto r = t.get(srv("srvA"), target("A?list=Struct"));
    ASSERT_EQ(r.status, StatusCode::Ok);
    ASSERT_EQ(r.items.size(), 3U);
    EXPECT_EQ(r.items[0].source, "./A");
    EXPECT_EQ(r.items[1].source, "./A/L");
    EXPECT_FALSE(r.items[1].data.has_value());
}

TEST(TreeGet, ListStructDataAddsLeafData) {
    Tree t = seeded_tree();
    const auto r = t.get(srv("srvA"), target("A?list=StructData"));
    ASSERT_EQ(r.items.size(), 3U);
    EXPECT_FALSE(r.items[0].data.has_value());
    EXPECT_EQ(r.items[2].data, "7");
}

TEST(TreeGet, ListOmitsNodesTheServerCannotRead) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    Tree t = seeded_tree();
    ASSERT_EQ(t.replace(srv("srvA"), target("A/L?prop=ACL"), value("Get=srvA"), kNow), StatusCode::Ok);
    const auto r = t.get(srv("srvB"), target("A?list=StructData"));
    ASSERT_EQ(r.items.size(), 2U);
    EXPECT_EQ(r.items[1].source, "./A/N");
    const auto tn = t.get(srv("srvB"), target("A?list=TNDS"));
    EXPECT_EQ(tn.items.at(0).data->find("<NodeName>L</NodeName>"), std::string::npos);
}

TEST(TreeGet, ListOfAnUnreadableStartIs425) {
    Tree t = seeded_tree();
    EXPECT_EQ(t.get(srv("srvC"), target("A?list=Struct")).status, StatusCode::PermissionDenied);
    EXPECT_EQ(t.get(srv("srvC"), target("Nope?list=Struct")).status, StatusCode::NotFound);
}

TEST(TreeGet, ListTndsIsOneXmlItem) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t = seeded_tree();
    const auto r = t.get(srv("srvA"), target("A?list=TNDS+Value"));
    ASSERT_EQ(r.items.size(), 1U);
    EXPECT_EQ(r.items[0].format, Format::Xml);
    EXPECT_EQ(r.items[0].type, "application/vnd.syncml.dmtnds+xml");
    EXPECT_EQ(*r.items[0].data,
              "<MgmtTree xmlns=\"syncml:dmddf1.2\"><VerDTD>1.2</VerDTD><Node><NodeName>A</NodeName>"
              "<Node><NodeName>L</NodeName><Value>x</Value></Node>"
              "<Node><NodeName>N</NodeName><Value>7</Value></Node></Node></MgmtTree>");
}

/// "." readable by all; A readable by srvA only; A/L readable by srvB through its own ACL.
Tree tree_with_hidden_parent() {
    Tree t = seeded_tree();
    EXPECT_EQ(t.replace(kBoot, target("A?prop=ACL"), value("Get=srvA&Replace=srvA"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.replace(kBoot, target("A/L?prop=ACL"), value("Get=srvB"), kNow), StatusCode::Ok);
    return t;
}

TEST(TreeGet, ListKeepsReadableDescendantsOfAnUnreadableNode) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    const Tree t = tree_with_hidden_parent();
    const auto r = t.get(srv("srvB"), target(".?list=StructData"));
    ASSERT_EQ(r.status, StatusCode::Ok);
    std::vector<std::string> sources;
    for (const auto& item : r.items)
        sources.push_back(item.source);
    EXPECT_EQ(sources, (std::vector<std::string>{".", "./A/L"}));
    EXPECT_EQ(r.items.at(1).data, "x");
}

TEST(TreeGet, TndsKeepsReadableDescendantsUnderABareParent) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    const Tree t = tree_with_hidden_parent();
    const auto r = t.get(srv("srvB"), target(".?list=TNDS+Value"));
    ASSERT_EQ(r.status, StatusCode::Ok);
    EXPECT_EQ(*r.items.at(0).data,
              "<MgmtTree xmlns=\"syncml:dmddf1.2\"><VerDTD>1.2</VerDTD><Node><NodeName>A</NodeName>"
              "<Node><NodeName>L</NodeName><Value>x</Value></Node></Node></MgmtTree>");
    const auto none = t.get(srv("srvC"), target(".?list=TNDS"));
    EXPECT_EQ(none.items.at(0).data->find("<NodeName>A</NodeName>"), std::string::npos);
}

} // namespace
} // namespace omadm::tree::test
