// libFuzzer target: arbitrary bytes into decode_xml(). Whatever decodes must re-encode to XML
// that decodes to an equal message, and encoding twice must give the same bytes.
#include "omadm/syncml/codec.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    const auto first = omadm::syncml::decode_xml(bytes);
    if (!first) {
        return 0;
    }
    const auto encoded = omadm::syncml::encode_xml(*first);
    const auto second = omadm::syncml::decode_xml(encoded);
    if (!second || !(*second == *first) || omadm::syncml::encode_xml(*second) != encoded) {
        std::abort();
    }
    return 0;
}
