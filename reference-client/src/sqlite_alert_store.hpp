#pragma once
// The policy outbox (queued Generic Alerts) persisted in SQLite: an alert stays until the server
// acknowledged it, across sessions and restarts.

#include "omadm/policy/outbox.hpp"
#include "omadm/shell/sqlite.hpp"

#include <memory>

namespace omadm::client {

class SqliteAlertStore final : public policy::AlertStore {
public:
    [[nodiscard]] static base::Result<std::unique_ptr<SqliteAlertStore>> open(shell::sqlite::Database& db);

    [[nodiscard]] base::Result<void> save(const policy::QueuedAlert& alert) override;
    [[nodiscard]] base::Result<void> erase(policy::AlertId id) override;
    [[nodiscard]] base::Result<std::vector<policy::QueuedAlert>> load() override;

private:
    explicit SqliteAlertStore(shell::sqlite::Database& db) : db_(db) {}
    shell::sqlite::Database& db_;
};

} // namespace omadm::client
