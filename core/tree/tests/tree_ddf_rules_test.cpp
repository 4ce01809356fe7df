#include "omadm/testing/covers.hpp"
#include "omadm/tree/tree.hpp"
#include "tree_fixture.hpp"

#include <gtest/gtest.h>

namespace omadm::tree::test {
namespace {

constexpr const char* kDdf = R"(<MgmtTree><VerDTD>1.2</VerDTD>
<Node><NodeName>DevInfo</NodeName>
  <DFProperties><AccessType><Get/></AccessType><DFFormat><node/></DFFormat>
    <DFType><DDFName>urn:oma:mo:oma-dm-devinfo:1.0</DDFName></DFType></DFProperties>
  <Node><NodeName>DevId</NodeName>
    <DFProperties><AccessType><Get/><Replace/></AccessType><DFFormat><chr/></DFFormat>
      <DFType><MIME>text/plain</MIME></DFType><CaseSense><CIS/></CaseSense></DFProperties></Node>
  <Node><NodeName>Man</NodeName>
    <DFProperties><AccessType><Get/></AccessType><DFFormat><chr/></DFFormat>
      <DFType><MIME>text/plain</MIME></DFType><CaseSense><CS/></CaseSense></DFProperties></Node>
</Node>
<Node><NodeName>Mo</NodeName>
  <DFProperties><AccessType><Add/><Delete/><Get/></AccessType><DFFormat><node/></DFFormat>
    <DFType><DDFName>urn:example:mo:1.0</DDFName></DFType></DFProperties>
  <Node><NodeName>Name</NodeName>
    <DFProperties><AccessType><Add/><Delete/><Get/><Replace/></AccessType><DFFormat><chr/></DFFormat>
      <Occurrence><One/></Occurrence><DFType><MIME>text/plain</MIME></DFType></DFProperties></Node>
  <Node><NodeName>Opt</NodeName>
    <DFProperties><AccessType><Add/><Delete/><Get/></AccessType><DFFormat><chr/></DFFormat>
      <Occurrence><ZeroOrOne/></Occurrence><DFType><MIME>text/plain</MIME></DFType></DFProperties></Node>
  <Node><NodeName>Srv</NodeName>
    <DFProperties><AccessType><Add/><Delete/><Get/></AccessType><DFFormat><node/></DFFormat>
      <DFType><DDFName></DDFName></DFType></DFProperties>
    <Node><NodeName></NodeName>
      <DFProperties><AccessType><Add/><Delete/><Get/></AccessType><DFFormat><node/></DFFormat>
        <Occurrence><OneOrN>3</OneOrN></Occurrence><DFType><DDFName></DDFName></DFType></DFProperties></Node>
  </Node>
  <Node><NodeName></NodeName>
    <DFProperties><AccessType><Add/><Delete/><Get/></AccessType><DFFormat><node/></DFFormat>
      <Occurrence><OneOrMore/></Occurrence><DFType><DDFName></DDFName></DFType></DFProperties></Node>
</Node></MgmtTree>)";

Tree bound_tree() {
    Tree t = schema_tree(kDdf);
    EXPECT_EQ(t.add(kBoot, uri("DevInfo/DevId"), leaf("IMEI:1"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.add(kBoot, uri("DevInfo/Man"), leaf("ACME"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.add(kBoot, uri("Mo/Name"), leaf("n"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.add(kBoot, uri("Mo/Srv/s1"), interior(), kNow), StatusCode::Ok);
    EXPECT_EQ(t.add(kBoot, uri("Mo/a"), interior(), kNow), StatusCode::Ok);
    return t;
}

TEST(TreeDdfRules, CaseInsensitiveNameFindsTheStoredNode) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t = bound_tree();
    ASSERT_NE(t.find(uri("DevInfo/DevID")), nullptr);
    EXPECT_EQ(t.find(uri("DevInfo/DEVID")), t.find(uri("DevInfo/DevId")));
    EXPECT_EQ(t.resolve(uri("DevInfo/devid")), uri("DevInfo/DevId"));

    const auto r = t.get(srv("s"), uri("DevInfo/DevID"));
    ASSERT_EQ(r.status, StatusCode::Ok);
    EXPECT_EQ(r.items.at(0).data, "IMEI:1");
    EXPECT_EQ(r.items.at(0).source, "./DevInfo/DevID"); // as the request spelled it
}

TEST(TreeDdfRules, CaseInsensitiveNameIsOneNodeForEveryCommand) {
    Tree t = bound_tree();
    EXPECT_EQ(t.replace(srv("s"), uri("DevInfo/DEVID"), value("IMEI:2"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.find(uri("DevInfo/DevId"))->value, "IMEI:2");
    EXPECT_EQ(t.add(kBoot, uri("DevInfo/DevID"), leaf("IMEI:3"), kNow), StatusCode::AlreadyExists);
    EXPECT_EQ(t.children(uri("DevInfo")), (std::vector<std::string>{"DevId", "Man"}));
}

TEST(TreeDdfRules, CaseSensitiveNameStaysExact) {
    Tree t = bound_tree();
    EXPECT_EQ(t.find(uri("DevInfo/MAN")), nullptr);
    EXPECT_EQ(t.get(srv("s"), uri("DevInfo/MAN")).status, StatusCode::NotFound);
    EXPECT_EQ(t.get(srv("s"), uri("DEVINFO/DevId")).status, StatusCode::NotFound); // DevInfo is CS
}

TEST(TreeDdfRules, DeletingTheOnlyInstanceOfARequiredNodeIs405) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t = bound_tree();
    EXPECT_EQ(t.remove(srv("s"), uri("Mo/Name"), kNow), StatusCode::CommandNotAllowed);   // One
    EXPECT_EQ(t.remove(srv("s"), uri("Mo/Srv/s1"), kNow), StatusCode::CommandNotAllowed); // OneOrN
    EXPECT_EQ(t.remove(srv("s"), uri("Mo/a"), kNow), StatusCode::CommandNotAllowed);      // OneOrMore
    EXPECT_TRUE(t.exists(uri("Mo/Name")) && t.exists(uri("Mo/Srv/s1")) && t.exists(uri("Mo/a")));
}

TEST(TreeDdfRules, DeletingOneOfSeveralInstancesOrAnOptionalNodeIsAllowed) {
    Tree t = bound_tree();
    ASSERT_EQ(t.add(srv("s"), uri("Mo/b"), interior(), kNow), StatusCode::Ok);
    ASSERT_EQ(t.add(srv("s"), uri("Mo/Srv/s2"), interior(), kNow), StatusCode::Ok);
    ASSERT_EQ(t.add(srv("s"), uri("Mo/Opt"), leaf("o"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.remove(srv("s"), uri("Mo/a"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.remove(srv("s"), uri("Mo/b"), kNow), StatusCode::CommandNotAllowed);
    EXPECT_EQ(t.remove(srv("s"), uri("Mo/Srv/s1"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.remove(srv("s"), uri("Mo/Opt"), kNow), StatusCode::Ok);
}

TEST(TreeDdfRules, DeletingTheParentTakesRequiredChildrenWithIt) {
    Tree t = bound_tree();
    EXPECT_EQ(t.remove(srv("s"), uri("Mo"), kNow), StatusCode::Ok);
    EXPECT_FALSE(t.exists(uri("Mo/Name")));
}

} // namespace
} // namespace omadm::tree::test
