#include "omadm/syncml/codec.hpp"

#include "omadm/testing/covers.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <string>

namespace omadm::syncml {
namespace {

using test::as_bytes;

// WBXML 1.3, public id 0x1201 (SyncML 1.2), UTF-8.
const std::string kHeader = "\x03\xA4\x01\x6A";
constexpr char kEnd = '\x01';
constexpr char kSyncMlOpen = '\x6D';  // <SyncML> with content
constexpr char kFinal = '\x12';       // <Final/>
constexpr char kStrT = '\x83';
constexpr char kOpaque = '\xC3';

std::string with_empty_table(std::string body) { return kHeader + std::string(1, '\0') + body; }

/// mb_u_int32 encoding of v.
std::string mb(std::uint32_t v) {
    std::string out(1, static_cast<char>(v & 0x7FU));
    for (v >>= 7U; v != 0; v >>= 7U) out.insert(out.begin(), static_cast<char>(0x80U | (v & 0x7FU)));
    return out;
}

CodecErrc code_of(const base::Result<Message>& r) {
    EXPECT_FALSE(r);
    if (r) return CodecErrc::ok;
    return static_cast<CodecErrc>(r.error().code.value());
}

TEST(WbxmlBounds, RejectsManyStringTableReferencesBeforeExpansion) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    const std::string table = std::string(999, 'a') + '\0';
    std::string body(1, kSyncMlOpen);
    for (int i = 0; i < 5000; ++i) body += std::string(1, kStrT) + mb(0);
    body += kEnd;
    const std::string wbxml = kHeader + mb(static_cast<std::uint32_t>(table.size())) + table + body;
    ASSERT_LT(wbxml.size(), 20000U);  // 20 kB that would expand to about 5 MB of text

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
    const std::string outer = with_empty_table(std::string(5, kSyncMlOpen) + kOpaque +
                                               mb(static_cast<std::uint32_t>(inner.size())) + inner +
                                               std::string(5, kEnd));

    EXPECT_EQ(code_of(decode_wbxml(as_bytes(outer))), CodecErrc::too_deep);
}

TEST(WbxmlBounds, RejectsUnterminatedInlineStringWithItsOffset) {
    const std::string wbxml = with_empty_table(std::string(1, kSyncMlOpen) + "\x03" + "abc");

    const auto r = decode_wbxml(as_bytes(wbxml));

    EXPECT_EQ(code_of(r), CodecErrc::wbxml_error);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("offset 6"), std::string::npos) << r.error().detail;
}

TEST(WbxmlBounds, RejectsStringTableReferenceOutOfRange) {
    const std::string wbxml = kHeader + mb(2) + std::string("a\0", 2) + kSyncMlOpen + kStrT + mb(2) + kEnd;

    const auto r = decode_wbxml(as_bytes(wbxml));

    EXPECT_EQ(code_of(r), CodecErrc::wbxml_error);
    ASSERT_FALSE(r);
    EXPECT_NE(r.error().detail.find("offset 8"), std::string::npos) << r.error().detail;
}

TEST(WbxmlBounds, RejectsTruncatedTokens) {
    const std::string cases[] = {
        "\x03\xA4",                                         // public id cut in its mb_u_int32
        kHeader + mb(10) + "abc",                           // string table longer than the input
        with_empty_table(std::string(1, kSyncMlOpen)),      // unclosed element
        with_empty_table(kSyncMlOpen + std::string(1, kOpaque) + mb(100) + "xy"),  // opaque cut
        with_empty_table(kSyncMlOpen + std::string(1, '\0')),                      // SWITCH_PAGE without page
        with_empty_table(std::string(1, kSyncMlOpen) + kEnd + kFinal),             // data after the root
        with_empty_table(std::string(1, kEnd)),                                    // END outside an element
    };
    for (const auto& wbxml : cases) {
        EXPECT_EQ(code_of(decode_wbxml(as_bytes(wbxml))), CodecErrc::wbxml_error);
    }
}

}  // namespace
}  // namespace omadm::syncml
