// libFuzzer target: arbitrary bytes as TNDS text. Decoding must never crash; a decoded document must
// re-encode and decode to the same value, and applying it to a tree must yield a status, not a crash.
#include "omadm/tree/tnds.hpp"
#include "omadm/tree/tree.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const auto doc = omadm::tree::decode_tnds(text);
    if (!doc) return 0;
    const auto again = omadm::tree::decode_tnds(omadm::tree::encode_tnds(*doc));
    if (!again) std::abort();
    omadm::tree::Tree tree;
    const auto target = omadm::tree::NodeUri::parse("Fuzz").value();
    const omadm::tree::NodeContent content{omadm::tree::Format::Xml, std::string(omadm::tree::kTndsXmlMime),
                                           std::string(text)};
    (void)tree.add(omadm::tree::Principal::bootstrap(), target, content, omadm::base::TimePoint{});
    (void)tree.replace(omadm::tree::Principal::bootstrap(), target, content, omadm::base::TimePoint{});
    return 0;
}
