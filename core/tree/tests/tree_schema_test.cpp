#include "omadm/testing/covers.hpp"
#include "omadm/tree/tree.hpp"
#include "tree_fixture.hpp"

#include <cstdio>
#include <gtest/gtest.h>
#include <string>

namespace omadm::tree::test {
namespace {

constexpr const char* kDdf = R"(<?xml version="1.0"?>
<!DOCTYPE MgmtTree PUBLIC "-//OMA//DTD-DM-DDF 1.2//EN" "http://www.openmobilealliance.org/tech/DTD/DM_DDF-V1_2.dtd">
<MgmtTree><VerDTD>1.2</VerDTD>
<Node><NodeName>Mo</NodeName>
  <DFProperties><AccessType><Get/></AccessType><DFFormat><node/></DFFormat><Scope><Permanent/></Scope>
    <DFType><DDFName>urn:example:mo:1.0</DDFName></DFType></DFProperties>
  <Node><NodeName>Count</NodeName>
    <DFProperties><AccessType><Get/><Replace/></AccessType><DFFormat><int/></DFFormat>
      <DFType><MIME>text/plain</MIME></DFType></DFProperties></Node>
  <Node><NodeName>ReadOnly</NodeName>
    <DFProperties><AccessType><Copy/><Get/></AccessType><DFFormat><chr/></DFFormat>
      <DFType><MIME>text/plain</MIME></DFType></DFProperties></Node>
  <Node><NodeName></NodeName>
    <DFProperties><AccessType><Add/><Delete/><Get/><Replace/></AccessType><DFFormat><node/></DFFormat>
      <Occurrence><ZeroOrN>2</ZeroOrN></Occurrence><DFType><DDFName></DDFName></DFType></DFProperties>
    <Node><NodeName>Flag</NodeName>
      <DFProperties><AccessType><Add/><Get/><Replace/></AccessType><DFFormat><bool/></DFFormat>
        <DFType><MIME>text/plain</MIME></DFType></DFProperties></Node>
  </Node>
</Node></MgmtTree>)";

Tree bound_tree() {
    Tree t = schema_tree(kDdf);
    EXPECT_EQ(t.add(kBoot, uri("Mo"), interior(), kNow), StatusCode::Ok);
    EXPECT_EQ(t.add(kBoot, uri("Mo/Count"), leaf("1", Format::Int), kNow), StatusCode::Ok);
    EXPECT_EQ(t.add(kBoot, uri("Mo/ReadOnly"), leaf("r"), kNow), StatusCode::Ok);
    return t;
}

TEST(TreeSchema, ReplaceOfAnIntLeafWithAbcIs415) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t = bound_tree();
    EXPECT_EQ(t.replace(srv("s"), uri("Mo/Count"), value("abc"), kNow), StatusCode::UnsupportedMediaType);
    EXPECT_EQ(t.replace(srv("s"), uri("Mo/Count"), leaf("5"), kNow), StatusCode::UnsupportedMediaType); // chr
    EXPECT_EQ(t.replace(srv("s"), uri("Mo/Count"), value("5"), kNow), StatusCode::Ok);
}

TEST(TreeSchema, AccessTypeIsEnforcedWith405) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t = bound_tree();
    EXPECT_EQ(t.replace(srv("s"), uri("Mo/ReadOnly"), value("x"), kNow), StatusCode::CommandNotAllowed);
    EXPECT_EQ(t.remove(srv("s"), uri("Mo/Count"), kNow), StatusCode::CommandNotAllowed);
    EXPECT_EQ(t.get(srv("s"), uri("Mo/ReadOnly")).status, StatusCode::Ok);
}

TEST(TreeSchema, PermanentNodeIsNotDeletable) {
    Tree t = bound_tree();
    EXPECT_EQ(t.remove(srv("s"), uri("Mo"), kNow), StatusCode::CommandNotAllowed);
}

TEST(TreeSchema, UnknownNameIs405) {
    Tree t = bound_tree();
    ASSERT_EQ(t.add(srv("s"), uri("Mo/x1"), interior(), kNow), StatusCode::Ok);
    EXPECT_EQ(t.add(srv("s"), uri("Mo/x1/Other"), leaf("v"), kNow), StatusCode::CommandNotAllowed);
}

TEST(TreeSchema, OccurrenceLimitIs420) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t = bound_tree();
    ASSERT_EQ(t.add(srv("s"), uri("Mo/x1"), interior(), kNow), StatusCode::Ok);
    ASSERT_EQ(t.add(srv("s"), uri("Mo/x2"), interior(), kNow), StatusCode::Ok);
    EXPECT_EQ(t.add(srv("s"), uri("Mo/x3"), interior(), kNow), StatusCode::DeviceFull);
}

TEST(TreeSchema, AddTakesTheDdfFormatWhenMetaOmitsIt) {
    Tree t = bound_tree();
    ASSERT_EQ(t.add(srv("s"), uri("Mo/x1/Flag"), value("true"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.find(uri("Mo/x1/Flag"))->format, Format::Bool);
    EXPECT_EQ(t.add(srv("s"), uri("Mo/x2/Flag"), value("yes"), kNow), StatusCode::UnsupportedMediaType);
    EXPECT_EQ(t.find(uri("Mo"))->type, "urn:example:mo:1.0");
}

TEST(TreeSchema, CopyToALeafThatCannotTakeTheValueIs403) {
    Tree t = bound_tree();
    EXPECT_EQ(t.copy(srv("s"), uri("Mo/ReadOnly"), uri("Mo/Count"), kNow), StatusCode::Forbidden);
}

TEST(TreeSchema, ShippedDdfsLoad) {
    for (const char* file : {"/ddf/dm_devinfo.ddf", "/ddf/dm_devdetail.ddf", "/ddf/dm_dmacc.ddf"}) {
        std::FILE* f = std::fopen((std::string(OMADM_SOURCE_DIR) + file).c_str(), "rb");
        ASSERT_NE(f, nullptr) << file;
        std::string text;
        char buf[4096];
        std::size_t n = 0;
        while ((n = std::fread(buf, 1, sizeof buf, f)) > 0)
            text.append(buf, n);
        std::fclose(f);
        const auto schema = load_ddf(text);
        ASSERT_TRUE(schema) << file << ": " << schema.error().message();
        EXPECT_EQ(schema->roots.size(), 1U) << file;
    }
}

} // namespace
} // namespace omadm::tree::test
