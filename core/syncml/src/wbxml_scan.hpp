#pragma once
// Internal to core/syncml/src: a pre-scan of a WBXML token stream (WBXML 1.3 section 5) run before
// libwbxml2 expands it. It walks the header, the string table and every body token without
// building anything, and computes an upper bound of the XML that the expansion can produce and the
// element nesting depth, so that a small input that would expand into a huge or deep document
// (many string-table references, one-byte empty tags, deep nesting, documents embedded in opaque
// data or strings) is refused up front. It also refuses what libwbxml2 cannot decode safely: an
// ENTITY that is not a Unicode character, extension tokens, a public id of no SyncML document type,
// a charset other than US-ASCII or UTF-8, a PI right after SWITCH_PAGE before the root.

#include "omadm/base/result.hpp"
#include "omadm/syncml/codec.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace omadm::syncml::detail {

struct WbxmlBound {
    std::size_t xml_bytes = 0; ///< upper bound of the expanded XML text, in bytes
    std::size_t depth = 0;     ///< deepest element nesting of the body (nested documents included)
};

/// Largest expanded XML accepted for a WBXML message of limits.max_message_bytes (the XML that
/// libwbxml2 generates is larger than its input: tags become names, string references copies).
inline constexpr std::size_t kMaxXmlExpansion = 16;

/// Scans `bytes`. Errors: wbxml_error (malformed or truncated token stream, string-table reference
/// out of range; the detail has the byte offset), too_large (the bound exceeds
/// limits.max_message_bytes * kMaxXmlExpansion), too_deep (nesting beyond limits.max_depth).
[[nodiscard]] base::Result<WbxmlBound> scan_wbxml(std::span<const std::uint8_t> bytes, const Limits& limits);

/// Reads the WBXML multi-byte unsigned integer at `pos` (WBXML 1.3 section 5.1: at most 5 bytes, 7
/// bits each, the high bit set on all but the last) and moves `pos` past what it read. Error
/// wbxml_error: the input ends inside it, or it does not fit 32 bits (the detail has the offset).
[[nodiscard]] base::Result<std::uint32_t> read_mb_u_int32(std::span<const std::uint8_t> bytes,
                                                          std::size_t& pos);

} // namespace omadm::syncml::detail
