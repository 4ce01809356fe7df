#pragma once
// The records the server store keeps (devices, accounts, batches, sessions, transcripts, alerts).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omadm::server {

/// Credentials the server expects from (user/password) and presents to (server_password) a device.
struct Account {
    std::string user;
    std::string password;
    std::string auth = "basic"; // basic | md5 | hmac
    std::string server_password;
    std::string server_nonce_b64; // SRVCRED AAuthData: nonce of the Package 0 digest
    std::string client_nonce_b64; // nonce the device must use in its next credentials
    /// Nonce of the latest challenge that refused the device, accepted beside client_nonce_b64
    /// until it authenticates (a refused request must not take the device's nonce away).
    std::string challenged_nonce_b64;
    bool operator==(const Account&) const = default;
};

/// Failed: the session ended with some commands of the batch answered and others not.
enum class BatchState { Queued, Sent, Done, Failed, Cancelled };
[[nodiscard]] const char* to_string(BatchState s) noexcept;
[[nodiscard]] std::optional<BatchState> parse_batch_state(std::string_view text) noexcept;

struct CommandStatus {
    std::string cmd;
    std::string target;
    std::int64_t code = 0;
    std::optional<std::int64_t> command; // position of the command in its batch
    std::optional<std::int64_t> member;  // position inside an Atomic/Sequence; absent for the command itself
    bool operator==(const CommandStatus&) const = default;
};

struct CommandResult {
    std::string source;
    std::string format;
    std::string data;
    bool operator==(const CommandResult&) const = default;
};

struct Batch {
    std::int64_t id = 0;
    std::string device;
    BatchState state = BatchState::Queued;
    std::string flow; // "" for raw commands, else the policy flow: download, update, activate, ...
    std::vector<std::string> commands_json; // each a command in the JSON form of docs/control-api.md
    std::vector<CommandStatus> statuses;
    std::vector<CommandResult> results;
};

struct SessionRecord {
    std::int64_t id = 0; // store id, unique across devices (GET /v1/sessions/{id}/transcript)
    std::string device;
    std::string session_id;       // DM SessionID
    std::string state = "active"; // active | ended
    std::string auth = "none";
    std::int64_t messages = 0;
    std::optional<std::string> end_reason;
    std::string ver_proto; // of the accepted Package 1; empty before
    bool operator==(const SessionRecord&) const = default;
};

struct TranscriptEntry {
    std::string dir; // in | out
    std::int64_t msg_id = 0;
    std::string xml;
    std::optional<std::string> masked;
    bool operator==(const TranscriptEntry&) const = default;
};

/// A Generic Alert (1226) as received.
struct AlertRecord {
    std::string session;
    std::int64_t code = 1226;
    std::optional<std::string> correlator;
    std::optional<std::string> source;
    std::optional<std::string> type;
    std::optional<std::string> format;
    std::optional<std::string> mark;
    std::optional<std::string> data;
    bool operator==(const AlertRecord&) const = default;
};

} // namespace omadm::server
