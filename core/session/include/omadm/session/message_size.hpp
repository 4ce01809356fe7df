#pragma once
// Message size measurement for multi-message packages and large objects (OMA-TS-DM_Protocol-V1_2_1 §6, §7).

#include "omadm/syncml/message.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>

namespace omadm::session {

/// Returns the encoded size of a message in bytes.
using MessageSizer = std::function<std::size_t(const syncml::Message&)>;

/// A deterministic upper-bound estimate of the XML size, without encoding. Used when no sizer is
/// configured; shells should measure with encoded_size().
[[nodiscard]] std::size_t approximate_size(const syncml::Message& msg);
/// A sizer that encodes with syncml::encode in the given encoding (falls back to the estimate when
/// encoding fails).
[[nodiscard]] MessageSizer encoded_size(syncml::Encoding enc);
/// `configured`, or approximate_size when it is empty (what an engine measures with).
[[nodiscard]] inline MessageSizer sizer_or_estimate(const MessageSizer& configured) {
    return configured ? configured : MessageSizer{approximate_size};
}

/// Limits in force for the messages one side sends.
struct SizeLimits {
    std::optional<std::uint64_t> max_msg_size; // peer's MaxMsgSize (nullopt: unlimited)
    std::optional<std::uint64_t> max_obj_size; // peer's MaxObjSize (nullopt: unlimited)
};

} // namespace omadm::session
