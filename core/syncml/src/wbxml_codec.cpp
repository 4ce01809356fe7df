// WBXML <-> Message through Debian's libwbxml2: encoding goes Message -> XML -> WBXML, decoding
// WBXML -> XML -> Message, so both encodings share one decoder and its checks. libwbxml2 returns
// malloc'ed buffers, released with free().
#include "wbxml_scan.hpp"
#include "xml_internal.hpp"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>
#include <wbxml/wbxml.h>

namespace omadm::syncml {
namespace {

struct FreeDeleter {
    void operator()(WB_UTINY* p) const noexcept { std::free(p); }
};
using WbxmlBuffer = std::unique_ptr<WB_UTINY, FreeDeleter>;

struct XmlToWbxmlDeleter {
    void operator()(WBXMLConvXML2WBXML* c) const noexcept { wbxml_conv_xml2wbxml_destroy(c); }
};
struct WbxmlToXmlDeleter {
    void operator()(WBXMLConvWBXML2XML* c) const noexcept { wbxml_conv_wbxml2xml_destroy(c); }
};

std::string wbxml_message(WBXMLError e) {
    const WB_UTINY* text = wbxml_errors_string(e);
    return text == nullptr ? "libwbxml2 error " + std::to_string(static_cast<int>(e))
                           : std::string(reinterpret_cast<const char*>(text));
}

std::span<const std::uint8_t> as_octets(std::span<const std::byte> bytes) {
    return {reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()};
}

/// detail::read_mb_u_int32, with nullopt for anything it refuses.
std::optional<std::uint32_t> read_mb(std::span<const std::byte> bytes, std::size_t& pos) {
    auto v = detail::read_mb_u_int32(as_octets(bytes), pos);
    if (!v) return std::nullopt;
    return *v;
}

void write_mb(std::string& out, std::uint32_t v) {
    std::string bytes(1, static_cast<char>(v & 0x7FU));
    for (v >>= 7U; v != 0; v >>= 7U)
        bytes.insert(bytes.begin(), static_cast<char>(0x80U | (v & 0x7FU)));
    out += bytes;
}

/// Puts the FPI into the string table of what libwbxml2 wrote (version, numeric public id,
/// charset, empty string table): public id 0, index 0 (WBXML 1.3 section 5.5).
base::Result<std::string> with_fpi_in_table(const std::string& encoded, const std::string& fpi) {
    const auto bytes = std::as_bytes(std::span(encoded.data(), encoded.size()));
    std::size_t pos = 1;
    const auto public_id = read_mb(bytes, pos);
    const std::size_t charset_at = pos;
    const auto charset = read_mb(bytes, pos);
    const std::size_t charset_end = pos;
    const auto table = read_mb(bytes, pos);
    if (!public_id || !charset || !table || *table != 0) {
        return detail::codec_error(CodecErrc::wbxml_error,
                                   "encoding: unexpected WBXML header from libwbxml2");
    }
    std::string out(1, encoded[0]);
    out += std::string("\x00\x00", 2);
    out += encoded.substr(charset_at, charset_end - charset_at);
    write_mb(out, static_cast<std::uint32_t>(fpi.size() + 1));
    out += fpi;
    out += '\0';
    out += encoded.substr(pos);
    return out;
}

} // namespace

std::optional<WbxmlForm> wbxml_form(std::span<const std::byte> bytes) {
    if (bytes.empty()) return std::nullopt;
    WbxmlForm form;
    form.version = std::to_integer<std::uint8_t>(bytes[0]);
    if (form.version < 0x01 || form.version > 0x03) return std::nullopt;
    std::size_t pos = 1;
    const auto public_id = read_mb(bytes, pos);
    if (!public_id) return std::nullopt;
    if (*public_id != 0) return form;
    const auto index = read_mb(bytes, pos);
    if (!index || !read_mb(bytes, pos)) return std::nullopt; // the index, then the charset
    const auto length = read_mb(bytes, pos);
    if (!length || *length > bytes.size() - pos || *index >= *length) return std::nullopt;
    const auto table = bytes.subspan(pos, *length);
    for (std::size_t i = *index; i < table.size() && table[i] != std::byte{0}; ++i) {
        form.fpi += static_cast<char>(std::to_integer<std::uint8_t>(table[i]));
    }
    return form;
}

namespace {

/// libwbxml2 rewrites the text "application/vnd.syncml.dmtnds+xml" to "...+wbxml" wherever it
/// stands (meant for a Meta Type announcing TNDS Data, OMA-TS-DM_TNDS-V1_2 section 6): as the text
/// of any other element the message would not decode to itself, so it is refused.
bool tnds_mime_outside_type(const std::string& xml) {
    const std::string needle = ">application/vnd.syncml.dmtnds+xml<";
    for (auto at = xml.find(needle); at != std::string::npos; at = xml.find(needle, at + 1)) {
        const auto open = xml.rfind('<', at);
        if (open == std::string::npos || xml.compare(open, 5, "<Type") != 0 ||
            (xml[open + 5] != '>' && xml[open + 5] != ' '))
            return true;
    }
    return false;
}

} // namespace

base::Result<std::string> encode_wbxml(const Message& msg, const WbxmlForm& form) {
    std::string xml = encode_xml(msg);
    if (tnds_mime_outside_type(xml)) {
        return detail::codec_error(CodecErrc::wbxml_error,
                                   "encoding: the TNDS media type as the text of an element other than "
                                   "Meta/Type would not survive libwbxml2");
    }
    WBXMLConvXML2WBXML* raw_conv = nullptr;
    if (const auto e = wbxml_conv_xml2wbxml_create(&raw_conv); e != WBXML_OK) {
        return detail::codec_error(CodecErrc::wbxml_error, "encoder setup: " + wbxml_message(e));
    }
    const std::unique_ptr<WBXMLConvXML2WBXML, XmlToWbxmlDeleter> conv(raw_conv);
    switch (form.version) {
    case 0x01:
        wbxml_conv_xml2wbxml_set_version(conv.get(), WBXML_VERSION_11);
        break;
    case 0x02:
        wbxml_conv_xml2wbxml_set_version(conv.get(), WBXML_VERSION_12);
        break;
    default:
        wbxml_conv_xml2wbxml_set_version(conv.get(), WBXML_VERSION_13);
        break;
    }
    wbxml_conv_xml2wbxml_disable_string_table(conv.get());
    WB_UTINY* out = nullptr;
    WB_ULONG out_len = 0;
    const auto e = wbxml_conv_xml2wbxml_run(conv.get(), reinterpret_cast<WB_UTINY*>(xml.data()),
                                            static_cast<WB_ULONG>(xml.size()), &out, &out_len);
    const WbxmlBuffer owned(out);
    if (e != WBXML_OK || out == nullptr) {
        return detail::codec_error(CodecErrc::wbxml_error, "encoding: " + wbxml_message(e));
    }
    std::string encoded(reinterpret_cast<const char*>(out), out_len);
    if (!form.fpi.empty()) {
        auto with_fpi = with_fpi_in_table(encoded, form.fpi);
        if (!with_fpi) return with_fpi;
        encoded = std::move(*with_fpi);
    }
    // Never send what would not decode to the same message: libwbxml2 rewrites or expands some
    // text (an embedded document in Data, for one), and our own decoder refuses what it cannot
    // decode safely. A TNDS Meta Type is left alone: there the rewriting is the protocol's.
    if (xml.find(">application/vnd.syncml.dmtnds+xml<") == std::string::npos) {
        const auto back = decode_wbxml(std::as_bytes(std::span<const char>(encoded.data(), encoded.size())));
        if (!back || !(*back == msg)) {
            return detail::codec_error(CodecErrc::wbxml_error,
                                       "encoding: the message would not decode to itself through libwbxml2");
        }
    }
    return encoded;
}

base::Result<Message> decode_wbxml(std::span<const std::byte> bytes, const Limits& limits) {
    if (bytes.size() > limits.max_message_bytes) {
        return detail::codec_error(CodecErrc::too_large, std::to_string(bytes.size()) + " bytes, limit " +
                                                             std::to_string(limits.max_message_bytes));
    }
    if (bytes.empty()) {
        return detail::codec_error(CodecErrc::wbxml_error, "empty input");
    }
    // libwbxml2 takes a mutable pointer; hand it a private copy.
    std::vector<WB_UTINY> input(bytes.size());
    std::memcpy(input.data(), bytes.data(), bytes.size());
    // Bound the expansion and the nesting before libwbxml2 builds anything.
    if (auto bound = detail::scan_wbxml(input, limits); !bound) {
        return bound.error();
    }
    WBXMLConvWBXML2XML* raw_conv = nullptr;
    if (const auto e = wbxml_conv_wbxml2xml_create(&raw_conv); e != WBXML_OK) {
        return detail::codec_error(CodecErrc::wbxml_error, "decoder setup: " + wbxml_message(e));
    }
    const std::unique_ptr<WBXMLConvWBXML2XML, WbxmlToXmlDeleter> conv(raw_conv);
    wbxml_conv_wbxml2xml_set_gen_type(conv.get(), WBXML_GEN_XML_COMPACT);
    wbxml_conv_wbxml2xml_set_indent(conv.get(), 0);
    WB_UTINY* out = nullptr;
    WB_ULONG out_len = 0;
    const auto e = wbxml_conv_wbxml2xml_run(conv.get(), input.data(), static_cast<WB_ULONG>(input.size()),
                                            &out, &out_len);
    const WbxmlBuffer owned(out);
    if (e != WBXML_OK || out == nullptr) {
        return detail::codec_error(CodecErrc::wbxml_error, wbxml_message(e));
    }
    Limits xml_limits = limits;
    xml_limits.max_message_bytes = limits.max_message_bytes * detail::kMaxXmlExpansion;
    return detail::decode_xml_document(std::string_view(reinterpret_cast<const char*>(out), out_len),
                                       xml_limits, detail::DoctypePolicy::AllowExternalIdOnly);
}

} // namespace omadm::syncml
