#pragma once
// Reassembly of a received large object (OMA-TS-DM_Protocol-V1_2_1 §7): chunks with MoreData are buffered and
// answered 213; the last chunk completes the command; a size different from the first chunk's
// Meta Size gives 424; another command arriving before the last chunk interrupts the object (1225).

#include "omadm/syncml/message.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace omadm::session::detail {

class ChunkAssembler {
public:
    enum class Kind : std::uint8_t {
        Whole,        // not a chunk: `command` is the received command
        Buffered,     // a non-final chunk was stored: answer 213
        Complete,     // the last chunk arrived: `command` is the reassembled command
        SizeMismatch, // the last chunk arrived and the size differs from Meta Size: answer 424
    };
    struct Outcome {
        Kind kind = Kind::Whole;
        syncml::Command command;
        /// Set when this command interrupted an unfinished object: Alert 1225 to send first.
        std::optional<syncml::Alert> interrupted;
    };

    [[nodiscard]] Outcome feed(const syncml::Command& c);
    /// Abandons an unfinished object (e.g. the package ended): Alert 1225 for it, if any.
    [[nodiscard]] std::optional<syncml::Alert> interrupt();
    [[nodiscard]] bool active() const noexcept { return open_.has_value(); }

private:
    struct Open {
        syncml::Command first; // first chunk, data accumulated here
        std::string key;
        std::optional<std::uint64_t> declared_size;
    };
    std::optional<Open> open_;
};

} // namespace omadm::session::detail
