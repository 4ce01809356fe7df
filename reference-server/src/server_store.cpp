#include "server_store.hpp"

#include <array>
#include <functional>

namespace omadm::server {

using shell::sqlite::Database;
using shell::sqlite::Statement;
using shell::sqlite::Transaction;

namespace {

constexpr std::string_view kSchema = R"sql(
CREATE TABLE IF NOT EXISTS devices(id TEXT PRIMARY KEY);
CREATE TABLE IF NOT EXISTS accounts(device TEXT PRIMARY KEY REFERENCES devices(id), user TEXT NOT NULL,
    password TEXT NOT NULL, auth TEXT NOT NULL, server_password TEXT NOT NULL, server_nonce TEXT NOT NULL,
    client_nonce TEXT NOT NULL, challenged_nonce TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS batches(id INTEGER PRIMARY KEY AUTOINCREMENT, device TEXT NOT NULL REFERENCES devices(id),
    state TEXT NOT NULL, flow TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS commands(batch INTEGER NOT NULL REFERENCES batches(id), idx INTEGER NOT NULL,
    json TEXT NOT NULL, PRIMARY KEY(batch, idx));
CREATE TABLE IF NOT EXISTS statuses(batch INTEGER NOT NULL REFERENCES batches(id), idx INTEGER NOT NULL,
    cmd TEXT NOT NULL, target TEXT NOT NULL, code INTEGER NOT NULL, command INTEGER, member INTEGER,
    PRIMARY KEY(batch, idx));
CREATE TABLE IF NOT EXISTS results(batch INTEGER NOT NULL REFERENCES batches(id), idx INTEGER NOT NULL,
    source TEXT NOT NULL, format TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY(batch, idx));
CREATE TABLE IF NOT EXISTS sessions(id INTEGER PRIMARY KEY AUTOINCREMENT, device TEXT NOT NULL REFERENCES devices(id),
    session_id TEXT NOT NULL, state TEXT NOT NULL, auth TEXT NOT NULL, messages INTEGER NOT NULL, end_reason TEXT,
    ver_proto TEXT NOT NULL DEFAULT '');
CREATE TABLE IF NOT EXISTS transcripts(session INTEGER NOT NULL REFERENCES sessions(id), n INTEGER NOT NULL,
    dir TEXT NOT NULL, msg_id INTEGER NOT NULL, xml TEXT NOT NULL, masked TEXT, PRIMARY KEY(session, n));
CREATE TABLE IF NOT EXISTS alerts(id INTEGER PRIMARY KEY AUTOINCREMENT, device TEXT NOT NULL REFERENCES devices(id),
    session TEXT NOT NULL, code INTEGER NOT NULL, correlator TEXT, source TEXT, type TEXT, format TEXT, mark TEXT,
    data TEXT);
)sql";

/// Appends to a per-batch list with the next index.
base::Result<void> append_indexed(Database& db, std::string_view table_insert, std::string_view count_sql,
                                  std::int64_t batch, const std::function<void(Statement&)>& bind_rest) {
    auto count = db.prepare(count_sql);
    if (!count) return count.error();
    count->bind(1, batch);
    auto row = count->step();
    if (!row) return row.error();
    const std::int64_t idx = *row ? count->column_int(0) : 0;
    auto ins = db.prepare(table_insert);
    if (!ins) return ins.error();
    ins->bind(1, batch).bind(2, idx);
    bind_rest(*ins);
    return ins->run();
}

} // namespace

namespace {

/// Each state with the name the store and the control API use for it (one table for both ways).
constexpr std::array<std::pair<BatchState, const char*>, 5> kBatchStateNames{{
    {BatchState::Queued, "queued"},
    {BatchState::Sent, "sent"},
    {BatchState::Done, "done"},
    {BatchState::Failed, "failed"},
    {BatchState::Cancelled, "cancelled"},
}};

} // namespace

const char* to_string(BatchState s) noexcept {
    for (const auto& [state, name] : kBatchStateNames) {
        if (state == s) return name;
    }
    return "queued";
}

std::optional<BatchState> parse_batch_state(std::string_view text) noexcept {
    for (const auto& [state, name] : kBatchStateNames) {
        if (text == name) return state;
    }
    return std::nullopt;
}

base::Result<std::unique_ptr<ServerStore>> ServerStore::open(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    auto db = Database::open(dir / "server.db");
    if (!db) return db.error();
    if (auto r = db->exec(kSchema); !r) return r.error();
    if (!db->prepare("SELECT challenged_nonce FROM accounts")) { // a database of an earlier version
        if (auto r = db->exec("ALTER TABLE accounts ADD COLUMN challenged_nonce TEXT NOT NULL DEFAULT ''");
            !r)
            return r.error();
    }
    return std::unique_ptr<ServerStore>(new ServerStore(std::move(*db)));
}

namespace {

/// Runs `update` and returns how many rows `count` saw before it.
base::Result<std::int64_t> count_then_update(Database& db, std::string_view count, std::string_view update) {
    auto st = db.prepare(count);
    if (!st) return st.error();
    auto row = st->step();
    if (!row) return row.error();
    const std::int64_t n = *row ? st->column_int(0) : 0;
    if (auto r = db.exec(update); !r) return r.error();
    return n;
}

} // namespace

base::Result<ServerStore::Recovery> ServerStore::recover() {
    const std::lock_guard lock(mutex_);
    auto tx = Transaction::begin(db_);
    if (!tx) return tx.error();
    Recovery r;
    constexpr std::string_view kUnanswered =
        "state = 'sent' AND NOT EXISTS (SELECT 1 FROM statuses WHERE statuses.batch = batches.id)";
    auto sessions = count_then_update(
        db_, "SELECT count(*) FROM sessions WHERE state = 'active'",
        "UPDATE sessions SET state = 'ended', end_reason = 'aborted' WHERE state = 'active'");
    if (!sessions) return sessions.error();
    auto requeued =
        count_then_update(db_, "SELECT count(*) FROM batches WHERE " + std::string(kUnanswered),
                          "UPDATE batches SET state = 'queued' WHERE " + std::string(kUnanswered));
    if (!requeued) return requeued.error();
    auto failed = count_then_update(db_, "SELECT count(*) FROM batches WHERE state = 'sent'",
                                    "UPDATE batches SET state = 'failed' WHERE state = 'sent'");
    if (!failed) return failed.error();
    if (auto c = tx->commit(); !c) return c.error();
    r.sessions_aborted = *sessions;
    r.batches_requeued = *requeued;
    r.batches_failed = *failed;
    return r;
}

base::Result<Statement> ServerStore::device_statement(std::string_view sql, std::string_view device) {
    auto st = db_.prepare(sql);
    if (st) st->bind(1, device);
    return st;
}

base::Result<void> ServerStore::ensure_device(std::string_view device) {
    auto st = device_statement("INSERT OR IGNORE INTO devices(id) VALUES(?1)", device);
    if (!st) return st.error();
    return st->run();
}

base::Result<void> ServerStore::put_account(std::string_view device, const Account& a) {
    const std::lock_guard lock(mutex_);
    if (auto r = ensure_device(device); !r) return r;
    auto st = db_.prepare("INSERT OR REPLACE INTO accounts(device, user, password, auth, server_password, "
                          "server_nonce, client_nonce, challenged_nonce)"
                          " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
    if (!st) return st.error();
    st->bind(1, device).bind(2, a.user).bind(3, a.password).bind(4, a.auth).bind(5, a.server_password);
    st->bind(6, a.server_nonce_b64).bind(7, a.client_nonce_b64).bind(8, a.challenged_nonce_b64);
    return st->run();
}

base::Result<std::optional<Account>> ServerStore::account(std::string_view device) {
    const std::lock_guard lock(mutex_);
    auto st = device_statement("SELECT user, password, auth, server_password, server_nonce, client_nonce, "
                               "challenged_nonce FROM accounts WHERE device = ?1",
                               device);
    if (!st) return st.error();
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<Account>{};
    return std::optional<Account>{Account{st->column_text(0), st->column_text(1), st->column_text(2),
                                          st->column_text(3), st->column_text(4), st->column_text(5),
                                          st->column_text(6)}};
}

base::Result<std::int64_t> ServerStore::queue_batch(std::string_view device,
                                                    const std::vector<std::string>& commands_json,
                                                    std::string_view flow) {
    const std::lock_guard lock(mutex_);
    auto tx = Transaction::begin(db_);
    if (!tx) return tx.error();
    if (auto r = ensure_device(device); !r) return r.error();
    auto ins = db_.prepare("INSERT INTO batches(device, state, flow) VALUES(?1, 'queued', ?2)");
    if (!ins) return ins.error();
    if (auto r = ins->bind(1, device).bind(2, flow).run(); !r) return r.error();
    const auto id = db_.last_insert_rowid();
    auto cmd = db_.prepare("INSERT INTO commands(batch, idx, json) VALUES(?1, ?2, ?3)");
    if (!cmd) return cmd.error();
    for (std::size_t i = 0; i < commands_json.size(); ++i) {
        cmd->reset();
        if (auto r = cmd->bind(1, id).bind(2, static_cast<std::int64_t>(i)).bind(3, commands_json[i]).run();
            !r) {
            return r.error();
        }
    }
    if (auto r = tx->commit(); !r) return r.error();
    return id;
}

base::Result<std::optional<Batch>> ServerStore::batch(std::string_view device, std::int64_t id) {
    const std::lock_guard lock(mutex_);
    auto st = db_.prepare("SELECT state, flow FROM batches WHERE id = ?1 AND device = ?2");
    if (!st) return st.error();
    st->bind(1, id).bind(2, device);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<Batch>{};
    Batch b;
    b.id = id;
    b.device = std::string(device);
    b.state = parse_batch_state(st->column_text(0)).value_or(BatchState::Queued);
    b.flow = st->column_text(1);
    auto cmds = db_.prepare("SELECT json FROM commands WHERE batch = ?1 ORDER BY idx");
    if (!cmds) return cmds.error();
    cmds->bind(1, id);
    for (auto r = cmds->step(); r && *r; r = cmds->step())
        b.commands_json.push_back(cmds->column_text(0));
    auto sts =
        db_.prepare("SELECT cmd, target, code, command, member FROM statuses WHERE batch = ?1 ORDER BY idx");
    if (!sts) return sts.error();
    sts->bind(1, id);
    for (auto r = sts->step(); r && *r; r = sts->step()) {
        b.statuses.push_back({sts->column_text(0), sts->column_text(1), sts->column_int(2),
                              sts->column_optional_int(3), sts->column_optional_int(4)});
    }
    auto res = db_.prepare("SELECT source, format, data FROM results WHERE batch = ?1 ORDER BY idx");
    if (!res) return res.error();
    res->bind(1, id);
    for (auto r = res->step(); r && *r; r = res->step()) {
        b.results.push_back({res->column_text(0), res->column_text(1), res->column_text(2)});
    }
    return std::optional<Batch>{std::move(b)};
}

base::Result<std::vector<Batch>> ServerStore::batches_in_state(std::string_view device, BatchState state) {
    std::vector<std::int64_t> ids;
    {
        const std::lock_guard lock(mutex_);
        auto st =
            device_statement("SELECT id FROM batches WHERE device = ?1 AND state = ?2 ORDER BY id", device);
        if (!st) return st.error();
        st->bind(2, std::string_view(to_string(state)));
        for (auto r = st->step(); r && *r; r = st->step())
            ids.push_back(st->column_int(0));
    }
    std::vector<Batch> out;
    for (const auto id : ids) {
        auto b = batch(device, id);
        if (!b) return b.error();
        if (*b) out.push_back(std::move(**b));
    }
    return out;
}

base::Result<void> ServerStore::set_batch_state(std::int64_t id, BatchState state) {
    const std::lock_guard lock(mutex_);
    auto st = db_.prepare("UPDATE batches SET state = ?2 WHERE id = ?1");
    if (!st) return st.error();
    return st->bind(1, id).bind(2, std::string_view(to_string(state))).run();
}

base::Result<std::optional<BatchState>> ServerStore::cancel_batch(std::string_view device, std::int64_t id) {
    const std::lock_guard lock(mutex_);
    auto st = db_.prepare("SELECT state FROM batches WHERE id = ?1 AND device = ?2");
    if (!st) return st.error();
    st->bind(1, id).bind(2, device);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<BatchState>{};
    const BatchState before = parse_batch_state(st->column_text(0)).value_or(BatchState::Queued);
    if (before != BatchState::Queued) return std::optional<BatchState>{before};
    auto up = db_.prepare("UPDATE batches SET state = ?2 WHERE id = ?1");
    if (!up) return up.error();
    if (auto r = up->bind(1, id).bind(2, std::string_view(to_string(BatchState::Cancelled))).run(); !r)
        return r.error();
    return std::optional<BatchState>{before};
}

base::Result<void> ServerStore::add_status(std::int64_t batch_id, const CommandStatus& s) {
    const std::lock_guard lock(mutex_);
    return append_indexed(
        db_,
        "INSERT INTO statuses(batch, idx, cmd, target, code, command, member) VALUES(?1, ?2, ?3, ?4, ?5, ?6, "
        "?7)",
        "SELECT count(*) FROM statuses WHERE batch = ?1", batch_id, [&](Statement& st) {
            st.bind(3, s.cmd).bind(4, s.target).bind(5, s.code).bind(6, s.command).bind(7, s.member);
        });
}

base::Result<void> ServerStore::add_result(std::int64_t batch_id, const CommandResult& r) {
    const std::lock_guard lock(mutex_);
    return append_indexed(db_,
                          "INSERT INTO results(batch, idx, source, format, data) VALUES(?1, ?2, ?3, ?4, ?5)",
                          "SELECT count(*) FROM results WHERE batch = ?1", batch_id,
                          [&](Statement& st) { st.bind(3, r.source).bind(4, r.format).bind(5, r.data); });
}

} // namespace omadm::server
