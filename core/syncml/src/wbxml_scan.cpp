// WBXML pre-scan (see wbxml_scan.hpp). Token values from WBXML 1.3 section 7.1; the bound of
// each token is what libwbxml2's XML generator can write for it, rounded up:
// - a tag: "<Name" ">" "</Name>" with a namespace declaration when the code page changes;
// - text (inline strings, string-table references, opaque data): every byte may become an entity
//   such as "&quot;" (6 bytes), opaque data is written as CDATA or base64;
// - opaque data may hold an embedded WBXML document (a TNDS MgmtTree), which libwbxml2 expands in
//   place: such data is scanned as a document of its own, at the depth where it sits.
#include "wbxml_scan.hpp"

#include "xml_internal.hpp"

#include <algorithm>
#include <limits>
#include <optional>
#include <string>

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

constexpr std::uint8_t kMaxVersion = 0x03;   // WBXML 1.3
constexpr std::size_t kTagBound = 160;       // tag names (at most 32) twice, brackets, xmlns declaration
constexpr std::size_t kTokenBound = 64;      // an attribute name or value token, an entity, an extension
constexpr std::size_t kTextFactor = 6;       // one byte of text written as an entity
constexpr std::size_t kTextOverhead = 16;    // CDATA brackets
constexpr std::size_t kDocumentOverhead = 512;  // XML declaration and DOCTYPE

class Scanner {
public:
    Scanner(std::span<const std::uint8_t> bytes, const Limits& limits, std::size_t base_depth)
        : bytes_(bytes), limits_(limits), base_depth_(base_depth), depth_(base_depth) {
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
    base::Error malformed(std::string_view what, std::size_t at) const {
        return codec_error(CodecErrc::wbxml_error, "WBXML " + std::string(what) + " at offset " + std::to_string(at));
    }

    Result<std::uint8_t> byte() {
        if (pos_ >= bytes_.size()) return malformed("truncated", pos_);
        return bytes_[pos_++];
    }

    /// WBXML multi-byte unsigned integer: at most 5 bytes, 7 bits each, high bit = more follow.
    Result<std::uint32_t> mb_u_int32() {
        const std::size_t start = pos_;
        std::uint64_t value = 0;
        for (int i = 0; i < 5; ++i) {
            auto b = byte();
            if (!b) return b.error();
            value = (value << 7U) | (*b & 0x7FU);
            if ((*b & 0x80U) == 0U) {
                if (value > std::numeric_limits<std::uint32_t>::max()) break;
                return static_cast<std::uint32_t>(value);
            }
        }
        return malformed("integer too long", start);
    }

    Result<void> add(std::size_t n) {
        bound_ = n > budget_ - std::min(bound_, budget_) ? budget_ + 1 : bound_ + n;
        if (bound_ > budget_) {
            return codec_error(CodecErrc::too_large, "WBXML expands beyond " + std::to_string(budget_) +
                                                         " bytes of XML (offset " + std::to_string(pos_) + ")");
        }
        return {};
    }

    Result<void> add_text(std::size_t length) {
        const std::size_t cap = std::numeric_limits<std::size_t>::max() / kTextFactor - kTextOverhead;
        return add(std::min(length, cap) * kTextFactor + kTextOverhead);
    }

    Result<void> header() {
        const auto version = byte();
        if (!version) return version.error();
        if (*version > kMaxVersion) return malformed("version " + std::to_string(*version) + " unknown", 0);
        const auto public_id = mb_u_int32();
        if (!public_id) return public_id.error();
        std::optional<std::uint32_t> fpi_index;
        if (*public_id == 0) {
            auto index = mb_u_int32();
            if (!index) return index.error();
            fpi_index = *index;
        }
        if (*version > 0) {
            if (auto charset = mb_u_int32(); !charset) return charset.error();
        }
        return string_table(fpi_index);
    }

    Result<void> string_table(std::optional<std::uint32_t> fpi_index) {
        const std::size_t at = pos_;
        const auto length = mb_u_int32();
        if (!length) return length.error();
        if (*length > bytes_.size() - pos_) return malformed("string table longer than the input", at);
        strtbl_ = bytes_.subspan(pos_, *length);
        pos_ += *length;
        if (fpi_index && *fpi_index >= strtbl_.size()) return malformed("public id index out of the string table", at);
        return {};
    }

    /// Length of the string at `index` of the string table (up to its NUL or the table's end).
    Result<std::size_t> table_string(std::size_t at) {
        const auto index = mb_u_int32();
        if (!index) return index.error();
        if (*index >= strtbl_.size()) return malformed("string-table reference out of range", at);
        const auto rest = strtbl_.subspan(*index);
        return static_cast<std::size_t>(std::find(rest.begin(), rest.end(), std::uint8_t{0}) - rest.begin());
    }

    Result<void> inline_string(std::size_t at) {
        const auto rest = bytes_.subspan(pos_);
        const auto nul = std::find(rest.begin(), rest.end(), std::uint8_t{0});
        if (nul == rest.end()) return malformed("unterminated inline string", at);
        const auto length = static_cast<std::size_t>(nul - rest.begin());
        pos_ += length + 1;
        return add_text(length);
    }

    Result<void> opaque(std::size_t at) {
        const auto length = mb_u_int32();
        if (!length) return length.error();
        if (*length > bytes_.size() - pos_) return malformed("opaque data longer than the input", at);
        const auto data = bytes_.subspan(pos_, *length);
        pos_ += *length;
        if (auto r = add_text(data.size()); !r) return r.error();
        return embedded_document(data);
    }

    /// Opaque data that parses as a WBXML document is bounded as one, nested at the current depth.
    Result<void> embedded_document(std::span<const std::uint8_t> data) {
        if (data.size() < 4 || data[0] > kMaxVersion) return {};
        auto nested = Scanner(data, limits_, depth_).run();
        if (!nested) {
            const auto code = nested.error().code;
            if (code == CodecErrc::too_large || code == CodecErrc::too_deep) return nested.error();
            return {};  // not a document: plain opaque data
        }
        max_depth_ = std::max(max_depth_, nested->depth);
        return add(nested->xml_bytes);
    }

    /// Tokens valid both in content and in attribute lists. Sets `handled` when `tok` was one.
    Result<void> global_token(std::uint8_t tok, std::size_t at, bool& handled) {
        handled = true;
        if (tok == kSwitchPage) {
            if (auto page = byte(); !page) return page.error();
            return {};
        }
        if (tok == kStrI || (tok >= kExtI0 && tok <= kExtI2)) return inline_string(at);
        if (tok == kStrT) {
            const auto length = table_string(at);
            if (!length) return length.error();
            return add_text(*length);
        }
        if (tok == kEntity || (tok >= kExtT0 && tok <= kExtT2)) {
            if (auto v = mb_u_int32(); !v) return v.error();
            return add(kTokenBound);
        }
        if (tok >= kExt0 && tok <= kExt2) return add(kTokenBound);
        if (tok == kOpaque) return opaque(at);
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
            if (auto r = global_token(*tok, at, handled); !r) return r.error();
            if (handled) continue;
            if (*tok == kLiteral) {
                const auto length = table_string(at);
                if (!length) return length.error();
                if (auto r = add(*length + kTokenBound); !r) return r.error();
            } else if (auto r = add(kTokenBound); !r) {
                return r.error();
            }
        }
    }

    /// A tag token (a code-page tag or a LITERAL form); opens an element when it has content.
    Result<void> tag(std::uint8_t tok, std::size_t at) {
        std::size_t name_bound = 0;
        if ((tok & kTagIdMask) == kLiteral) {
            const auto length = table_string(at);
            if (!length) return length.error();
            name_bound = 2 * *length;
        }
        if (auto r = add(kTagBound + name_bound); !r) return r.error();
        if (depth_ + 1 > limits_.max_depth) {
            return codec_error(CodecErrc::too_deep, "WBXML nesting deeper than " + std::to_string(limits_.max_depth) +
                                                        " at offset " + std::to_string(at));
        }
        max_depth_ = std::max(max_depth_, depth_ + 1);
        if ((tok & kHasAttributes) != 0U) {
            if (auto r = attributes(); !r) return r.error();
        }
        if ((tok & kHasContent) != 0U) ++depth_;
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
            return global_token(tok, at, handled);
        }
        if (!inside && root_seen) return malformed("data after the root element", at);
        if (tok == kEnd) {
            if (!inside) return malformed("END outside an element", at);
            --depth_;
            return {};
        }
        bool handled = false;
        if (inside) {
            if (auto r = global_token(tok, at, handled); !r || handled) return r;
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
    std::size_t base_depth_;
    std::size_t depth_;
    std::size_t max_depth_ = 0;
    std::size_t pos_ = 0;
    std::size_t bound_ = 0;
    std::size_t budget_ = 0;
};

}  // namespace

Result<WbxmlBound> scan_wbxml(std::span<const std::uint8_t> bytes, const Limits& limits) {
    return Scanner(bytes, limits, 0).run();
}

}  // namespace omadm::syncml::detail
