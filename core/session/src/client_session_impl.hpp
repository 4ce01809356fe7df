#pragma once
// The state of one ClientSession, shared by the files that implement it: client_session.cpp (the
// public API and the transitions), client_package.cpp (building and packing client messages) and
// client_commands.cpp (reading server messages and executing their commands).

#include "chunk_assembler.hpp"
#include "client_auth.hpp"
#include "omadm/session/client_session.hpp"
#include "outbox.hpp"
#include "wire.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace omadm::session {

struct ClientSession::Impl {
    Impl(ClientConfig c, CommandHandler& h) : cfg(std::move(c)), handler(&h), auth(cfg) {}

    ClientConfig cfg;
    CommandHandler* handler;
    detail::ClientAuth auth;
    ClientState state = ClientState::Idle;
    std::uint32_t next_msg = 1;
    detail::PeerTrack peer;
    std::string destination;
    detail::Outbox outbox;
    detail::ChunkAssembler assembler;
    std::uint64_t next_ticket = 1;
    std::map<std::uint64_t, GenericAlert> unacked; // ticket -> alert, until 200/202
    std::vector<std::uint64_t> unsent;             // tickets not placed in a message yet
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> sent_alerts; // (MsgID, CmdID) -> ticket
    bool package_had_commands = false;
    std::size_t package_handled = 0;          // handle() calls in earlier messages of the server package
    std::vector<std::size_t> message_handled; // per handle() call of this message: its Status's index
    bool version_retried = false;
    std::optional<TimePoint> deadline;
    TimePoint input_time{}; // the time of the input being processed

    // --- transitions (client_session.cpp) ----------------------------------------------------
    Step transition_start(TimePoint now);
    Step transition_message(const Inbound& in, TimePoint now);
    /// Acts on the server's SyncHdr Status; true when the message was fully handled here.
    bool on_header_verdict(const syncml::Message& m, StatusCode my_hdr_status, Step& step, TimePoint now);
    void reply(const syncml::Message& m, std::vector<syncml::Command> statuses, Step& step, TimePoint now);
    /// Puts the Chal for the server's next credentials (ClientAuth::server_challenge) into the
    /// Status for the server's SyncHdr of a message about to be sent.
    void challenge_server(syncml::Command& hdr_status, bool refused, Step& step);
    void end(Step& step, EndReason reason, std::string detail);
    /// The server's package is complete: the handler's refusals replace the Statuses of this message.
    void close_server_package(std::vector<syncml::Command>& statuses);

    // --- building (client_package.cpp) -------------------------------------------------------
    syncml::SyncHdr header();
    void queue_package1();
    void queue_unsent_alerts();
    /// Sends Package 1 again, as a new session, in the fallback VerProto.
    void restart_with_fallback_version(Step& step, TimePoint now);
    /// Sends one message: `prelude` first (always placed whole), then the outbox while it fits.
    void send(Step& step, std::vector<syncml::Command> prelude, bool peer_has_more, TimePoint now);

    // --- receiving (client_commands.cpp) -----------------------------------------------------
    void check_header(const syncml::Message& m, Step& step);
    /// What the server got wrong on the wire: VerProto, repeated CmdIDs, WBXML version (findings).
    void check_wire(const Inbound& in, Step& step);
    void on_status(const syncml::Status& s, Step& step);
    void on_command(const syncml::Command& c, MsgId msg_id, StatusCode my_hdr_status,
                    std::vector<syncml::Command>& statuses, Step& step);
    void execute(const syncml::Command& c, MsgId msg_id, std::vector<syncml::Command>& statuses, Step& step);
    /// 413 for an object over our MaxObjSize (with a finding); nullopt when it is within it.
    std::optional<StatusCode> check_object_size(const syncml::Command& c, MsgId msg_id, Step& step);
    void append_statuses(const syncml::Command& received, const CommandOutcome& outcome, MsgId msg_id,
                         std::vector<syncml::Command>& statuses, Step& step);
    /// Queues the Results of a Get, or answers 413 when they exceed the server's MaxObjSize.
    StatusCode queue_results(const syncml::Command& received, const ResultsPayload& results, MsgId msg_id,
                             Step& step);
};

} // namespace omadm::session
