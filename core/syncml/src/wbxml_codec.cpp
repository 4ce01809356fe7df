// WBXML <-> Message through Debian's libwbxml2: encoding goes Message -> XML -> WBXML, decoding
// WBXML -> XML -> Message, so both encodings share one decoder and its checks. libwbxml2 returns
// malloc'ed buffers, released with free().
#include "wbxml_scan.hpp"
#include "xml_internal.hpp"

#include <wbxml/wbxml.h>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <vector>

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

}  // namespace

base::Result<std::string> encode_wbxml(const Message& msg) {
    std::string xml = encode_xml(msg);
    WBXMLConvXML2WBXML* raw_conv = nullptr;
    if (const auto e = wbxml_conv_xml2wbxml_create(&raw_conv); e != WBXML_OK) {
        return detail::codec_error(CodecErrc::wbxml_error, "encoder setup: " + wbxml_message(e));
    }
    const std::unique_ptr<WBXMLConvXML2WBXML, XmlToWbxmlDeleter> conv(raw_conv);
    wbxml_conv_xml2wbxml_set_version(conv.get(), WBXML_VERSION_13);
    wbxml_conv_xml2wbxml_disable_string_table(conv.get());
    WB_UTINY* out = nullptr;
    WB_ULONG out_len = 0;
    const auto e = wbxml_conv_xml2wbxml_run(conv.get(), reinterpret_cast<WB_UTINY*>(xml.data()),
                                            static_cast<WB_ULONG>(xml.size()), &out, &out_len);
    const WbxmlBuffer owned(out);
    if (e != WBXML_OK || out == nullptr) {
        return detail::codec_error(CodecErrc::wbxml_error, "encoding: " + wbxml_message(e));
    }
    return std::string(reinterpret_cast<const char*>(out), out_len);
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

}  // namespace omadm::syncml
