// libFuzzer target: arbitrary bytes into decode_wbxml(). Whatever decodes must re-encode to WBXML
// that decodes to an equal message.
#include "omadm/syncml/codec.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto bytes = std::as_bytes(std::span<const std::uint8_t>(data, size));
    const auto first = omadm::syncml::decode_wbxml(bytes);
    if (!first) {
        return 0;
    }
    const auto encoded = omadm::syncml::encode_wbxml(*first);
    if (!encoded) {
        return 0; // libwbxml2 refuses some text it decoded itself (e.g. control characters)
    }
    const auto second =
        omadm::syncml::decode_wbxml(std::as_bytes(std::span<const char>(encoded->data(), encoded->size())));
    if (!second || !(*second == *first)) {
        std::abort();
    }
    return 0;
}
