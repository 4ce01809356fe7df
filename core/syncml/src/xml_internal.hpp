#pragma once
// Internal to core/syncml/src: the pieces the XML decoder, the XML encoder and the WBXML codec
// share. pugixml types never leave this directory (docs/decisions/0001-xml-in-tree.md).

#include "omadm/base/result.hpp"
#include "omadm/syncml/codec.hpp"
#include "omadm/syncml/message.hpp"

#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace omadm::syncml::detail {

/// Whether a DOCTYPE is acceptable. Peers' XML may not carry one; the XML that libwbxml2 produces
/// from WBXML always does (an external identifier only, never an internal subset).
enum class DoctypePolicy { Forbid, AllowExternalIdOnly };

/// The pugixml flags every parse in this module uses: CDATA and escapes decoded, line ends
/// normalized, a whitespace-only text kept when it is an element's only child, DOCTYPE reported.
inline constexpr unsigned kParseFlags = pugi::parse_cdata | pugi::parse_escapes | pugi::parse_eol |
                                        pugi::parse_ws_pcdata_single | pugi::parse_doctype;

[[nodiscard]] base::Result<Message> decode_xml_document(std::string_view bytes, const Limits& limits,
                                                        DoctypePolicy doctype);

/// Serializes a node (element or text) exactly as the decoder stores embedded XML in Data.
void append_serialized(std::string& out, pugi::xml_node node);

/// True when Data is one namespaced XML element (for instance a TNDS MgmtTree) in the canonical
/// form the decoder produces, so writing it as elements decodes back to the same text.
[[nodiscard]] bool is_embedded_xml(std::string_view data);

/// "line L:C" for a byte offset into the source text.
[[nodiscard]] std::string line_column(std::string_view source, std::ptrdiff_t offset);

[[nodiscard]] base::Error codec_error(CodecErrc code, std::string detail);

} // namespace omadm::syncml::detail
