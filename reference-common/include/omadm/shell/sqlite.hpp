#pragma once
// A small SQLite wrapper: RAII database, statement and transaction; WAL journal. Errors are
// Results (sqlite_error, detail with the statement and SQLite's message).

#include "omadm/base/result.hpp"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace omadm::shell::sqlite {

class Statement;

class Database {
public:
    /// Opens (creating) the file, sets WAL, synchronous=NORMAL, foreign keys on, a busy timeout.
    [[nodiscard]] static base::Result<Database> open(const std::filesystem::path& path);
    Database(Database&& other) noexcept;
    Database& operator=(Database&& other) noexcept;
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;
    ~Database();

    /// Runs one or more statements without results.
    [[nodiscard]] base::Result<void> exec(std::string_view sql);
    [[nodiscard]] base::Result<Statement> prepare(std::string_view sql);
    [[nodiscard]] std::int64_t last_insert_rowid() const;
    [[nodiscard]] std::string journal_mode();
    /// True while a transaction is open on this connection.
    [[nodiscard]] bool in_transaction() const;
    /// Called after each row this connection inserts, updates or deletes, before its transaction
    /// commits (sqlite3_update_hook); it must not use this connection. Empty to stop.
    void on_row_written(std::function<void()> fn);

private:
    explicit Database(sqlite3* db) : db_(db) {}
    sqlite3* db_ = nullptr;
    std::unique_ptr<std::function<void()>> row_written_; ///< stable address for the C callback
};

class Statement {
public:
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&& other) noexcept;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;
    ~Statement();

    /// Parameters are numbered from 1.
    Statement& bind(int index, std::int64_t value);
    Statement& bind(int index, std::string_view text);
    Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
    Statement& bind(int index, std::nullopt_t);
    Statement& bind(int index, const std::optional<std::string>& text);
    Statement& bind(int index, const std::optional<std::int64_t>& value);

    /// Advances: true when a row is available, false when done.
    [[nodiscard]] base::Result<bool> step();
    /// Steps to completion (for statements without results).
    [[nodiscard]] base::Result<void> run();
    void reset();

    [[nodiscard]] std::int64_t column_int(int index) const;
    [[nodiscard]] std::string column_text(int index) const;
    [[nodiscard]] std::optional<std::string> column_optional_text(int index) const;
    [[nodiscard]] std::optional<std::int64_t> column_optional_int(int index) const;
    [[nodiscard]] bool column_is_null(int index) const;

private:
    friend class Database;
    Statement(sqlite3_stmt* stmt, std::string sql) : stmt_(stmt), sql_(std::move(sql)) {}
    sqlite3_stmt* stmt_ = nullptr;
    std::string sql_;
    int bind_error_ = 0;
};

/// BEGIN IMMEDIATE on construction, or a SAVEPOINT inside a transaction already open (it then
/// commits with the outer one); rolls back on destruction unless committed.
class Transaction {
public:
    [[nodiscard]] static base::Result<Transaction> begin(Database& db);
    Transaction(Transaction&& other) noexcept;
    Transaction& operator=(Transaction&&) = delete;
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    ~Transaction();
    [[nodiscard]] base::Result<void> commit();

private:
    Transaction(Database& db, bool nested) : db_(&db), nested_(nested) {}
    Database* db_;
    bool nested_ = false;
};

} // namespace omadm::shell::sqlite
