#pragma once
// Codecs between wire bytes and syncml::Message. XML on pugixml, WBXML on libwbxml2.
// Decoding never throws, never crashes on any input, never resolves external entities,
// and enforces Limits. Encoding is deterministic (same Message -> same bytes).

#include "omadm/base/result.hpp"
#include "omadm/syncml/message.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

namespace omadm::syncml {

/// Decoder limits. Defaults suit a DM session; the reference peers take them from config.
struct Limits {
    std::size_t max_message_bytes = 1'048'576UL; // whole encoded message (1 MiB)
    std::size_t max_depth = 32;                  // element nesting
    std::size_t max_items = 4096;                // Items in one message (all commands together)
    std::size_t max_commands = 4096;             // commands in one message (nested ones included)
};

/// Codec error codes (category "omadm.syncml").
enum class CodecErrc {
    ok = 0,
    too_large,            // input exceeds Limits::max_message_bytes
    too_deep,             // element nesting exceeds Limits::max_depth
    too_many_items,       // Items or commands exceed the limits
    not_well_formed,      // XML syntax error (detail has line, column, offset)
    forbidden_construct,  // DOCTYPE with entities, external entity, processing instruction that matters
    wrong_root,           // root is not SyncML / namespace is not SYNCML:SYNCML1.2
    missing_element,      // a mandatory element is absent (detail has the element path)
    unexpected_element,   // an element not allowed at that place (detail has the element path)
    bad_value,            // a value of the wrong shape: non-numeric CmdID, MsgID, Alert code, Status code
    wbxml_error,          // libwbxml2 rejected the binary input (detail has its message and offset)
    unsupported_encoding, // e.g. a WBXML public id that is not SyncML 1.2 and no FPI in the string table
};

const std::error_category& codec_category() noexcept;
std::error_code make_error_code(CodecErrc e) noexcept;

/// Decodes SyncML DM XML (UTF-8). Tolerates what deployed clients send
/// (docs/protocol-notes.md#deployed-clients): no XML declaration, leading whitespace, single-quoted
/// attributes, Format "Chr", LocName in Target/Source.
/// MetInf 1.2 elements in Meta that DM does not use (EMI, Version, FreeMem, FreeID, Mem, SharedMem,
/// Anchor, Last, Next, FieldLevel, MetInf) are skipped; any other unknown element, in Meta or in
/// command content, is unexpected_element.
[[nodiscard]] base::Result<Message> decode_xml(std::string_view bytes, const Limits& limits = {});
/// Encodes as XML with the SyncML 1.2 namespace, elements in DTD order, no XML declaration
/// differences between runs. Data that is embedded XML (a TNDS MgmtTree) is written as elements.
[[nodiscard]] std::string encode_xml(const Message& msg);

/// Decodes WBXML (public id 0x1201 or the SyncML 1.2 FPI in the string table). The token stream is
/// scanned before libwbxml2 expands it: wbxml_error (with the byte offset) for a malformed or
/// truncated stream or a token libwbxml2 cannot take safely (an ENTITY that is no character, an
/// extension token, a document type other than SyncML's), too_large when the expanded XML could
/// exceed 16 x max_message_bytes, too_deep when elements (embedded WBXML documents in opaque data
/// or strings included) nest beyond max_depth.
[[nodiscard]] base::Result<Message> decode_wbxml(std::span<const std::byte> bytes, const Limits& limits = {});
/// The header form of a WBXML document (WBXML 1.3 section 5.3): its version, and its public
/// identifier as the numeric id (empty `fpi`) or as a string of the string table. A reply goes in
/// the form of the request: deployed DM 1.2 engines send WBXML 1.2 and abort on a 1.3 reply.
struct WbxmlForm {
    std::uint8_t version = 0x03; ///< 0x01 (1.1) to 0x03 (1.3)
    std::string fpi;             ///< the FPI as the request's string table spells it, or empty
    bool operator==(const WbxmlForm&) const = default;
};
/// The form of `bytes`' header; nullopt when it is not a WBXML 1.1-1.3 header with a public id.
[[nodiscard]] std::optional<WbxmlForm> wbxml_form(std::span<const std::byte> bytes);
/// Encodes as WBXML in `form` (by default 1.3, public id 0x1201), UTF-8, leaf Data as opaque.
[[nodiscard]] base::Result<std::string> encode_wbxml(const Message& msg, const WbxmlForm& form = {});

/// Dispatch on Encoding. Bytes travel as std::string (an HTTP body).
[[nodiscard]] base::Result<Message> decode(std::string_view bytes, Encoding enc, const Limits& limits = {});
[[nodiscard]] base::Result<std::string> encode(const Message& msg, Encoding enc);

/// Maps an HTTP Content-Type (parameters and case ignored; the DS types +xml/+wbxml accepted too)
/// to an Encoding; error unsupported_encoding for anything else.
[[nodiscard]] base::Result<Encoding> encoding_from_content_type(std::string_view content_type);
[[nodiscard]] const char* content_type(Encoding enc) noexcept;

} // namespace omadm::syncml

template <> struct std::is_error_code_enum<omadm::syncml::CodecErrc> : std::true_type {};
