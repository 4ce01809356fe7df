#pragma once
// The queue of commands one side still has to send in the current package, and the packing of a
// message under MaxMsgSize: whole commands while they fit, then a large object in chunks
// (MoreData on every chunk but the last, Meta Size on the first; OMA-TS-DM_Protocol-V1_2_1 §6, §7).

#include "omadm/session/message_size.hpp"

#include <cstdint>
#include <deque>
#include <optional>
#include <utility>
#include <vector>

namespace omadm::session::detail {

/// One command placed in a message.
struct Placed {
    std::uint64_t tag = 0; // caller's correlation tag (0: none)
    syncml::CmdId cmd_id;
    std::vector<syncml::CmdId> member_ids; // Atomic/Sequence members
    bool more_data = false;                // a non-final chunk
};

class Outbox {
public:
    void push(syncml::Command command, std::uint64_t tag = 0);
    /// Puts commands (in order) ahead of everything queued: the statuses answering the message just
    /// received, which then split across messages like any other command.
    void push_front(std::vector<syncml::Command> commands);
    /// Removes and returns the tagged commands not started yet (no chunk sent), in order; everything
    /// else is dropped. Used when a package is abandoned and its commands must wait for the next one.
    [[nodiscard]] std::vector<std::pair<std::uint64_t, syncml::Command>> take_unsent();
    /// Drops the rest of the large object tagged `tag` whose chunks have started going out: the
    /// peer refused a chunk, so no further chunk of it is sent (OMA-TS-DM_Protocol-V1_2_1 §7).
    void drop_started(std::uint64_t tag);
    [[nodiscard]] bool empty() const noexcept { return queue_.empty(); }
    [[nodiscard]] bool has_management() const noexcept;
    void clear() noexcept { queue_.clear(); }

    /// Appends queued commands to msg.body, numbering them from next_id, while the encoded size
    /// stays within `limit`. A command that does not fit and has one Item with Data is chunked. A
    /// command that cannot be chunked and does not fit an otherwise empty message is sent anyway.
    std::vector<Placed> fill(syncml::Message& msg, std::uint32_t& next_id, std::optional<std::uint64_t> limit,
                             const MessageSizer& sizer);
    /// Starts msg.body with `prelude` (the Statuses, Results and Alerts that open a message),
    /// numbered from CmdID 1 with their members, then fills it as fill() does. `next_id` is left at
    /// the next free CmdID.
    std::vector<Placed> fill_after(std::vector<syncml::Command> prelude, syncml::Message& msg,
                                   std::uint32_t& next_id, std::optional<std::uint64_t> limit,
                                   const MessageSizer& sizer);

private:
    struct Queued {
        syncml::Command command;
        std::uint64_t tag = 0;
        std::size_t offset = 0; // bytes of the Item Data already sent as chunks
    };
    /// Places the next chunk of the front command; false when not even a minimal chunk fits.
    bool place_chunk(syncml::Message& msg, std::uint32_t& next_id, std::uint64_t limit,
                     const MessageSizer& sizer, bool force, std::vector<Placed>& placed);

    std::deque<Queued> queue_;
};

/// True for a command that may travel as a large object: Add/Replace/Copy/Results with one Item with Data.
[[nodiscard]] bool chunkable(const syncml::Command& c) noexcept;

} // namespace omadm::session::detail
