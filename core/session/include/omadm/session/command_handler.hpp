#pragma once
// The seam between the client session engine and the device: the engine hands every server
// management command to a CommandHandler and turns the outcome into Status and Results.
// Tree-agnostic: the device decides what a command does (including Atomic rollback).

#include "omadm/base/clock.hpp"
#include "omadm/session/types.hpp"

#include <optional>
#include <string>
#include <vector>

namespace omadm::session {

/// Results to return for a Get (sent after the command's Status).
struct ResultsPayload {
    std::optional<syncml::Meta> meta;
    std::vector<syncml::Item> items; // Source/LocURI = node URI, Meta Format/Type, Data
};

/// How one command went.
struct CommandOutcome {
    StatusCode code = StatusCode::Ok;
    std::vector<syncml::Item> status_items; // e.g. a UI alert answer
    std::optional<ResultsPayload> results;  // for Get (only sent when code is a success)
    /// Atomic/Sequence: one outcome per member, in order. Members without an outcome get 500.
    std::vector<CommandOutcome> members;
};

struct CommandContext {
    SessionId session_id;
    base::ServerId server_id;
    MsgId msg_id;          // the server message that carried the command
    std::string ver_proto; // DM/1.2 or DM/1.3
    base::TimePoint now{}; // the time of the input that carried the command
};

/// A command of the server package that just ended, refused now that the package is complete (what
/// several commands wrote together, such as a policy added node by node, is judged only then).
struct PackageRefusal {
    std::size_t command = 0; ///< the command's index among those handle() got in the package
    StatusCode code = StatusCode::CommandFailed;
    std::string reason; ///< sent as the Data of an Item of the command's Status
};

class CommandHandler {
public:
    virtual ~CommandHandler() = default;
    /// Executes one server command: Add, Replace, Delete, Copy, Exec, Get, a UI Alert, or a whole
    /// Atomic / Sequence. A chunked large object arrives once, reassembled.
    virtual CommandOutcome handle(const syncml::Command& command, const CommandContext& context) = 0;
    /// The session ended (whatever the reason): the commands it carried are one batch, complete
    /// now. Called once per session that began, after its last handle().
    virtual void end_batch(base::TimePoint now) { (void)now; }
    /// The server's package ended: its Final message was handled and the reply is not built yet.
    /// A refused command of that last message gets the refusal's code and reason in its Status;
    /// one of an earlier message of the package was answered already, so only the handler's
    /// own report of the refusal remains.
    [[nodiscard]] virtual std::vector<PackageRefusal> end_package(base::TimePoint now) {
        (void)now;
        return {};
    }
};

} // namespace omadm::session
