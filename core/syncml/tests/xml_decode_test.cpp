#include "omadm/syncml/codec.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>
#include <string>

namespace omadm::syncml {
namespace {

constexpr std::string_view kHdr =
    "<SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>1</MsgID>"
    "<Target><LocURI>srv</LocURI></Target><Source><LocURI>dev</LocURI></Source></SyncHdr>";

std::string doc(std::string_view body) {
    return "<SyncML xmlns=\"SYNCML:SYNCML1.2\">" + std::string(kHdr) + "<SyncBody>" + std::string(body) +
           "<Final/></SyncBody></SyncML>";
}

std::string replace_with_data(std::string_view data_xml) {
    return doc("<Replace><CmdID>1</CmdID><Item><Target><LocURI>./A</LocURI></Target>" +
               std::string(data_xml) + "</Item></Replace>");
}

/// The decode failed with `code`, its detail holding each of `details`.
void expect_error(const base::Result<Message>& m, CodecErrc code,
                  std::initializer_list<std::string_view> details = {}) {
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().code, make_error_code(code));
    for (const auto detail : details)
        EXPECT_NE(m.error().detail.find(detail), std::string::npos) << m.error().detail;
}

const Item& first_item(const Message& m) {
    return std::get<Replace>(m.body.at(0).variant()).items.at(0);
}

TEST(XmlDecode, ReadsHeaderFields) {
    const auto m = decode_xml(doc(""));

    ASSERT_TRUE(m) << m.error().message();
    EXPECT_EQ(m->hdr.ver_dtd, "1.2");
    EXPECT_EQ(m->hdr.ver_proto, "DM/1.2");
    EXPECT_EQ(m->hdr.session_id.value(), "1");
    EXPECT_EQ(m->hdr.msg_id, MsgId{1});
    EXPECT_EQ(m->hdr.target.loc_uri, "srv");
    EXPECT_EQ(m->hdr.source.loc_uri, "dev");
    EXPECT_TRUE(m->final);
    EXPECT_TRUE(m->body.empty());
}

TEST(XmlDecode, ANulByteInDataIsRefusedNotCutShort) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    // XML allows no NUL character, even escaped; the value is not "a" and not "ab".
    for (const std::string& data :
         {std::string("<Data>a\0b</Data>", 17), std::string("<Data>a&#0;b</Data>"),
          std::string("<Data>a&#x0;b</Data>"), std::string("<Data>a&#x110000;b</Data>"),
          std::string("<Data>a&#4294967296;b</Data>")}) {
        const auto m = decode_xml(replace_with_data(data));
        EXPECT_FALSE(m) << data << " decoded as '" << first_item(*m).data.value_or("") << "'";
    }
    // Allowed references, and the same text where it is not a reference, decode as written.
    const auto tab = decode_xml(replace_with_data("<Data>a&#9;&#x20;&#1;b</Data>"));
    ASSERT_TRUE(tab) << tab.error().detail;
    EXPECT_EQ(first_item(*tab).data, "a\t \x01"
                                     "b");
    const auto cdata = decode_xml(replace_with_data("<Data><![CDATA[a&#0;b]]></Data>"));
    ASSERT_TRUE(cdata) << cdata.error().detail;
    EXPECT_EQ(first_item(*cdata).data, "a&#0;b");
}

TEST(XmlDecode, AcceptsDm13VerProto) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    std::string xml = doc("");
    xml.replace(xml.find("DM/1.2"), 6, "DM/1.3");

    const auto m = decode_xml(xml);

    ASSERT_TRUE(m) << m.error().message();
    EXPECT_EQ(m->hdr.ver_proto, kVerProtoDm13);
}

TEST(XmlDecode, ToleratesDeployedClientQuirks) {
    // No declaration, leading newline, single quotes, LocName, Format "Chr", hex SessionID.
    const std::string xml =
        "\n<SyncML xmlns='SYNCML:SYNCML1.2'><SyncHdr><VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto>"
        "<SessionID>00AF</SessionID><MsgID> 1 "
        "</MsgID><Target><LocURI>srv</LocURI><LocName>s</LocName></Target>"
        "<Source><LocURI>dev</LocURI><LocName>u</LocName></Source></SyncHdr><SyncBody><Replace><CmdID>1</"
        "CmdID>"
        "<Item><Source><LocURI>./DevInfo/Lang</LocURI></Source><Meta><Format "
        "xmlns='syncml:metinf'>Chr</Format>"
        "</Meta><Data>en</Data></Item></Replace></SyncBody></SyncML>";

    const auto m = decode_xml(xml);

    ASSERT_TRUE(m) << m.error().message();
    EXPECT_EQ(m->hdr.session_id.value(), "00AF");
    EXPECT_EQ(m->hdr.source.loc_name, "u");
    EXPECT_EQ(first_item(*m).meta->format, "Chr");
    EXPECT_FALSE(m->final);
}

TEST(XmlDecode, AcceptsNewlineBeforeDeclaration) {
    const auto m = decode_xml("\n<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + doc(""));

    ASSERT_TRUE(m) << m.error().message();
}

TEST(XmlDecode, AcceptsChildrenOutOfDtdOrder) {
    const auto m =
        decode_xml(doc("<Status><Data>200</Data><Cmd>Alert</Cmd><CmdRef>1</CmdRef><MsgRef>1</MsgRef>"
                       "<CmdID>1</CmdID></Status>"));

    ASSERT_TRUE(m) << m.error().message();
    EXPECT_EQ(std::get<Status>(m->body.at(0).variant()).code, StatusCode::Ok);
}

TEST(XmlDecode, ReadsASyncHdrStatusWithoutCmdRefAndSaysSo) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    const auto hdr_status = decode_xml(
        doc("<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>"));
    const auto other = decode_xml(
        doc("<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><Cmd>Replace</Cmd><Data>200</Data></Status>"));
    const auto conforming = decode_xml(doc("<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</"
                                           "CmdRef><Cmd>SyncHdr</Cmd><Data>200</Data></Status>"));

    // The Status of the SyncHdr refers to CmdID 0 whatever it says; any other command's is ambiguous.
    ASSERT_TRUE(hdr_status) << hdr_status.error().message();
    EXPECT_EQ(std::get<Status>(hdr_status->body.at(0).variant()).cmd_ref, CmdId{0});
    ASSERT_EQ(hdr_status->tolerated.size(), 1U);
    EXPECT_NE(hdr_status->tolerated[0].find("no CmdRef"), std::string::npos);
    expect_error(other, CodecErrc::missing_element, {"CmdRef"});
    ASSERT_TRUE(conforming);
    EXPECT_TRUE(conforming->tolerated.empty());
}

TEST(XmlDecode, DecodesCdataAndEscapesAsText) {
    const auto cdata = decode_xml(replace_with_data("<Data><![CDATA[a < b & c]]></Data>"));
    const auto escaped = decode_xml(replace_with_data("<Data>a &lt; b &amp; c</Data>"));

    ASSERT_TRUE(cdata) << cdata.error().message();
    ASSERT_TRUE(escaped) << escaped.error().message();
    EXPECT_EQ(first_item(*cdata).data, "a < b & c");
    EXPECT_EQ(first_item(*escaped).data, "a < b & c");
}

TEST(XmlDecode, KeepsEmbeddedTndsAsXmlText) {
    const auto m = decode_xml(replace_with_data(
        "<Data>\n  <MgmtTree xmlns=\"syncml:dmddf1.2\">\n    <VerDTD>1.2</VerDTD>\n    "
        "<Node><NodeName>X</NodeName>"
        "<RTProperties><Format><node/></Format></RTProperties></Node>\n  </MgmtTree>\n</Data>"));

    ASSERT_TRUE(m) << m.error().message();
    EXPECT_EQ(first_item(*m).data, "<MgmtTree xmlns=\"syncml:dmddf1.2\"><VerDTD>1.2</VerDTD><Node><NodeName>X"
                                   "</NodeName><RTProperties><Format><node/></Format></RTProperties></Node>"
                                   "</MgmtTree>");
}

TEST(XmlDecode, DistinguishesEmptyDataFromAbsentData) {
    const auto empty = decode_xml(replace_with_data("<Data/>"));
    const auto absent = decode_xml(replace_with_data(""));

    ASSERT_TRUE(empty && absent);
    EXPECT_EQ(first_item(*empty).data, "");
    EXPECT_EQ(first_item(*absent).data, std::nullopt);
}

TEST(XmlDecode, ReadsPrefixedMetInfElements) {
    const auto m = decode_xml(replace_with_data(
        "<Meta><mi:Format xmlns:mi=\"syncml:metinf\">int</mi:Format></Meta><Data>3</Data>"));

    ASSERT_TRUE(m) << m.error().message();
    EXPECT_EQ(first_item(*m).meta->format, "int");
}

TEST(XmlDecode, RejectsDoctypeWithExternalEntity) {
    const std::string xxe =
        "<?xml version=\"1.0\"?><!DOCTYPE SyncML [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>" +
        doc("<Alert><CmdID>1</CmdID><Data>&x;</Data></Alert>");

    const auto m = decode_xml(xxe);

    expect_error(m, CodecErrc::forbidden_construct);
}

TEST(XmlDecode, ReportsLineAndColumnOfSyntaxErrors) {
    const auto m = decode_xml("<SyncML xmlns=\"SYNCML:SYNCML1.2\">\n  <SyncHdr>\n  </SyncHd>");

    expect_error(m, CodecErrc::not_well_formed, {"line 3:"});
}

TEST(XmlDecode, ReportsElementPathAndLineOfMissingElement) {
    const auto m = decode_xml(doc("<Alert>\n<CmdID>1</CmdID></Alert><Alert>\n<Data>1201</Data></Alert>"));

    expect_error(m, CodecErrc::missing_element, {"/SyncML/SyncBody/Alert[1]/Data", "line 1:"});
}

TEST(XmlDecode, RejectsMessageOverSizeLimit) {
    Limits limits;
    limits.max_message_bytes = 100;

    const auto m = decode_xml(doc(""), limits);

    expect_error(m, CodecErrc::too_large);
}

TEST(XmlDecode, RejectsNestingOverDepthLimit) {
    std::string body;
    for (int i = 0; i < 40; ++i)
        body += "<Sequence><CmdID>1</CmdID>";
    for (int i = 0; i < 40; ++i)
        body += "</Sequence>";

    const auto m = decode_xml(doc(body));

    expect_error(m, CodecErrc::too_deep);
}

TEST(XmlDecode, SurvivesVeryDeepNesting) {
    std::string deep(200000 * 3, ' ');
    for (std::size_t i = 0; i < 200000; ++i)
        deep.replace(i * 3, 3, "<a>");

    const auto m = decode_xml(deep);

    ASSERT_FALSE(m);
}

TEST(XmlDecode, RejectsMoreItemsThanTheLimit) {
    Limits limits;
    limits.max_items = 2;
    const std::string item = "<Item><Target><LocURI>./A</LocURI></Target></Item>";

    const auto m = decode_xml(doc("<Get><CmdID>1</CmdID>" + item + item + item + "</Get>"), limits);

    expect_error(m, CodecErrc::too_many_items);
}

TEST(XmlDecode, RejectsMoreCommandsThanTheLimit) {
    Limits limits;
    limits.max_commands = 2;
    const std::string alert = "<Alert><CmdID>1</CmdID><Data>1201</Data></Alert>";

    const auto m = decode_xml(doc(alert + "<Atomic><CmdID>2</CmdID>" + alert + "</Atomic>"), limits);

    expect_error(m, CodecErrc::too_many_items);
}

TEST(XmlDecode, RejectsNumbersOutOfRange) {
    const auto m = decode_xml(doc("<Alert><CmdID>4294967296</CmdID><Data>1201</Data></Alert>"));

    expect_error(m, CodecErrc::bad_value);
}

TEST(XmlDecode, RejectsElementsInsideLeafValues) {
    const auto m = decode_xml(doc("<Alert><CmdID><b>1</b></CmdID><Data>1201</Data></Alert>"));

    expect_error(m, CodecErrc::unexpected_element);
}

TEST(XmlDecode, RejectsTwoRootElements) {
    const auto m = decode_xml(doc("") + "<SyncML/>");

    expect_error(m, CodecErrc::not_well_formed);
}

TEST(XmlDecode, RejectsEmptyInput) {
    const auto m = decode_xml("");

    expect_error(m, CodecErrc::not_well_formed);
}

TEST(XmlDecode, IgnoresMetInfElementsTheModelDoesNotCarry) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    const auto m = decode_xml(replace_with_data(
        "<Meta><Format xmlns=\"syncml:metinf\">int</Format><EMI xmlns=\"syncml:metinf\">x</EMI>"
        "<Version xmlns=\"syncml:metinf\">1</Version><FreeMem xmlns=\"syncml:metinf\">10</FreeMem>"
        "<FreeID xmlns=\"syncml:metinf\">2</FreeID><Mem xmlns=\"syncml:metinf\"><FreeMem>1</FreeMem></Mem>"
        "<Anchor xmlns=\"syncml:metinf\"><Last>a</Last><Next>b</Next></Anchor></Meta><Data>3</Data>"));

    ASSERT_TRUE(m) << m.error().message();
    EXPECT_EQ(first_item(*m).meta->format, "int");
}

TEST(XmlDecode, RejectsMetaChildrenOutsideMetInf) {
    const auto m = decode_xml(replace_with_data("<Meta><Colour>red</Colour></Meta><Data>3</Data>"));

    expect_error(m, CodecErrc::unexpected_element, {"Meta/Colour"});
}

TEST(XmlDecode, KeepsRejectingUnknownElementsInCommands) {
    const auto m = decode_xml(doc("<Add><CmdID>1</CmdID><EMI>x</EMI><Item><Data>1</Data></Item></Add>"));

    expect_error(m, CodecErrc::unexpected_element);
}

} // namespace
} // namespace omadm::syncml
