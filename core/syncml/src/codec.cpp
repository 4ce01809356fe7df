#include "omadm/syncml/codec.hpp"

#include "xml_internal.hpp"

#include <algorithm>
#include <cctype>

namespace omadm::syncml {
namespace {

std::string lower_media_type(std::string_view content_type) {
    const auto semicolon = content_type.find(';');
    auto media = content_type.substr(0, semicolon);
    const auto first = media.find_first_not_of(" \t");
    const auto last = media.find_last_not_of(" \t");
    media = first == std::string_view::npos ? std::string_view{} : media.substr(first, last - first + 1);
    std::string out(media);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    return out;
}

} // namespace

base::Result<Message> decode(std::string_view bytes, Encoding enc, const Limits& limits) {
    switch (enc) {
    case Encoding::Xml:
        return decode_xml(bytes, limits);
    case Encoding::Wbxml:
        return decode_wbxml(std::as_bytes(std::span<const char>(bytes.data(), bytes.size())), limits);
    }
    return detail::codec_error(CodecErrc::unsupported_encoding, "unknown Encoding value");
}

base::Result<std::string> encode(const Message& msg, Encoding enc) {
    switch (enc) {
    case Encoding::Xml:
        return encode_xml(msg);
    case Encoding::Wbxml:
        return encode_wbxml(msg);
    }
    return detail::codec_error(CodecErrc::unsupported_encoding, "unknown Encoding value");
}

base::Result<Encoding> encoding_from_content_type(std::string_view content_type) {
    const auto media = lower_media_type(content_type);
    if (media == kContentTypeXml || media == "application/vnd.syncml+xml") {
        return Encoding::Xml;
    }
    if (media == kContentTypeWbxml || media == "application/vnd.syncml+wbxml") {
        return Encoding::Wbxml;
    }
    return detail::codec_error(CodecErrc::unsupported_encoding,
                               "unsupported Content-Type '" + std::string(content_type.substr(0, 128)) + "'");
}

const char* content_type(Encoding enc) noexcept {
    switch (enc) {
    case Encoding::Xml:
        return kContentTypeXml;
    case Encoding::Wbxml:
        return kContentTypeWbxml;
    }
    return kContentTypeXml;
}

} // namespace omadm::syncml
