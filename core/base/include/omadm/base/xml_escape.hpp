#pragma once
// The one XML text escape of the core: every hand-written XML (the SyncML encoder, TNDS, Generic
// Alert payloads) escapes element content and attribute values with it.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace omadm::base {

/// Appends `text` to `out` with '&', '<', '>' and '"' written as entity references, and the control
/// characters other than tab and line feed as numeric character references (so that a carriage
/// return survives a parser's line-end normalisation). The result is valid element content and a
/// valid double-quoted attribute value.
void append_xml_escaped(std::string& out, std::string_view text);

/// `text` escaped as append_xml_escaped does.
[[nodiscard]] std::string xml_escaped(std::string_view text);

/// Appends the element <name>text</name>, its text escaped.
void append_xml_element(std::string& out, std::string_view name, std::string_view text);

/// The offset in an XML document of the first character reference to NUL or to no Unicode
/// character, outside CDATA sections and comments; nullopt when there is none. XML 1.0 §2.2 allows
/// neither, and a parser that decodes &#0; ends the text there, so a reader refuses the document.
/// (The other control characters stay allowed: append_xml_escaped writes them as references.)
[[nodiscard]] std::optional<std::size_t> find_unrepresentable_char_reference(std::string_view xml);

} // namespace omadm::base
