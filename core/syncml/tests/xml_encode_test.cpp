#include "omadm/syncml/builder.hpp"
#include "omadm/syncml/codec.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>

namespace omadm::syncml {
namespace {

SyncHdr hdr() {
    return make_hdr(base::SessionId{"1"}, MsgId{1}, "srv", "IMEI:1");
}

TEST(XmlEncode, WritesHeaderInDtdOrder) {
    SyncHdr h = hdr();
    h.resp_uri = "https://dm.example.com/dm?s=1";
    h.meta = Meta{};
    h.meta->max_msg_size = 16384;
    h.target.loc_name = "server";

    const auto xml = encode_xml(MessageBuilder(h).build());

    EXPECT_EQ(
        xml,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><SyncML xmlns=\"SYNCML:SYNCML1.2\"><SyncHdr>"
        "<VerDTD>1.2</VerDTD><VerProto>DM/1.2</VerProto><SessionID>1</SessionID><MsgID>1</MsgID>"
        "<Target><LocURI>srv</LocURI><LocName>server</LocName></Target><Source><LocURI>IMEI:1</LocURI>"
        "</Source><RespURI>https://dm.example.com/dm?s=1</RespURI><Meta><MaxMsgSize xmlns=\"syncml:metinf\">"
        "16384</MaxMsgSize></Meta></SyncHdr><SyncBody><Final/></SyncBody></SyncML>");
}

TEST(XmlEncode, WritesStatusChildrenInDtdOrder) {
    Chal chal;
    chal.meta.type = "syncml:auth-md5";
    chal.meta.format = "b64";
    chal.meta.next_nonce = "Tm9uY2U=";
    const auto xml =
        encode_xml(MessageBuilder(hdr()).status_for_hdr(hdr(), StatusCode::InvalidCredentials, chal).build());

    EXPECT_NE(
        xml.find(
            "<Status><CmdID>1</CmdID><MsgRef>1</MsgRef><CmdRef>0</CmdRef><Cmd>SyncHdr</Cmd>"
            "<TargetRef>srv</TargetRef><SourceRef>IMEI:1</SourceRef><Chal><Meta>"
            "<Format xmlns=\"syncml:metinf\">b64</Format><Type xmlns=\"syncml:metinf\">syncml:auth-md5"
            "</Type><NextNonce xmlns=\"syncml:metinf\">Tm9uY2U=</NextNonce></Meta></Chal><Data>401</Data>"
            "</Status>"),
        std::string::npos)
        << xml;
}

TEST(XmlEncode, EscapesTextData) {
    const auto xml = encode_xml(MessageBuilder(hdr()).replace("./A", "a<b & c>d\r").build());

    EXPECT_NE(xml.find("<Data>a&lt;b &amp; c&gt;d&#13;</Data>"), std::string::npos) << xml;
}

TEST(XmlEncode, WritesTndsDataAsElements) {
    const std::string tnds = "<MgmtTree xmlns=\"syncml:dmddf1.2\"><VerDTD>1.2</VerDTD></MgmtTree>";

    const auto xml = encode_xml(MessageBuilder(hdr()).add("./A", tnds).build());

    EXPECT_NE(xml.find("<Data>" + tnds + "</Data>"), std::string::npos) << xml;
}

TEST(XmlEncode, EscapesXmlLookingTextThatIsNotCanonical) {
    const std::string text = "<MgmtTree xmlns='syncml:dmddf1.2'/>";

    const auto msg = MessageBuilder(hdr()).add("./A", text).build();
    const auto back = decode_xml(encode_xml(msg));

    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(*back, msg);
}

TEST(XmlEncode, IsDeterministic) {
    const auto msg =
        MessageBuilder(hdr()).alert(alert_code::kClientInitiatedMgmt).get("./DevInfo/Mod").build();

    EXPECT_EQ(encode_xml(msg), encode_xml(msg));
}

TEST(XmlEncode, RoundTripsEveryOptionalField) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    SyncHdr h = make_hdr(base::SessionId{"A1"}, MsgId{9}, "srv", "dev", kVerProtoDm13);
    h.no_resp = true;
    h.cred = Cred{Meta{"b64", "syncml:auth-basic", {}, {}, {}, {}, {}}, "dXNlcjpwdw=="};
    Item item = target_item("./A", "x", Meta{"chr", "text/plain", "fatal", 12, "bm9uY2U=", 1, 2});
    item.source = Location{"./B", "name"};
    item.more_data = true;
    Exec exec{CmdId{}, true, std::nullopt, Meta{}, std::string("c-1"), item};
    Results results{CmdId{}, MsgId{3}, CmdId{4}, Meta{}, std::string("./T"), std::string("./S"), {item}};

    const auto msg = MessageBuilder(h).command(exec).command(results).finality(Finality::NotFinal).build();
    const auto back = decode_xml(encode_xml(msg));

    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(*back, msg);
}

} // namespace
} // namespace omadm::syncml
