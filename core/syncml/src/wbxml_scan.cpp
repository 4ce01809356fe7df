// WBXML pre-scan (see wbxml_scan.hpp). Token values from WBXML 1.3 section 7.1; the bound of
// each token is what libwbxml2's XML generator can write for it, rounded up:
// - a tag: "<Name" ">" "</Name>" with a namespace declaration when the code page changes;
// - text (inline strings, string-table references, opaque data): every byte may become an entity
//   such as "&quot;" (6 bytes), opaque data is written as CDATA or base64;
// - opaque data or a string may hold an embedded WBXML document (a TNDS MgmtTree), which libwbxml2
//   expands in place whatever its version byte: such text is scanned as a document of its own, at
//   the depth where it sits, when its header names a document type libwbxml2 knows.
// Besides bounding, the scan refuses what libwbxml2 cannot decode safely: an ENTITY that is not a
// character (it asserts), extension tokens (it skips their operands for SyncML, so the scan would
// lose step with it), document types other than SyncML's (some dereference a null tag on opaque
// data), a charset whose strings are not NUL-terminated bytes, and empty opaque data in a MetInf
// NextNonce (libwbxml2 base64-encodes a nonce's bytes and leaks the buffer when there are none).
#include "wbxml_scan.hpp"

#include "xml_internal.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omadm::syncml::detail {
namespace {

using base::Result;

// Global tokens (WBXML 1.3 7.1).
constexpr std::uint8_t kSwitchPage = 0x00;
constexpr std::uint8_t kEnd = 0x01;
constexpr std::uint8_t kEntity = 0x02;
constexpr std::uint8_t kStrI = 0x03;
constexpr std::uint8_t kLiteral = 0x04;
constexpr std::uint8_t kExtI0 = 0x40;
constexpr std::uint8_t kExtI2 = 0x42;
constexpr std::uint8_t kPi = 0x43;
constexpr std::uint8_t kExtT0 = 0x80;
constexpr std::uint8_t kExtT2 = 0x82;
constexpr std::uint8_t kStrT = 0x83;
constexpr std::uint8_t kExt0 = 0xC0;
constexpr std::uint8_t kExt2 = 0xC2;
constexpr std::uint8_t kOpaque = 0xC3;
constexpr std::uint8_t kHasAttributes = 0x80;
constexpr std::uint8_t kHasContent = 0x40;
constexpr std::uint8_t kTagIdMask = 0x3F;

// <NextNonce>: token 0x10 of code page 1, the MetInf page of a SyncML message
// (OMA-SUP-DTD_SyncML_MetaInfo-V1_2, as libwbxml2's tables number it).
constexpr std::uint8_t kMetInfPage = 0x01;
constexpr std::uint8_t kNextNonceTag = 0x10;

constexpr std::uint8_t kMaxVersion = 0x03;     // WBXML 1.3
constexpr std::size_t kTagBound = 160;         // tag names (at most 32) twice, brackets, xmlns declaration
constexpr std::size_t kTokenBound = 64;        // an attribute name or value token, an entity, an extension
constexpr std::size_t kTextFactor = 6;         // one byte of text written as an entity
constexpr std::size_t kTextOverhead = 16;      // CDATA brackets
constexpr std::size_t kDocumentOverhead = 512; // XML declaration and DOCTYPE

// An entity is a character code (WBXML 1.3 section 5.8.4.3): Unicode scalar values only.
constexpr std::uint32_t kMaxCodePoint = 0x10FFFF;
constexpr std::uint32_t kSurrogateFirst = 0xD800;
constexpr std::uint32_t kSurrogateLast = 0xDFFF;

// Charsets (IANA MIBenum, WBXML 1.3 section 5.6) whose strings are NUL-terminated bytes; 0 means
// unknown, which libwbxml2 reads as UTF-8.
constexpr std::uint32_t kCharsetUnknown = 0;
constexpr std::uint32_t kCharsetUsAscii = 3;
constexpr std::uint32_t kCharsetUtf8 = 106;

/// A document type libwbxml2 recognises in a header: by its numeric public id (WBXML 1.3 sections
/// 5.5 and 7.2), or by its formal public identifier in the string table, compared without case.
/// SyncML's own types (SyncML, DevInf, MetInf, DM DDF) are the only ones a message or its content
/// may use.
struct DocumentType {
    std::uint32_t id;
    std::string_view fpi;
    bool syncml;
};

// The public id meaning "unknown or missing public identifier".
constexpr std::uint32_t kNoNumericId = 0x01;

constexpr DocumentType kDocumentTypes[] = {
    {0x0FD1, "-//SYNCML//DTD SyncML 1.0//EN", true},
    {0x0FD2, "-//SYNCML//DTD DevInf 1.0//EN", true},
    {0x0FD3, "-//SYNCML//DTD SyncML 1.1//EN", true},
    {0x0FD4, "-//SYNCML//DTD DevInf 1.1//EN", true},
    {kNoNumericId, "-//SYNCML//DTD MetInf 1.1//EN", true},
    {0x1201, "-//SYNCML//DTD SyncML 1.2//EN", true},
    {0x1202, "-//SYNCML//DTD MetInf 1.2//EN", true},
    {0x1203, "-//SYNCML//DTD DevInf 1.2//EN", true},
    {kNoNumericId, "-//OMA//DTD-DM-DDF 1.2//EN", true},
    {0x02, "-//WAPFORUM//DTD WML 1.0//EN", false},
    {0x03, "-//WAPFORUM//DTD WTA 1.0//EN", false},
    {0x04, "-//WAPFORUM//DTD WML 1.1//EN", false},
    {0x05, "-//WAPFORUM//DTD SI 1.0//EN", false},
    {0x06, "-//WAPFORUM//DTD SL 1.0//EN", false},
    {0x07, "-//WAPFORUM//DTD CO 1.0//EN", false},
    {0x08, "-//WAPFORUM//DTD CHANNEL 1.1//EN", false},
    {0x09, "-//WAPFORUM//DTD WML 1.2//EN", false},
    {0x0A, "-//WAPFORUM//DTD WML 1.3//EN", false},
    {0x0B, "-//WAPFORUM//DTD PROV 1.0//EN", false},
    {0x0C, "-//WAPFORUM//DTD WTA-WML 1.2//EN", false},
    {0x0D, "-//WAPFORUM//DTD EMN 1.0//EN", false},
    {0x0E, "-//OMA//DTD DRMREL 1.0//EN", false},
    {0x10, "-//OMA//DTD WV-CSP 1.1//EN", false},
    {0x8F, "-//CONML//DTD ConML//EN", false},
    {kNoNumericId, "-//WAPFORUM//DTD CHANNEL 1.2//EN", false},
    {kNoNumericId, "-//OMA//DTD WV-CSP 1.2//EN", false},
    {kNoNumericId, "-//AIRSYNC//DTD AirSync//EN", false},
    {kNoNumericId, "-//MICROSOFT//DTD ActiveSync//EN", false},
};

/// What a header names: a SyncML document type, another type libwbxml2 decodes, or nothing it
/// decodes (then libwbxml2 refuses the document, and embedded text stays text).
enum class DocumentKind { Unknown, SyncMl, Other };

/// Where the scanned bytes come from: the message, or text inside it that may be a document.
enum class Origin { Message, Embedded };

/// Where a token sits: in an element's content (whose text libwbxml2 may expand as a document), or
/// in an attribute list or processing instruction (whose text it never expands).
enum class Place { Content, AttributeList };

bool same_fpi(std::span<const std::uint8_t> text, std::string_view fpi) {
    const auto lower = [](unsigned c) { return c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c; };
    return text.size() == fpi.size() &&
           std::equal(text.begin(), text.end(), fpi.begin(), [&](std::uint8_t a, char b) {
               return lower(a) == lower(static_cast<unsigned char>(b));
           });
}

DocumentKind document_kind(std::uint32_t public_id, std::optional<std::span<const std::uint8_t>> fpi) {
    for (const auto& type : kDocumentTypes) {
        if (fpi ? same_fpi(*fpi, type.fpi) : public_id != kNoNumericId && public_id == type.id) {
            return type.syncml ? DocumentKind::SyncMl : DocumentKind::Other;
        }
    }
    return DocumentKind::Unknown;
}

class Scanner {
public:
    Scanner(std::span<const std::uint8_t> bytes, const Limits& limits, std::size_t base_depth, Origin origin)
        : bytes_(bytes), limits_(limits), origin_(origin), base_depth_(base_depth), depth_(base_depth) {
        budget_ = limits.max_message_bytes > std::numeric_limits<std::size_t>::max() / kMaxXmlExpansion
                      ? std::numeric_limits<std::size_t>::max()
                      : limits.max_message_bytes * kMaxXmlExpansion;
    }

    Result<WbxmlBound> run() {
        if (auto r = header(); !r) return r.error();
        if (auto r = add(kDocumentOverhead); !r) return r.error();
        if (auto r = body(); !r) return r.error();
        return WbxmlBound{bound_, max_depth_};
    }

private:
    [[nodiscard]] base::Error malformed(std::string_view what, std::size_t at) const {
        return codec_error(CodecErrc::wbxml_error,
                           "WBXML " + std::string(what) + " at offset " + std::to_string(at));
    }

    Result<std::uint8_t> byte() {
        if (pos_ >= bytes_.size()) return malformed("truncated", pos_);
        return bytes_[pos_++];
    }

    Result<std::uint32_t> mb_u_int32() { return read_mb_u_int32(bytes_, pos_); }

    Result<void> add(std::size_t n) {
        bound_ = n > budget_ - std::min(bound_, budget_) ? budget_ + 1 : bound_ + n;
        if (bound_ > budget_) {
            return codec_error(CodecErrc::too_large, "WBXML expands beyond " + std::to_string(budget_) +
                                                         " bytes of XML (offset " + std::to_string(pos_) +
                                                         ")");
        }
        return {};
    }

    Result<void> add_text(std::size_t length) {
        const std::size_t cap = std::numeric_limits<std::size_t>::max() / kTextFactor - kTextOverhead;
        return add(std::min(length, cap) * kTextFactor + kTextOverhead);
    }

    /// Version, public id, charset and string table (WBXML 1.3 section 5.3). Sets kind_ once the
    /// string table is read: until then, an error means libwbxml2 refuses the header too.
    Result<void> header() {
        const auto version = byte();
        if (!version) return version.error();
        // libwbxml2 reads any version byte of an embedded document as WBXML 1.3.
        if (origin_ == Origin::Message && *version > kMaxVersion) {
            return malformed("version " + std::to_string(*version) + " unknown", 0);
        }
        const std::size_t id_at = pos_;
        const auto public_id = mb_u_int32();
        if (!public_id) return public_id.error();
        std::optional<std::uint32_t> fpi_index;
        if (*public_id == 0) {
            auto index = mb_u_int32();
            if (!index) return index.error();
            fpi_index = *index;
        }
        const std::size_t charset_at = pos_;
        std::uint32_t charset = kCharsetUnknown;
        if (*version > 0) {
            const auto value = mb_u_int32();
            if (!value) return value.error();
            charset = *value;
        }
        if (auto r = string_table(fpi_index); !r) return r;
        kind_ = document_kind(*public_id, fpi_index ? std::optional(table_text(*fpi_index)) : std::nullopt);
        if (kind_ != DocumentKind::SyncMl) return malformed("public id of no SyncML document type", id_at);
        if (charset != kCharsetUnknown && charset != kCharsetUsAscii && charset != kCharsetUtf8) {
            return malformed("charset " + std::to_string(charset) + " other than UTF-8", charset_at);
        }
        return {};
    }

    Result<void> string_table(std::optional<std::uint32_t> fpi_index) {
        const std::size_t at = pos_;
        const auto length = mb_u_int32();
        if (!length) return length.error();
        if (*length > bytes_.size() - pos_) return malformed("string table longer than the input", at);
        strtbl_ = bytes_.subspan(pos_, *length);
        pos_ += *length;
        if (fpi_index && *fpi_index >= strtbl_.size())
            return malformed("public id index out of the string table", at);
        return {};
    }

    /// The string at `index` (in range) of the string table, up to its NUL or the table's end.
    [[nodiscard]] std::span<const std::uint8_t> table_text(std::size_t index) const {
        const auto rest = strtbl_.subspan(index);
        const auto nul = std::find(rest.begin(), rest.end(), std::uint8_t{0});
        return rest.first(static_cast<std::size_t>(nul - rest.begin()));
    }

    /// A string-table reference (STR_T or LITERAL): the string it names.
    Result<std::span<const std::uint8_t>> table_string(std::size_t at) {
        const auto index = mb_u_int32();
        if (!index) return index.error();
        if (*index >= strtbl_.size()) return malformed("string-table reference out of range", at);
        return table_text(*index);
    }

    Result<void> inline_string(std::size_t at, Place place) {
        const auto rest = bytes_.subspan(pos_);
        const auto nul = std::find(rest.begin(), rest.end(), std::uint8_t{0});
        if (nul == rest.end()) return malformed("unterminated inline string", at);
        const auto text = rest.first(static_cast<std::size_t>(nul - rest.begin()));
        pos_ += text.size() + 1;
        return text_token(text, at, place);
    }

    Result<void> opaque(std::size_t at, Place place) {
        const auto length = mb_u_int32();
        if (!length) return length.error();
        if (*length > bytes_.size() - pos_) return malformed("opaque data longer than the input", at);
        if (*length == 0 && place == Place::Content && !next_nonce_.empty() && next_nonce_.back()) {
            return malformed("empty opaque NextNonce", at);
        }
        const auto data = bytes_.subspan(pos_, *length);
        pos_ += *length;
        return text_token(data, at, place);
    }

    /// Text of a string or opaque token: bounded as text, and in content as the document it may
    /// embed (so every level of embedding sits in one more element).
    Result<void> text_token(std::span<const std::uint8_t> text, std::size_t at, Place place) {
        if (auto r = add_text(text.size()); !r) return r.error();
        if (place == Place::AttributeList) return {};
        return embedded_document(text, at);
    }

    /// Text whose header names a document type libwbxml2 knows is scanned as a document nested at
    /// the current depth, and its errors are the message's; other text is plain data.
    Result<void> embedded_document(std::span<const std::uint8_t> text, std::size_t at) {
        Scanner nested(text, limits_, depth_, Origin::Embedded);
        auto bound = nested.run();
        if (!bound && nested.kind_ == DocumentKind::Unknown) return {};
        if (!bound) {
            auto error = bound.error();
            error.detail = "document embedded at offset " + std::to_string(at) + ": " + error.detail;
            return error;
        }
        max_depth_ = std::max(max_depth_, bound->depth);
        return add(bound->xml_bytes);
    }

    /// ENTITY (WBXML 1.3 section 5.8.4.3): a character code, so neither 0, a UTF-16 surrogate nor
    /// beyond U+10FFFF.
    Result<void> entity(std::size_t at) {
        const auto code = mb_u_int32();
        if (!code) return code.error();
        if (*code == 0 || *code > kMaxCodePoint || (*code >= kSurrogateFirst && *code <= kSurrogateLast)) {
            return malformed("ENTITY code " + std::to_string(*code) + " is not a character", at);
        }
        return add(kTokenBound);
    }

    /// Tokens valid both in content and in attribute lists. Sets `handled` when `tok` was one.
    Result<void> global_token(std::uint8_t tok, std::size_t at, Place place, bool& handled) {
        handled = true;
        if (tok == kSwitchPage) {
            const auto page = byte();
            if (!page) return page.error();
            // Attribute lists have a code page of their own (WBXML 1.3 section 5.8.4.1).
            if (place == Place::Content) tag_page_ = *page;
            return {};
        }
        if (tok == kStrI) return inline_string(at, place);
        if (tok == kStrT) {
            const auto text = table_string(at);
            if (!text) return text.error();
            return text_token(*text, at, place);
        }
        if (tok == kEntity) return entity(at);
        // WBXML 1.3 section 5.8.4.2: extensions are application-specific, and SyncML defines none.
        const bool extension = (tok >= kExtI0 && tok <= kExtI2) || (tok >= kExtT0 && tok <= kExtT2);
        if (extension || (tok >= kExt0 && tok <= kExt2)) return malformed("extension token", at);
        if (tok == kOpaque) return opaque(at, place);
        handled = false;
        return {};
    }

    /// An attribute list (after a tag with the attribute bit, or a PI), up to its END.
    Result<void> attributes() {
        while (true) {
            const std::size_t at = pos_;
            const auto tok = byte();
            if (!tok) return tok.error();
            if (*tok == kEnd) return {};
            bool handled = false;
            if (auto r = global_token(*tok, at, Place::AttributeList, handled); !r) return r.error();
            if (handled) continue;
            if (*tok == kLiteral) {
                const auto name = table_string(at);
                if (!name) return name.error();
                if (auto r = add(name->size() + kTokenBound); !r) return r.error();
            } else if (auto r = add(kTokenBound); !r) {
                return r.error();
            }
        }
    }

    /// A tag token (a code-page tag or a LITERAL form); opens an element when it has content.
    Result<void> tag(std::uint8_t tok, std::size_t at) {
        std::size_t name_bound = 0;
        if ((tok & kTagIdMask) == kLiteral) {
            const auto name = table_string(at);
            if (!name) return name.error();
            name_bound = 2 * name->size();
        }
        if (auto r = add(kTagBound + name_bound); !r) return r.error();
        if (depth_ + 1 > limits_.max_depth) {
            return codec_error(CodecErrc::too_deep, "WBXML nesting deeper than " +
                                                        std::to_string(limits_.max_depth) + " at offset " +
                                                        std::to_string(at));
        }
        max_depth_ = std::max(max_depth_, depth_ + 1);
        if ((tok & kHasAttributes) != 0U) {
            if (auto r = attributes(); !r) return r.error();
        }
        if ((tok & kHasContent) != 0U) {
            ++depth_;
            next_nonce_.push_back(tag_page_ == kMetInfPage && (tok & kTagIdMask) == kNextNonceTag);
        }
        return {};
    }

    /// One token of the body: inside an element, or before/after the root element.
    Result<void> body_token(std::uint8_t tok, std::size_t at, bool& root_seen) {
        const bool inside = depth_ > base_depth_;
        if (tok == kPi) {
            if (auto r = add(kTokenBound); !r) return r;
            return attributes();
        }
        if (tok == kSwitchPage) {
            bool handled = false;
            if (auto r = global_token(tok, at, Place::Content, handled); !r) return r;
            // Outside elements, libwbxml2 reads the token after a SWITCH_PAGE as a tag (WBXML 1.3
            // section 5.3: element = ([switchPage] stag) ...), even a PI's.
            const bool tag_follows = !inside && pos_ < bytes_.size();
            if (tag_follows && bytes_[pos_] == kPi) return malformed("PI after SWITCH_PAGE", at);
            return {};
        }
        if (!inside && root_seen) return malformed("data after the root element", at);
        if (tok == kEnd) {
            if (!inside) return malformed("END outside an element", at);
            --depth_;
            next_nonce_.pop_back();
            return {};
        }
        bool handled = false;
        if (inside) {
            if (auto r = global_token(tok, at, Place::Content, handled); !r || handled) return r;
        }
        if ((tok & kTagIdMask) < kLiteral) return malformed("unexpected token", at);
        root_seen = true;
        return tag(tok, at);
    }

    Result<void> body() {
        bool root_seen = false;
        while (pos_ < bytes_.size()) {
            const std::size_t at = pos_;
            const std::uint8_t tok = bytes_[pos_++];
            if (auto r = body_token(tok, at, root_seen); !r) return r.error();
        }
        if (!root_seen) return malformed("no root element", pos_);
        if (depth_ > base_depth_) return malformed("truncated: unclosed element", pos_);
        return {};
    }

    std::span<const std::uint8_t> bytes_;
    std::span<const std::uint8_t> strtbl_;
    const Limits& limits_;
    Origin origin_;
    DocumentKind kind_ = DocumentKind::Unknown;
    std::uint8_t tag_page_ = 0;
    /// Per open element, innermost last: whether it is a NextNonce.
    std::vector<bool> next_nonce_;
    std::size_t base_depth_;
    std::size_t depth_;
    std::size_t max_depth_ = 0;
    std::size_t pos_ = 0;
    std::size_t bound_ = 0;
    std::size_t budget_ = 0;
};

} // namespace

Result<std::uint32_t> read_mb_u_int32(std::span<const std::uint8_t> bytes, std::size_t& pos) {
    const std::size_t start = pos;
    std::uint64_t value = 0;
    for (int i = 0; i < 5; ++i) {
        if (pos >= bytes.size()) {
            return codec_error(CodecErrc::wbxml_error, "WBXML truncated at offset " + std::to_string(pos));
        }
        const std::uint8_t b = bytes[pos++];
        value = (value << 7U) | (b & 0x7FU);
        if ((b & 0x80U) == 0U) {
            if (value > std::numeric_limits<std::uint32_t>::max()) break;
            return static_cast<std::uint32_t>(value);
        }
    }
    return codec_error(CodecErrc::wbxml_error, "WBXML integer too long at offset " + std::to_string(start));
}

Result<WbxmlBound> scan_wbxml(std::span<const std::uint8_t> bytes, const Limits& limits) {
    return Scanner(bytes, limits, 0, Origin::Message).run();
}

} // namespace omadm::syncml::detail
