#include "omadm/shell/sqlite.hpp"

#include "omadm/shell/shell_errc.hpp"

#include <sqlite3.h>
#include <utility>

namespace omadm::shell::sqlite {
namespace {

base::Error sqlite_failure(sqlite3* db, std::string_view what) {
    const char* msg = db != nullptr ? sqlite3_errmsg(db) : "out of memory";
    return base::make_error(ShellErrc::sqlite_error, std::string(what) + ": " + msg);
}

} // namespace

base::Result<Database> Database::open(const std::filesystem::path& path) {
    sqlite3* raw = nullptr;
    const int rc = sqlite3_open_v2(
        path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
    Database db(raw);
    if (rc != SQLITE_OK) return sqlite_failure(raw, "open " + path.string());
    sqlite3_busy_timeout(raw, 5000);
    if (auto r = db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"); !r) {
        return r.error();
    }
    return db;
}

Database::Database(Database&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), row_written_(std::move(other.row_written_)) {}

Database& Database::operator=(Database&& other) noexcept {
    if (this != &other) {
        if (db_ != nullptr) sqlite3_close_v2(db_);
        db_ = std::exchange(other.db_, nullptr);
        row_written_ = std::move(other.row_written_);
    }
    return *this;
}

Database::~Database() {
    if (db_ != nullptr) sqlite3_close_v2(db_);
}

base::Result<void> Database::exec(std::string_view sql) {
    const std::string text(sql);
    char* err = nullptr;
    if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
        std::string detail = text + ": " + (err != nullptr ? err : "error");
        sqlite3_free(err);
        return base::make_error(ShellErrc::sqlite_error, detail);
    }
    return {};
}

base::Result<Statement> Database::prepare(std::string_view sql) {
    sqlite3_stmt* stmt = nullptr;
    if (sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr) != SQLITE_OK) {
        return sqlite_failure(db_, "prepare '" + std::string(sql) + "'");
    }
    return Statement(stmt, std::string(sql));
}

std::int64_t Database::last_insert_rowid() const {
    return sqlite3_last_insert_rowid(db_);
}

bool Database::in_transaction() const {
    return sqlite3_get_autocommit(db_) == 0;
}

void Database::on_row_written(std::function<void()> fn) {
    if (!fn) {
        sqlite3_update_hook(db_, nullptr, nullptr);
        row_written_.reset();
        return;
    }
    row_written_ = std::make_unique<std::function<void()>>(std::move(fn));
    sqlite3_update_hook(
        db_,
        [](void* cell, int, const char*, const char*, sqlite3_int64) {
            (*static_cast<std::function<void()>*>(cell))();
        },
        row_written_.get());
}

std::string Database::journal_mode() {
    auto st = prepare("PRAGMA journal_mode");
    if (!st) return {};
    auto row = st->step();
    return row && *row ? st->column_text(0) : std::string{};
}

Statement::Statement(Statement&& other) noexcept
    : stmt_(std::exchange(other.stmt_, nullptr)), sql_(std::move(other.sql_)),
      bind_error_(other.bind_error_) {}

Statement& Statement::operator=(Statement&& other) noexcept {
    if (this != &other) {
        if (stmt_ != nullptr) sqlite3_finalize(stmt_);
        stmt_ = std::exchange(other.stmt_, nullptr);
        sql_ = std::move(other.sql_);
        bind_error_ = other.bind_error_;
    }
    return *this;
}

Statement::~Statement() {
    if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement& Statement::bind(int index, std::int64_t value) {
    if (const int rc = sqlite3_bind_int64(stmt_, index, value); rc != SQLITE_OK) bind_error_ = rc;
    return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
    if (const int rc =
            sqlite3_bind_text(stmt_, index, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
        rc != SQLITE_OK) {
        bind_error_ = rc;
    }
    return *this;
}

Statement& Statement::bind(int index, std::nullopt_t) {
    if (const int rc = sqlite3_bind_null(stmt_, index); rc != SQLITE_OK) bind_error_ = rc;
    return *this;
}

Statement& Statement::bind(int index, const std::optional<std::string>& text) {
    return text ? bind(index, std::string_view(*text)) : bind(index, std::nullopt);
}

Statement& Statement::bind(int index, const std::optional<std::int64_t>& value) {
    return value ? bind(index, *value) : bind(index, std::nullopt);
}

base::Result<bool> Statement::step() {
    if (bind_error_ != SQLITE_OK) {
        return base::make_error(ShellErrc::sqlite_error,
                                "bind for '" + sql_ + "': " + sqlite3_errstr(bind_error_));
    }
    const int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return sqlite_failure(sqlite3_db_handle(stmt_), "step '" + sql_ + "'");
}

base::Result<void> Statement::run() {
    for (;;) {
        auto r = step();
        if (!r) return r.error();
        if (!*r) return {};
    }
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    bind_error_ = SQLITE_OK;
}

std::int64_t Statement::column_int(int index) const {
    return sqlite3_column_int64(stmt_, index);
}

std::string Statement::column_text(int index) const {
    const auto* p = sqlite3_column_text(stmt_, index);
    const int n = sqlite3_column_bytes(stmt_, index);
    if (p == nullptr) return {};
    return {reinterpret_cast<const char*>(p), static_cast<std::size_t>(n)};
}

std::optional<std::string> Statement::column_optional_text(int index) const {
    if (column_is_null(index)) return std::nullopt;
    return column_text(index);
}

std::optional<std::int64_t> Statement::column_optional_int(int index) const {
    if (column_is_null(index)) return std::nullopt;
    return column_int(index);
}

bool Statement::column_is_null(int index) const {
    return sqlite3_column_type(stmt_, index) == SQLITE_NULL;
}

// SQLite nests SAVEPOINTs of one name: RELEASE and ROLLBACK TO reach the innermost one.
constexpr std::string_view kSavepoint = "omadm_nested";

base::Result<Transaction> Transaction::begin(Database& db) {
    const bool nested = db.in_transaction();
    if (auto r = db.exec(nested ? "SAVEPOINT " + std::string(kSavepoint) : std::string("BEGIN IMMEDIATE"));
        !r)
        return r.error();
    return Transaction(db, nested);
}

Transaction::Transaction(Transaction&& other) noexcept
    : db_(std::exchange(other.db_, nullptr)), nested_(other.nested_) {}

Transaction::~Transaction() {
    if (db_ == nullptr) return;
    if (nested_) {
        const std::string name(kSavepoint);
        (void)db_->exec("ROLLBACK TO " + name + "; RELEASE " + name);
    } else {
        (void)db_->exec("ROLLBACK");
    }
}

base::Result<void> Transaction::commit() {
    auto* db = std::exchange(db_, nullptr);
    return db->exec(nested_ ? "RELEASE " + std::string(kSavepoint) : std::string("COMMIT"));
}

} // namespace omadm::shell::sqlite
