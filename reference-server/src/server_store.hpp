#pragma once
// The server's persistent state (SQLite in --state DIR): devices, accounts, command batches with
// their statuses and results, sessions, transcripts and Generic Alerts. Survives a restart.

#include "omadm/base/result.hpp"
#include "omadm/shell/sqlite.hpp"
#include "server_records.hpp"

#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace omadm::server {

class ServerStore {
public:
    /// Opens (creating) `dir`/server.db and its schema.
    [[nodiscard]] static base::Result<std::unique_ptr<ServerStore>> open(const std::filesystem::path& dir);

    /// What recover() settled.
    struct Recovery {
        std::int64_t sessions_aborted = 0;
        std::int64_t batches_requeued = 0;
        std::int64_t batches_failed = 0;
        bool operator==(const Recovery&) const = default;
    };
    /// Run once at start, before any session: sessions a stop or a crash left active end as
    /// `aborted`, and the batches they had sent go back to `queued` when no Status of them arrived,
    /// else become `failed` (as at the end of a session). One transaction.
    [[nodiscard]] base::Result<Recovery> recover();

    [[nodiscard]] base::Result<void> put_account(std::string_view device, const Account& account);
    [[nodiscard]] base::Result<std::optional<Account>> account(std::string_view device);

    /// Queues the commands as one batch; returns its id. `flow` names the policy flow that made it.
    [[nodiscard]] base::Result<std::int64_t> queue_batch(std::string_view device,
                                                         const std::vector<std::string>& commands_json,
                                                         std::string_view flow = "");
    [[nodiscard]] base::Result<std::optional<Batch>> batch(std::string_view device, std::int64_t id);
    /// The device's batches in `state`, oldest first (what its next session sends).
    [[nodiscard]] base::Result<std::vector<Batch>> batches_in_state(std::string_view device,
                                                                    BatchState state);
    [[nodiscard]] base::Result<void> set_batch_state(std::int64_t id, BatchState state);
    /// A queued batch of the device becomes `cancelled` and no session sends it. Its state before:
    /// nullopt when the device has no such batch; anything but Queued leaves it as it was.
    [[nodiscard]] base::Result<std::optional<BatchState>> cancel_batch(std::string_view device,
                                                                       std::int64_t id);
    [[nodiscard]] base::Result<void> add_status(std::int64_t batch, const CommandStatus& status);
    [[nodiscard]] base::Result<void> add_result(std::int64_t batch, const CommandResult& result);

    /// Records a new session; returns its store id.
    [[nodiscard]] base::Result<std::int64_t> open_session(std::string_view device,
                                                          std::string_view session_id);
    [[nodiscard]] base::Result<void> update_session(const SessionRecord& record);
    [[nodiscard]] base::Result<std::optional<SessionRecord>> session(std::int64_t id);
    [[nodiscard]] base::Result<std::vector<SessionRecord>> sessions(std::string_view device);
    [[nodiscard]] base::Result<void> append_transcript(std::int64_t session, const TranscriptEntry& entry);
    [[nodiscard]] base::Result<std::vector<TranscriptEntry>> transcript(std::int64_t session);

    [[nodiscard]] base::Result<void> add_alert(std::string_view device, const AlertRecord& alert);
    [[nodiscard]] base::Result<std::vector<AlertRecord>> alerts(std::string_view device);

private:
    explicit ServerStore(shell::sqlite::Database db) : db_(std::move(db)) {}
    [[nodiscard]] base::Result<void> ensure_device(std::string_view device);
    /// `sql` prepared with ?1 bound to `device` (the caller holds mutex_).
    [[nodiscard]] base::Result<shell::sqlite::Statement> device_statement(std::string_view sql,
                                                                          std::string_view device);

    std::mutex mutex_;
    shell::sqlite::Database db_;
};

} // namespace omadm::server
