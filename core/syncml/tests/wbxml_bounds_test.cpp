#include "omadm/syncml/builder.hpp"
#include "omadm/syncml/codec.hpp"
#include "omadm/testing/covers.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace omadm::syncml {
namespace {

using test::as_bytes;

// WBXML 1.3, public id 0x1201 (SyncML 1.2), UTF-8.
const std::string kHeader = "\x03\xA4\x01\x6A";
constexpr char kEnd = '\x01';
constexpr char kSyncMlOpen = '\x6D'; // <SyncML> with content
constexpr char kFinal = '\x12';      // <Final/>
constexpr char kStrT = '\x83';
constexpr char kOpaque = '\xC3';
constexpr char kEntity = '\x02';
constexpr char kStrI = '\x03';
constexpr char kExtI0 = '\x40';
constexpr char kExtT0 = '\x80';
constexpr char kExt0 = '\xC0';

std::string with_empty_table(std::string body) {
    return kHeader + std::string(1, '\0') + body;
}

/// mb_u_int32 encoding of v.
std::string mb(std::uint32_t v) {
    std::string out(1, static_cast<char>(v & 0x7FU));
    for (v >>= 7U; v != 0; v >>= 7U)
        out.insert(out.begin(), static_cast<char>(0x80U | (v & 0x7FU)));
    return out;
}

CodecErrc code_of(const base::Result<Message>& r) {
    EXPECT_FALSE(r);
    if (r) return CodecErrc::ok;
    return static_cast<CodecErrc>(r.error().code.value());
}

/// The decode failed as wbxml_error, its detail holding `detail` (what and at which offset).
void expect_wbxml_error(const base::Result<Message>& r, std::string_view detail) {
    EXPECT_EQ(code_of(r), CodecErrc::wbxml_error);
    if (r) return;
    EXPECT_NE(r.error().detail.find(detail), std::string::npos) << r.error().detail;
}

/// A message whose <Data> libwbxml2 expands as an embedded WBXML document: <SyncML><Item><Meta>
/// <Type>application/vnd.syncml.dmtnds+wbxml</Type></Meta><Data>`data`</Data></Item></SyncML>.
std::string in_tnds_data(const std::string& data) {
    // <Item><Meta>, code page 1, <Type>; then </Type></Meta>, code page 0, <Data>.
    const std::string item_meta_type("\x54\x5A\x00\x01\x53", 5);
    const std::string close_to_data("\x01\x01\x00\x00\x4F", 5);
    return with_empty_table(kSyncMlOpen + item_meta_type + kStrI + "application/vnd.syncml.dmtnds+wbxml" +
                            '\0' + close_to_data + data + std::string(3, kEnd));
}

/// `depth` nested <SyncML> elements.
std::string nested_elements(std::size_t depth) {
    return std::string(depth, kSyncMlOpen) + std::string(depth, kEnd);
}

/// `data` as the OPAQUE token holding it.
std::string opaque(const std::string& data) {
    return kOpaque + mb(static_cast<std::uint32_t>(data.size())) + data;
}

/// `levels` documents, each one opaque data in a processing instruction of the one around it.
std::string documents_in_pis(std::size_t levels) {
    const std::string innermost = with_empty_table(std::string(1, kSyncMlOpen) + kEnd);
    const std::string pi_opaque = with_empty_table(std::string("\x43\x05", 2)) + kOpaque;
    const std::string after_pi = std::string(1, kEnd) + kSyncMlOpen + kEnd;
    // Heads of the documents, innermost first.
    std::vector<std::string> heads;
    std::size_t size = innermost.size();
    for (std::size_t i = 0; i < levels; ++i) {
        heads.push_back(pi_opaque + mb(static_cast<std::uint32_t>(size)));
        size += heads.back().size() + after_pi.size();
    }
    std::string out;
    for (auto head = heads.rbegin(); head != heads.rend(); ++head)
        out += *head;
    out += innermost;
    for (std::size_t i = 0; i < levels; ++i)
        out += after_pi;
    return out;
}

Message with_device_id(const std::string& device_id) {
    return MessageBuilder(make_hdr(base::SessionId{"1"}, MsgId{1}, "https://dm.example.com/dm", device_id))
        .alert(alert_code::kClientInitiatedMgmt)
        .build();
}

TEST(WbxmlBounds, RejectsManyStringTableReferencesBeforeExpansion) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    const std::string table = std::string(999, 'a') + '\0';
    std::string body(1, kSyncMlOpen);
    for (int i = 0; i < 5000; ++i)
        body += std::string(1, kStrT) + mb(0);
    body += kEnd;
    const std::string wbxml = kHeader + mb(static_cast<std::uint32_t>(table.size())) + table + body;
    ASSERT_LT(wbxml.size(), 20000U); // 20 kB that would expand to about 5 MB of text

    const auto r = decode_wbxml(as_bytes(wbxml));

    EXPECT_EQ(code_of(r), CodecErrc::too_large) << (r ? "" : r.error().detail);
}

TEST(WbxmlBounds, RejectsManyOneByteTagsBeyondTheExpansionBound) {
    Limits limits;
    limits.max_message_bytes = 64 * 1024;
    const std::string wbxml = with_empty_table(kSyncMlOpen + std::string(60000, kFinal) + kEnd);

    EXPECT_EQ(code_of(decode_wbxml(as_bytes(wbxml), limits)), CodecErrc::too_large);
}

TEST(WbxmlBounds, RejectsDeepNestingBeforeExpansion) {
    const std::string wbxml = with_empty_table(std::string(40, kSyncMlOpen) + std::string(40, kEnd));

    const auto r = decode_wbxml(as_bytes(wbxml));

    EXPECT_EQ(code_of(r), CodecErrc::too_deep);
}

TEST(WbxmlBounds, CountsDepthInsideEmbeddedDocuments) {
    const std::string inner = with_empty_table(std::string(30, kSyncMlOpen) + std::string(30, kEnd));
    const std::string outer =
        with_empty_table(std::string(5, kSyncMlOpen) + kOpaque +
                         mb(static_cast<std::uint32_t>(inner.size())) + inner + std::string(5, kEnd));

    EXPECT_EQ(code_of(decode_wbxml(as_bytes(outer))), CodecErrc::too_deep);
}

TEST(WbxmlBounds, RejectsUnterminatedInlineStringWithItsOffset) {
    const std::string wbxml = with_empty_table(std::string(1, kSyncMlOpen) + "\x03" + "abc");

    const auto r = decode_wbxml(as_bytes(wbxml));

    expect_wbxml_error(r, "offset 6");
}

TEST(WbxmlBounds, RejectsStringTableReferenceOutOfRange) {
    const std::string wbxml = kHeader + mb(2) + std::string("a\0", 2) + kSyncMlOpen + kStrT + mb(2) + kEnd;

    const auto r = decode_wbxml(as_bytes(wbxml));

    expect_wbxml_error(r, "offset 8");
}

TEST(WbxmlBounds, RejectsTruncatedTokens) {
    const std::string cases[] = {
        "\x03\xA4",                                    // public id cut in its mb_u_int32
        kHeader + mb(10) + "abc",                      // string table longer than the input
        with_empty_table(std::string(1, kSyncMlOpen)), // unclosed element
        with_empty_table(kSyncMlOpen + std::string(1, kOpaque) + mb(100) + "xy"), // opaque cut
        with_empty_table(kSyncMlOpen + std::string(1, '\0')),                     // SWITCH_PAGE without page
        with_empty_table(std::string(1, kSyncMlOpen) + kEnd + kFinal),            // data after the root
        with_empty_table(std::string(1, kEnd)),                                   // END outside an element
    };
    for (const auto& wbxml : cases) {
        EXPECT_EQ(code_of(decode_wbxml(as_bytes(wbxml))), CodecErrc::wbxml_error);
    }
}

TEST(WbxmlBounds, RefusesEntityCodeBeyond31BitsInsteadOfAborting) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    // ENTITY 0xFFFFFFFF in <SyncML><SyncHdr><VerDTD>: libwbxml2 asserted on it and aborted.
    const std::string wbxml("\x03\xA4\x01\x6A\x00\x6D\x6C\x71\x02\x8F\xFF\xFF\xFF\x7F\x01\x01\x01", 17);

    const auto r = decode_wbxml(as_bytes(wbxml));

    expect_wbxml_error(r, "ENTITY code 4294967295 is not a character at offset 8");
}

TEST(WbxmlBounds, RefusesEntitiesThatAreNoUnicodeCharacter) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    const std::uint32_t codes[] = {0x110000, 0xD800, 0xDFFF, 0};
    for (const auto code : codes) {
        const std::string wbxml = with_empty_table(kSyncMlOpen + (kEntity + mb(code)) + kEnd);

        EXPECT_EQ(code_of(decode_wbxml(as_bytes(wbxml))), CodecErrc::wbxml_error) << code;
    }
}

TEST(WbxmlBounds, DecodesAnEntityInsideALeaf) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    const auto wbxml = encode_wbxml(with_device_id("IMEI:caf")).value();
    const std::string text = kStrI + std::string("IMEI:caf") + '\0';
    const auto at = wbxml.find(text);
    ASSERT_NE(at, std::string::npos);
    std::string with_entity = wbxml;
    // U+00E9 after the inline string.
    with_entity.insert(at + text.size(), kEntity + mb(0xE9));

    const auto back = decode_wbxml(as_bytes(with_entity));

    ASSERT_TRUE(back) << back.error().message();
    EXPECT_EQ(*back, with_device_id("IMEI:caf\xC3\xA9"));
}

TEST(WbxmlBounds, RefusesExtensionTokens) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    // libwbxml2 reads no operand after an extension token in a SyncML document: to it, the
    // "string" of this EXT_I_0 was 100000 nested elements, beyond its stack.
    const std::string cases[] = {
        with_empty_table(kSyncMlOpen + (kExtI0 + nested_elements(100000)) + '\0' + kEnd),
        with_empty_table(kSyncMlOpen + (kExtT0 + mb(0)) + kEnd),
        with_empty_table(std::string(1, kSyncMlOpen) + kExt0 + kEnd),
    };
    for (const auto& wbxml : cases) {
        const auto r = decode_wbxml(as_bytes(wbxml));

        expect_wbxml_error(r, "extension token at offset 6");
    }
}

TEST(WbxmlBounds, RefusesDocumentTypesOtherThanSyncMl) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    // An unknown root element holding opaque data: libwbxml2 dereferenced a null tag for it in
    // DRMREL 1.0 (public id 0x0E) and WV-CSP 1.1 (0x10) or 1.2 (its FPI in the string table).
    const std::string body = "\x7F" + opaque("A") + kEnd;
    const std::string fpi = std::string("-//OMA//DTD WV-CSP 1.2//EN") + '\0';
    const std::string cases[] = {
        std::string("\x03\x0E\x6A\x00", 4) + body,
        std::string("\x03\x10\x6A\x00", 4) + body,
        std::string("\x03\x00\x00\x6A", 4) + mb(static_cast<std::uint32_t>(fpi.size())) + fpi + body,
    };
    for (const auto& wbxml : cases) {
        const auto r = decode_wbxml(as_bytes(wbxml));

        expect_wbxml_error(r, "public id of no SyncML document type at offset 1");
    }
}

TEST(WbxmlBounds, RefusesCharsetsOtherThanUtf8) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    // UTF-16 (MIBenum 1015): its strings end with two NUL bytes, not one.
    const std::string wbxml = "\x03\xA4\x01" + mb(1015) + '\0' + kSyncMlOpen + kEnd;

    const auto r = decode_wbxml(as_bytes(wbxml));

    expect_wbxml_error(r, "charset 1015");
}

TEST(WbxmlBounds, RefusesPiRightAfterSwitchPageOutsideElements) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    // Before the root, libwbxml2 reads the byte after SWITCH_PAGE as the root's tag: to it, this
    // "PI" was an element holding 100000 nested elements, beyond its stack.
    const std::string switch_page("\x00\x00", 2);
    const std::string pi = "\x43" + std::string(100000, kSyncMlOpen) + kEnd;
    const std::string wbxml = with_empty_table(switch_page + pi + kSyncMlOpen + kEnd);

    const auto r = decode_wbxml(as_bytes(wbxml));

    expect_wbxml_error(r, "PI after SWITCH_PAGE at offset 5");
}

TEST(WbxmlBounds, LeavesTextOfProcessingInstructionsUnexpanded) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    // libwbxml2 never expands a PI's text; scanning it as a document recursed once per level, with
    // no element to count, until the scan ran out of stack.
    const std::string wbxml = documents_in_pis(60000);
    ASSERT_LT(wbxml.size(), Limits{}.max_message_bytes);

    const auto r = decode_wbxml(as_bytes(wbxml));

    EXPECT_EQ(code_of(r), CodecErrc::wbxml_error);
}

TEST(WbxmlBounds, CountsDepthOfDocumentsEmbeddedInInlineStrings) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    // A document needs no NUL byte (here its string table "a" has none), so an inline string can
    // embed one; libwbxml2 expanded these 100000 levels beyond its stack.
    const std::string document = kHeader + mb(1) + "a" + nested_elements(100000);

    const auto r = decode_wbxml(as_bytes(in_tnds_data(kStrI + document + '\0')));

    EXPECT_EQ(code_of(r), CodecErrc::too_deep);
}

TEST(WbxmlBounds, CountsDepthOfEmbeddedDocumentsWhateverTheirVersionByte) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    // Version byte 4: libwbxml2 decodes it as WBXML 1.3.
    const std::string document = "\x04" + kHeader.substr(1) + '\0' + nested_elements(100000);

    const auto r = decode_wbxml(as_bytes(in_tnds_data(opaque(document))));

    EXPECT_EQ(code_of(r), CodecErrc::too_deep);
}

TEST(WbxmlBounds, RefusesEmbeddedDocumentsThatLibwbxmlCannotDecodeSafely) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    // An entity it asserts on, and a DRMREL 1.0 document where it dereferences a null tag.
    const std::string cases[] = {
        with_empty_table(kSyncMlOpen + (kEntity + mb(0xFFFFFFFF)) + kEnd),
        std::string("\x03\x0E\x6A\x00\x7F", 5) + opaque("A") + kEnd,
    };
    for (const auto& document : cases) {
        const auto r = decode_wbxml(as_bytes(in_tnds_data(opaque(document))));

        expect_wbxml_error(r, "document embedded at offset");
    }
}

TEST(WbxmlBounds, RefusesAnEmptyOpaqueNextNonce) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    // libwbxml2 writes the opaque bytes of a NextNonce as base64 text, and leaked that text's
    // buffer when there were no bytes.
    Chal chal;
    chal.meta.type = "syncml:auth-md5";
    chal.meta.format = "b64";
    chal.meta.next_nonce = "Tm9uY2U=";
    const auto message = MessageBuilder(make_hdr(base::SessionId{"1"}, MsgId{1}, "srv", "IMEI:1"))
                             .status_for_hdr(make_hdr(base::SessionId{"1"}, MsgId{1}, "IMEI:1", "srv"),
                                             StatusCode::InvalidCredentials, chal)
                             .build();
    const auto wbxml = encode_wbxml(message).value();
    const std::string as_text = std::string("\x50") + kStrI + "Tm9uY2U=" + '\0';
    const auto at = wbxml.find(as_text);
    ASSERT_NE(at, std::string::npos);
    const auto with_nonce = [&](const std::string& token) {
        return std::string(wbxml).replace(at + 1, as_text.size() - 1, token);
    };

    const auto as_bytes_of_nonce = decode_wbxml(as_bytes(with_nonce(opaque("Nonce"))));
    const auto empty = decode_wbxml(as_bytes(with_nonce(opaque(""))));

    ASSERT_TRUE(as_bytes_of_nonce) << as_bytes_of_nonce.error().message();
    EXPECT_EQ(*as_bytes_of_nonce, message);
    expect_wbxml_error(empty, "empty opaque NextNonce at offset " + std::to_string(at + 1));
}

} // namespace
} // namespace omadm::syncml
