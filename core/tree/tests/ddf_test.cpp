#include "omadm/testing/covers.hpp"
#include "omadm/tree/ddf.hpp"
#include "omadm/tree/errc.hpp"

#include <gtest/gtest.h>

namespace {
using namespace omadm::tree;

constexpr const char* kDdf = R"(<MgmtTree><VerDTD>1.2</VerDTD><Man>Acme</Man>
<Node><NodeName>Acc</NodeName><Path>./Vendor</Path>
  <DFProperties><AccessType><Get/><Add/></AccessType><DFFormat><node/></DFFormat>
    <Occurrence><One/></Occurrence><Scope><Permanent/></Scope>
    <DFType><DDFName>urn:oma:mo:example:1.0</DDFName></DFType><CaseSense><CIS/></CaseSense></DFProperties>
  <Node><NodeName/>
    <DFProperties><AccessType><Get/></AccessType><DFFormat><node/></DFFormat>
      <Occurrence><OneOrN>5</OneOrN></Occurrence><DFType><DDFName/></DFType></DFProperties>
    <Node><NodeName>Port</NodeName>
      <DFProperties><AccessType><Get/><Replace/></AccessType><DFFormat><int/></DFFormat>
        <DefaultValue>80</DefaultValue><Description>port</Description>
        <DFType><MIME>text/plain</MIME></DFType></DFProperties></Node>
  </Node>
</Node></MgmtTree>)";

TEST(Ddf, LoadsNodesAndProperties) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_OSR_01);
    const auto s = load_ddf(kDdf).value();
    EXPECT_EQ(s.man, "Acme");
    ASSERT_EQ(s.roots.size(), 1U);
    const DdfRoot& r = s.roots[0];
    EXPECT_EQ(r.mount().str(), "./Vendor/Acc");
    EXPECT_EQ(r.node.scope, Scope::Permanent);
    EXPECT_EQ(r.node.case_sense, CaseSense::Insensitive);
    EXPECT_EQ(r.node.ddf_name, "urn:oma:mo:example:1.0");
    EXPECT_TRUE(r.node.access.allows(Access::Add));
    EXPECT_FALSE(r.node.access.allows(Access::Delete));
    const DdfNode* x = r.node.match_child("anything");
    ASSERT_NE(x, nullptr);
    EXPECT_TRUE(x->is_placeholder());
    EXPECT_EQ(x->occurrence.kind, Occurrence::Kind::OneOrN);
    EXPECT_EQ(x->occurrence.max(), 5U);
    const DdfNode* port = x->match_child("Port");
    ASSERT_NE(port, nullptr);
    EXPECT_EQ(port->format, Format::Int);
    EXPECT_EQ(port->default_value, "80");
    EXPECT_EQ(port->mime_types, std::vector<std::string>{"text/plain"});
}

TEST(Ddf, RejectsInvalidDocuments) {
    struct Case {
        const char* text;
        Errc errc;
    };
    const Case cases[] = {
        {"<MgmtTree>", Errc::MalformedXml},
        {"<Other/>", Errc::InvalidDdf},
        {"<MgmtTree><VerDTD>1.2</VerDTD></MgmtTree>", Errc::InvalidDdf},
        {"<MgmtTree><Node><NodeName>A</NodeName></Node></MgmtTree>", Errc::InvalidDdf},
        {"<MgmtTree><Node><NodeName>A</NodeName><DFProperties><DFFormat><text/></DFFormat></DFProperties></"
         "Node>"
         "</MgmtTree>",
         Errc::UnknownFormat},
        {"<MgmtTree><Node><NodeName>A</NodeName><DFProperties><DFFormat><chr/></"
         "DFFormat><Occurrence><ZeroOrN>1"
         "</ZeroOrN></Occurrence></DFProperties></Node></MgmtTree>",
         Errc::InvalidDdf},
    };
    for (const auto& c : cases) {
        const auto r = load_ddf(c.text);
        ASSERT_FALSE(r) << c.text;
        EXPECT_EQ(r.error().code, make_error_code(c.errc)) << c.text;
    }
}

} // namespace
