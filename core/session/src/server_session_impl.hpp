#pragma once
// The state of one ServerSession, shared by the files that implement it: server_session.cpp (the
// public API and the transition), server_package.cpp (building, packing and the command queue) and
// server_receive.cpp (reading client messages: statuses, Results, alerts).

#include "chunk_assembler.hpp"
#include "omadm/session/server_session.hpp"
#include "outbox.hpp"
#include "server_auth.hpp"
#include "wire.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace omadm::session {

struct ServerSession::Impl {
    Impl(ServerConfig c, base::Random& r) : cfg(std::move(c)), auth(cfg, r) {}

    /// A command sent and waiting for its Status.
    struct SentRef {
        std::uint64_t ticket = 0;
        std::optional<std::size_t> member;
        std::string cmd;
        bool answered = false;
        bool more_data = false; // a non-last chunk of a large object
        /// A top-level command as sent: sent again when the client refuses it for the server's
        /// credentials (401/407), which it will have again in the next message.
        std::optional<syncml::Command> command;
    };

    ServerConfig cfg;
    detail::ServerAuth auth;
    ServerState state = ServerState::AwaitingPackage1;
    bool started = false;
    SessionId session_id;
    std::string ver_proto;
    std::string client_uri;
    std::uint32_t next_msg = 1;
    detail::PeerTrack peer;
    detail::Outbox outbox;
    detail::ChunkAssembler assembler;
    std::deque<std::pair<std::uint64_t, syncml::Command>> queue;
    std::uint64_t next_ticket = 1;
    std::map<std::pair<std::uint32_t, std::uint32_t>, SentRef> sent;
    bool abort_requested = false;
    /// Set while reading a client message whose SyncHdr Status refused the server's credentials:
    /// the commands it refused for them, in order, go out again.
    bool server_refused = false;
    std::vector<std::pair<std::uint64_t, syncml::Command>> refused_for_credentials;
    std::optional<TimePoint> deadline;
    /// The answer to Package 1 while the shell claims the session's commands (claim_at_start).
    struct Held {
        std::vector<syncml::Command> statuses;
        bool peer_has_more = false;
        bool final = true;
        MsgId msg_id;
    };
    std::optional<Held> held;

    // --- transition (server_session.cpp) -----------------------------------------------------
    Step transition(const Inbound& in, TimePoint now);
    /// Version refusal, peer abort, local abort: true when the message was fully handled.
    bool ends_early(const syncml::Message& m, Step& step, TimePoint now);
    void refuse(const syncml::Message& m, std::vector<syncml::Command> statuses, StatusCode code, Step& step,
                TimePoint now);
    void accept(const syncml::Message& m, std::vector<syncml::Command> statuses, Step& step, TimePoint now);
    /// Sends the answer to a client message: its statuses, then what the outbox holds.
    void answer(Held held, Step& step, TimePoint now);
    /// Answers a message that is not this session's (ServerAuth::foreign) on its own, changing nothing.
    void answer_foreign(const Inbound& in, Step& step);
    void end(Step& step, EndReason reason, std::string detail);

    // --- building (server_package.cpp) -------------------------------------------------------
    /// Sends one message: `prelude` first (always placed whole), then the outbox while it fits.
    /// Returns the message sent.
    const syncml::Message& send(Step& step, std::vector<syncml::Command> prelude, bool peer_has_more,
                                TimePoint now);
    void record_sent(const syncml::Message& msg, const std::vector<detail::Placed>& placed);
    /// End of a client package: unanswered commands are findings; queued commands move to the outbox.
    void close_package(MsgId msg_id, Step& step);
    /// The SyncHdr of the next message, without Cred.
    [[nodiscard]] syncml::SyncHdr header() const;
    /// The encoded size of the next message if it carried only the SyncHdr Status and `command`.
    [[nodiscard]] std::uint64_t size_alone(const syncml::Command& command) const;
    /// Moves the queue into the outbox, dropping commands over the client's MaxObjSize and commands
    /// that cannot be split and do not fit its MaxMsgSize even alone.
    void release_queue(Step& step);

    // --- receiving (server_receive.cpp) ------------------------------------------------------
    void check_header(const syncml::Message& m, Step& step);
    void session_started(const syncml::Message& m, Step& step);
    void on_command(const syncml::Command& c, MsgId msg_id, std::vector<syncml::Command>& statuses,
                    Step& step);
    void on_status(const syncml::Status& s, MsgId msg_id, Step& step);
    void on_results(const syncml::Command& c, MsgId msg_id, std::vector<syncml::Command>& statuses,
                    Step& step);
    void on_alert(const syncml::Alert& a, const syncml::Command& c, MsgId msg_id,
                  std::vector<syncml::Command>& statuses, Step& step);
};

} // namespace omadm::session
