#pragma once
// Node Format values (OMA-TS-DM_TND-V1_2_1 §7, §9) and the check of a leaf value against its Format.

#include "omadm/base/result.hpp"

#include <cstdint>
#include <string_view>

namespace omadm::tree {

enum class Format : std::uint8_t { B64, Bin, Bool, Chr, Int, Node, Null, Xml, Date, Time, Float };

/// "b64", "bin", "bool", "chr", "int", "node", "null", "xml", "date", "time", "float".
[[nodiscard]] std::string_view format_name(Format f) noexcept;
/// Inverse of format_name(); Errc::UnknownFormat otherwise.
[[nodiscard]] base::Result<Format> parse_format(std::string_view name);

/// True if value is a valid lexical form for f: int = 32-bit signed decimal, bool = true|false,
/// float = XML Schema float, date = ISO 8601 (YYYY-MM-DD or YYYYMMDD), time = ISO 8601
/// (hh:mm:ss or hhmmss, optional fraction, optional Z or +hh:mm), b64 = base64 alphabet with
/// padding, null = empty; chr and xml accept any text XML 1.0 can carry (is_xml_text), so a
/// chr value with a control character is refused at write time (415); bin accepts any bytes;
/// node accepts only "" (no value).
[[nodiscard]] bool value_matches_format(Format f, std::string_view value) noexcept;

/// False if value holds a character XML 1.0 forbids: a C0 control other than TAB, LF and CR.
/// TNDS export writes a value failing this as Format b64 with the value base64-encoded.
[[nodiscard]] bool is_xml_text(std::string_view value) noexcept;

} // namespace omadm::tree
