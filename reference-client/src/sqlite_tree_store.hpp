#pragma once
// The device tree persisted in SQLite (WAL): one row per node, each committed change set (one DM
// command, or one Atomic as a whole) in one SQLite transaction. A crash at any moment leaves the
// database at the state before or after each change set.

#include "omadm/shell/sqlite.hpp"
#include "omadm/tree/tree_store.hpp"

namespace omadm::client {

class SqliteTreeStore final : public tree::TreeStore {
public:
    /// Creates the table when missing. The database must outlive the store.
    [[nodiscard]] static base::Result<std::unique_ptr<SqliteTreeStore>> open(shell::sqlite::Database& db);

    [[nodiscard]] base::Result<tree::TreeSnapshot> load() override;
    [[nodiscard]] base::Result<void> persist(const tree::ChangeSet& changes) override;

private:
    explicit SqliteTreeStore(shell::sqlite::Database& db) : db_(db) {}
    shell::sqlite::Database& db_;
};

} // namespace omadm::client
