#include "omadm/testing/covers.hpp"
#include "omadm/tree/errc.hpp"
#include "omadm/tree/tnds.hpp"
#include "omadm/tree/tree.hpp"
#include "tree_fixture.hpp"

#include <gtest/gtest.h>

namespace omadm::tree::test {
namespace {

constexpr const char* kEmail =
    "<MgmtTree xmlns='syncml:dmddf1.2'><VerDTD>1.2</VerDTD>"
    "<Node><NodeName>E-Mail</NodeName><RTProperties><Format><node/></Format>"
    "<Type><DDFName>com.operatorX.dm/1.0/EMail</DDFName></Type></RTProperties>"
    "<Node><NodeName>Server</NodeName><RTProperties><ACL>Get=*</ACL><Format><chr/></Format>"
    "<Type><MIME>text/plain</MIME></Type></RTProperties><Value>mail.x.com</Value></Node>"
    "<Node><NodeName>Port</NodeName><RTProperties><Format><int/></Format></RTProperties><Value>993</Value></"
    "Node>"
    "</Node></MgmtTree>";

/// TNDS of the interior node `parent` holding the int leaf `leaf` with `value`.
std::string interior_with_int_leaf(const std::string& parent, const std::string& leaf,
                                   const std::string& value) {
    return "<MgmtTree><Node><NodeName>" + parent +
           "</NodeName><RTProperties><Format><node/></Format></RTProperties><Node><NodeName>" + leaf +
           "</NodeName><RTProperties><Format><int/></Format></RTProperties><Value>" + value +
           "</Value></Node></Node></MgmtTree>";
}

NodeContent tnds(std::string data) {
    return NodeContent{Format::Xml, std::string(kTndsXmlMime), std::move(data)};
}

TEST(Tnds, DecodesNodesPropertiesAndValues) {
    const auto doc = decode_tnds(kEmail).value();
    ASSERT_EQ(doc.nodes.size(), 1U);
    const TndsNode& e = doc.nodes[0];
    EXPECT_EQ(e.name, "E-Mail");
    EXPECT_TRUE(e.is_interior());
    EXPECT_EQ(e.type, "com.operatorX.dm/1.0/EMail");
    ASSERT_EQ(e.children.size(), 2U);
    EXPECT_EQ(e.children[0].acl, "Get=*");
    EXPECT_EQ(e.children[0].value, "mail.x.com");
    EXPECT_EQ(e.children[1].format, Format::Int);
}

TEST(Tnds, EncodeDecodeRoundTrip) {
    const auto doc = decode_tnds(kEmail).value();
    EXPECT_EQ(decode_tnds(encode_tnds(doc)).value(), doc);
}

TEST(Tnds, EncodeHonoursFieldFilters) {
    const auto doc = decode_tnds(kEmail).value();
    const std::string no_format = encode_tnds(doc, TndsFields::parse("-Format").value());
    EXPECT_EQ(no_format.find("<Format>"), std::string::npos);
    EXPECT_NE(no_format.find("<Value>"), std::string::npos);
    const std::string only_acl = encode_tnds(doc, TndsFields::parse("+ACL").value());
    EXPECT_NE(only_acl.find("<ACL>Get=*</ACL>"), std::string::npos);
    EXPECT_EQ(only_acl.find("<Value>"), std::string::npos);
}

TEST(Tnds, RejectsInvalidDocuments) {
    struct Case {
        std::string text;
        Errc errc;
    };
    std::string deep = "<MgmtTree>";
    for (int i = 0; i < 70; ++i)
        deep += "<Node><NodeName>n</NodeName>";
    for (int i = 0; i < 70; ++i)
        deep += "</Node>";
    deep += "</MgmtTree>";
    const Case cases[] = {
        {"<MgmtTree><Node>", Errc::MalformedXml},
        {"<Tree/>", Errc::InvalidTnds},
        {"<MgmtTree><Node><Value>x</Value></Node></MgmtTree>", Errc::InvalidTnds},
        {"<MgmtTree><Node><NodeName>a</NodeName><RTProperties><Format><str/></Format></RTProperties></Node></"
         "MgmtTree>",
         Errc::UnknownFormat},
        {deep, Errc::LimitExceeded},
        // &#0; would cut the value short ("1" instead of an error).
        {interior_with_int_leaf("a", "b", "1&#0;2"), Errc::MalformedXml},
    };
    for (const auto& c : cases) {
        const auto r = decode_tnds(c.text);
        ASSERT_FALSE(r) << c.text;
        EXPECT_EQ(r.error().code, make_error_code(c.errc)) << c.text;
    }
}

TEST(TreeTnds, AddCreatesTheSubtree) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t;
    ASSERT_EQ(t.add(srv("s"), uri("OperatorX"), tnds(kEmail), kNow), StatusCode::Ok);
    EXPECT_EQ(t.find(uri("OperatorX/E-Mail"))->type, "com.operatorX.dm/1.0/EMail");
    EXPECT_EQ(t.find(uri("OperatorX/E-Mail/Port"))->format, Format::Int);
    EXPECT_EQ(t.find(uri("OperatorX/E-Mail/Server"))->acl.format(), "Get=*");
}

TEST(TreeTnds, AddIsAllOrNothing) {
    Tree t;
    ASSERT_EQ(t.add(kBoot, uri("T/E-Mail/Port"), leaf("1", Format::Int), kNow), StatusCode::Ok);
    const auto before = t.snapshot().nodes;
    // E-Mail exists already: the whole TNDS fails with the failing node's code.
    EXPECT_EQ(t.add(kBoot, uri("T"), tnds(kEmail), kNow), StatusCode::AlreadyExists);
    EXPECT_EQ(t.snapshot().nodes, before);
    EXPECT_EQ(t.add(kBoot, uri("T"), tnds(interior_with_int_leaf("Z", "I", "abc")), kNow),
              StatusCode::UnsupportedMediaType);
    EXPECT_FALSE(t.exists(uri("T/Z")));
    EXPECT_EQ(t.add(kBoot, uri("T"), tnds("<MgmtTree"), kNow), StatusCode::UnsupportedMediaType);
}

TEST(TreeTnds, SubtreeRoundTripsThroughGetListTndsAndAdd) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree a;
    ASSERT_EQ(a.add(kBoot, uri("OperatorX"), tnds(kEmail), kNow), StatusCode::Ok);
    const auto exported = a.get(kBoot, target("OperatorX/E-Mail?list=TNDS"));
    ASSERT_EQ(exported.status, StatusCode::Ok);
    Tree b;
    ASSERT_EQ(b.add(kBoot, uri("OperatorX"), tnds(*exported.items.at(0).data), kNow), StatusCode::Ok);
    EXPECT_EQ(b.get(kBoot, target("OperatorX/E-Mail?list=TNDS")).items.at(0).data, exported.items.at(0).data);
    EXPECT_EQ(b.get(kBoot, target("OperatorX?list=StructData")).items,
              a.get(kBoot, target("OperatorX?list=StructData")).items);
}

TEST(TreeTnds, ReplaceRemovesChildrenNotPresent) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t;
    ASSERT_EQ(t.add(kBoot, uri("OperatorX"), tnds(kEmail), kNow), StatusCode::Ok);
    ASSERT_EQ(t.add(kBoot, uri("OperatorX/Extra"), leaf("e"), kNow), StatusCode::Ok);
    const std::string replacement = interior_with_int_leaf("E-Mail", "Port", "995");
    ASSERT_EQ(t.replace(kBoot, uri("OperatorX"), tnds(replacement), kNow), StatusCode::Ok);
    EXPECT_EQ(t.find(uri("OperatorX/E-Mail/Port"))->value, "995");
    EXPECT_FALSE(t.exists(uri("OperatorX/E-Mail/Server")));
    EXPECT_FALSE(t.exists(uri("OperatorX/Extra")));
    EXPECT_EQ(t.replace(kBoot, uri("Missing"), tnds(replacement), kNow), StatusCode::NotFound);
}

TEST(TreeTnds, ChrValuesWithControlCharactersAreRefusedWith415) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t;
    EXPECT_EQ(t.add(kBoot, uri("C"),
                    leaf(std::string("a\x01"
                                     "b")),
                    kNow),
              StatusCode::UnsupportedMediaType);
    EXPECT_EQ(t.add(kBoot, uri("X"), leaf(std::string("<a>\x1f</a>"), Format::Xml), kNow),
              StatusCode::UnsupportedMediaType);
    ASSERT_EQ(t.add(kBoot, uri("C"), leaf("tab\tlf\ncr\r"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.replace(kBoot, uri("C"), value(std::string("nul\0", 4)), kNow),
              StatusCode::UnsupportedMediaType);
    EXPECT_EQ(t.find(uri("C"))->value, "tab\tlf\ncr\r");
}

TEST(TreeTnds, BinValuesWithControlBytesAreExportedAsB64) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t;
    ASSERT_EQ(t.add(kBoot, uri("B"),
                    leaf(std::string("a\x01"
                                     "b"),
                         Format::Bin),
                    kNow),
              StatusCode::Ok);
    ASSERT_EQ(t.add(kBoot, uri("T"), leaf("plain"), kNow), StatusCode::Ok);
    const auto r = t.get(kBoot, target(".?list=TNDS+Format+Value"));
    ASSERT_EQ(r.status, StatusCode::Ok);
    const std::string& xml = *r.items.at(0).data;
    EXPECT_NE(
        xml.find(
            "<NodeName>B</NodeName><RTProperties><Format><b64/></Format></RTProperties><Value>YQFi</Value>"),
        std::string::npos)
        << xml;
    EXPECT_NE(xml.find("<Format><chr/></Format></RTProperties><Value>plain</Value>"), std::string::npos)
        << xml;

    const auto doc = decode_tnds(xml); // well-formed: it parses back
    ASSERT_TRUE(doc) << doc.error().detail;
    EXPECT_EQ(doc->nodes.at(0).value, "YQFi");
    EXPECT_EQ(doc->nodes.at(0).format, Format::B64);
}

TEST(Tnds, EncodeNeverWritesControlCharacters) {
    TndsDocument doc;
    TndsNode n;
    n.name = "V";
    n.format = Format::Chr;
    n.value = std::string("\x02\x03", 2);
    doc.nodes.push_back(n);
    const std::string xml = encode_tnds(doc);
    EXPECT_NE(xml.find("<Format><b64/></Format>"), std::string::npos) << xml;
    EXPECT_NE(xml.find("<Value>AgM=</Value>"), std::string::npos) << xml;
    EXPECT_TRUE(decode_tnds(xml));
}

} // namespace
} // namespace omadm::tree::test
