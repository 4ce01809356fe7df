#include "omadm/syncml/builder.hpp"
#include "omadm/syncml/codec.hpp"
#include "omadm/testing/covers.hpp"
#include "test_support.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <iterator>
#include <string>

namespace omadm::syncml {
namespace {

using test::as_bytes;

Message package1() {
    return MessageBuilder(make_hdr(base::SessionId{"1"}, MsgId{1}, "https://dm.example.com/dm", "IMEI:1"))
        .alert(alert_code::kClientInitiatedMgmt)
        .command(
            Replace{{CmdId{},
                     false,
                     std::nullopt,
                     std::nullopt,
                     {source_item("./DevInfo/DevId", "IMEI:1"), source_item("./DevInfo/Man", "ACME & Co")}}})
        .build();
}

/// Encodes `msg` as WBXML and decodes it back: it must come back equal.
void expect_round_trip(const Message& msg) {
    const auto wbxml = encode_wbxml(msg);
    ASSERT_TRUE(wbxml) << wbxml.error().message();
    const auto back = decode_wbxml(as_bytes(*wbxml));
    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(*back, msg);
}

std::string hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : bytes) {
        const auto u = static_cast<unsigned char>(c);
        out += kDigits[u >> 4U];
        out += kDigits[u & 0xFU];
    }
    return out;
}

TEST(WbxmlCodec, WritesWbxml13HeaderWithSyncml12PublicIdAndUtf8) {
    const auto wbxml = encode_wbxml(package1());

    ASSERT_TRUE(wbxml) << wbxml.error().message();
    // version 1.3, public id 0x1201 as mb_u_int32 A4 01, charset UTF-8 (106), empty string table.
    EXPECT_EQ(hex(wbxml->substr(0, 5)), "03A4016A00");
}

TEST(WbxmlCodec, RoundTripsAPackage1) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    const auto msg = package1();

    expect_round_trip(msg);
}

TEST(WbxmlCodec, RefusesTheTndsMediaTypeOutsideMetaType) {
    // libwbxml2 turns that text into "...+wbxml" wherever it stands: as a TargetRef the message
    // would not decode to itself (found by fuzz_wbxml_decode; the input is in its seed corpus).
    Message msg = package1();
    Status st;
    st.cmd_id = CmdId{5};
    st.msg_ref = MsgId{1};
    st.cmd_ref = CmdId{0};
    st.cmd = "SyncHdr";
    st.target_refs = {"application/vnd.syncml.dmtnds+xml"};
    msg.body.emplace_back(st);
    EXPECT_FALSE(encode_wbxml(msg));
}

TEST(WbxmlCodec, NeverEncodesWhatWouldNotDecodeToItself) {
    // Inputs found by fuzz_wbxml_decode (kept in its seed corpus): they decode, but libwbxml2 would
    // re-encode them into bytes that decode to something else, or that our decoder refuses.
    for (const char* name : {"embedded_document_in_data.wbxml", "tnds_mime_as_targetref.wbxml"}) {
        std::ifstream in(std::string(OMADM_SOURCE_DIR) + "/fuzz/corpus/fuzz_wbxml_decode/" + name,
                         std::ios::binary);
        ASSERT_TRUE(in) << name;
        const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        const auto first = decode_wbxml(as_bytes(bytes));
        ASSERT_TRUE(first) << name << ": " << first.error().message();
        const auto wbxml = encode_wbxml(*first);
        if (!wbxml) continue; // refused: nothing is sent that would not come back as it left
        const auto back = decode_wbxml(as_bytes(*wbxml));
        ASSERT_TRUE(back) << name << ": " << back.error().message();
        EXPECT_EQ(*back, *first) << name;
    }
}

TEST(WbxmlCodec, EncodingIsDeterministic) {
    EXPECT_EQ(encode_wbxml(package1()).value(), encode_wbxml(package1()).value());
}

TEST(WbxmlCodec, DecodesPublicIdZeroWithFpiInStringTable) {
    const auto wbxml = encode_wbxml(package1()).value();
    const std::string fpi = "-//SYNCML//DTD SyncML 1.2//EN";
    // Header rewritten as deployed clients send it: public id 0, index 0 into a string table
    // that holds the FPI.
    std::string anonymous = std::string("\x03\x00\x00\x6A", 4);
    anonymous += static_cast<char>(fpi.size() + 1);
    anonymous += fpi;
    anonymous += '\0';
    anonymous += wbxml.substr(5);

    const auto back = decode_wbxml(as_bytes(anonymous));

    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(*back, package1());
}

TEST(WbxmlCodec, ReadsTheFormOfAHeader) {
    const std::string fpi = "-//SYNCML//DTD SyncML 1.2//EN";
    std::string anonymous = std::string("\x02\x00\x00\x6A", 4);
    anonymous += static_cast<char>(fpi.size() + 1);
    anonymous += fpi + '\0';

    EXPECT_EQ(wbxml_form(as_bytes(std::string("\x02\xA4\x01\x6A\x00", 5))), (WbxmlForm{0x02, ""}));
    EXPECT_EQ(wbxml_form(as_bytes(anonymous)), (WbxmlForm{0x02, fpi}));
    EXPECT_EQ(wbxml_form(as_bytes(std::string("\x07\xA4\x01", 3))), std::nullopt);         // no such version
    EXPECT_EQ(wbxml_form(as_bytes(std::string("\x03\x00\x00\x6A\x7F", 5))), std::nullopt); // table cut
}

TEST(WbxmlCodec, WritesTheFormItIsGiven) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    const std::string fpi = "-//SYNCML//DTD SyncML 1.2//EN";
    for (const auto& form :
         {WbxmlForm{0x01, ""}, WbxmlForm{0x02, ""}, WbxmlForm{0x02, fpi}, WbxmlForm{0x03, fpi}}) {
        const auto wbxml = encode_wbxml(package1(), form);
        ASSERT_TRUE(wbxml) << wbxml.error().message();

        EXPECT_EQ(wbxml_form(as_bytes(*wbxml)), form) << hex(wbxml->substr(0, 8));
        const auto back = decode_wbxml(as_bytes(*wbxml));
        ASSERT_TRUE(back) << back.error().message();
        EXPECT_EQ(*back, package1());
    }
}

TEST(WbxmlCodec, KeepsTndsDataAsEmbeddedXml) {
    Meta meta;
    meta.format = "xml";
    meta.type = "application/vnd.syncml.dmtnds+xml";
    const std::string tnds =
        "<MgmtTree xmlns=\"syncml:dmddf1.2\"><VerDTD>1.2</VerDTD><Node><NodeName>P1</NodeName>"
        "<RTProperties><Format><node/></Format><Type><DDFName>urn:x</DDFName></Type></RTProperties>"
        "</Node></MgmtTree>";
    const auto msg = MessageBuilder(make_hdr(base::SessionId{"1"}, MsgId{2}, "IMEI:1", "srv"))
                         .add("./MgmtPolicy/Policies", tnds, meta)
                         .build();

    expect_round_trip(msg);
}

TEST(WbxmlCodec, RejectsGarbage) {
    const std::string garbage = "\x03\xA4\x01\x6A\x00\x6D\x6C\x71\x03\xFF\xFF";

    const auto r = decode_wbxml(as_bytes(garbage));

    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, make_error_code(CodecErrc::wbxml_error)) << r.error().detail;
}

TEST(WbxmlCodec, RejectsEmptyInput) {
    const auto r = decode_wbxml({});

    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, make_error_code(CodecErrc::wbxml_error));
}

TEST(WbxmlCodec, EnforcesSizeLimitBeforeParsing) {
    const auto wbxml = encode_wbxml(package1()).value();
    Limits limits;
    limits.max_message_bytes = wbxml.size() - 1;

    const auto r = decode_wbxml(as_bytes(wbxml), limits);

    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, make_error_code(CodecErrc::too_large));
}

TEST(WbxmlCodec, RejectsEveryTruncation) {
    const auto wbxml = encode_wbxml(package1()).value();
    for (std::size_t n = 0; n < wbxml.size(); ++n) {
        const auto r = decode_wbxml(as_bytes(wbxml.substr(0, n)));
        EXPECT_FALSE(r) << "prefix of " << n << " bytes decoded";
    }
}

} // namespace
} // namespace omadm::syncml
