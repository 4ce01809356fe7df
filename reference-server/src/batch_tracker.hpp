#pragma once
// Correlates the commands of queued batches with the session engine's tickets: enqueues a device's
// queued batches on a ServerSession, records each Status and Results in the store (per command and
// per Atomic/Sequence member), and moves batches queued -> sent -> done.

#include "omadm/session/event.hpp"
#include "omadm/session/server_session.hpp"
#include "omadm/shell/event_bus.hpp"
#include "omadm/syncml/message.hpp"
#include "server_store.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace omadm::server {

class BatchTracker {
public:
    BatchTracker(ServerStore& store, shell::EventBus& events, std::string device)
        : store_(store), events_(events), device_(std::move(device)) {}

    /// Enqueues every queued batch of the device on `engine`, oldest first.
    void enqueue_queued(session::ServerSession& engine);

    /// The engine accepted Package 1: the enqueued batches go out now.
    void on_session_started(const std::string& session_id);
    void on_status(const session::event::CommandStatusReceived& e, const std::string& session_id);
    void on_results(const session::event::ResultsReceived& e, const std::string& session_id);
    /// A command was not sent for its size: an event names it, and its batch ends failed.
    void on_too_large(const session::event::ObjectTooLarge& e, const std::string& session_id);
    void on_too_large(const session::event::CommandTooLarge& e, const std::string& session_id);
    /// Marks the batches whose every command is answered as done, or failed when one of them could
    /// not be sent (call after each step).
    void complete_answered(const std::string& session_id);
    /// The session ended: answered batches are done, batches of which nothing was answered go back
    /// to queued, partly answered ones are failed.
    void on_session_ended(const std::string& session_id);

private:
    struct Sent {
        std::int64_t batch = 0;
        std::int64_t index = 0;
        syncml::Command command;
    };
    struct Tracked {
        std::string flow;
        std::set<std::uint64_t> pending; // tickets without their Status
        std::size_t answered = 0;        // statuses recorded
        bool sent = false;
        bool unsendable = false; // a command was not sent for its size
    };
    /// Takes `ticket`'s command, not sent for its size, out of its batch, which then cannot be done,
    /// and publishes `kind` with the size and the limit it exceeds.
    void drop_unsendable(const session::CommandTicket& ticket, std::string_view kind, const std::string& cmd,
                         std::uint64_t size, std::string_view limit_name, std::uint64_t limit,
                         const std::string& session_id);
    [[nodiscard]] const Sent* sent_for(const std::optional<session::CommandTicket>& ticket) const;
    void set_state(std::int64_t batch, BatchState state, const std::string& session_id);
    void store_error(const base::Error& e) const;

    ServerStore& store_;
    shell::EventBus& events_;
    std::string device_;
    std::map<std::uint64_t, Sent> tickets_;
    std::map<std::int64_t, Tracked> batches_;
};

/// The requirement a completed batch of `flow` exercises ("" when none): download HLF-1, update
/// HLF-2, activate/deactivate HLF-3, delete HLF-4, query DMS-01.
[[nodiscard]] std::string_view flow_requirement(std::string_view flow) noexcept;

} // namespace omadm::server
