#include "sqlite_alert_store.hpp"

namespace omadm::client {

namespace {
constexpr std::string_view kAlertSchema =
    "CREATE TABLE IF NOT EXISTS policy_alerts ("
    " id INTEGER PRIMARY KEY, source TEXT NOT NULL, type TEXT NOT NULL, format TEXT NOT NULL,"
    " mark TEXT NOT NULL, data TEXT NOT NULL, result INTEGER NOT NULL, policy_id TEXT NOT NULL,"
    " version TEXT NOT NULL, detail TEXT NOT NULL, correlator TEXT, server_id TEXT NOT NULL DEFAULT '')";
} // namespace

base::Result<std::unique_ptr<SqliteAlertStore>> SqliteAlertStore::open(shell::sqlite::Database& db) {
    if (auto r = db.exec(kAlertSchema); !r) return r.error();
    if (!db.prepare("SELECT server_id FROM policy_alerts")) { // a state directory of an earlier version
        if (auto r = db.exec("ALTER TABLE policy_alerts ADD COLUMN server_id TEXT NOT NULL DEFAULT ''"); !r)
            return r.error();
    }
    return std::unique_ptr<SqliteAlertStore>(new SqliteAlertStore(db));
}

base::Result<void> SqliteAlertStore::save(const policy::QueuedAlert& q) {
    auto st = db_.prepare(
        "INSERT OR REPLACE INTO policy_alerts (id, source, type, format, mark, data, "
        "result, policy_id, version,"
        " detail, correlator, server_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
    if (!st) return st.error();
    // A policy's alert has one item (policy::make_alert).
    const syncml::GenericAlertItem a =
        q.alert.items.empty() ? syncml::GenericAlertItem{} : q.alert.items.front();
    const auto& p = q.payload;
    st->bind(1, static_cast<std::int64_t>(q.id.value()))
        .bind(2, a.source.value_or(""))
        .bind(3, a.type)
        .bind(4, a.format);
    st->bind(5, a.mark.value_or("")).bind(6, a.data).bind(7, std::int64_t{policy::to_int(p.result)});
    st->bind(8, p.policy_id).bind(9, p.version).bind(10, p.detail).bind(11, q.alert.correlator);
    st->bind(12, q.to.value());
    return st->run();
}

base::Result<void> SqliteAlertStore::erase(policy::AlertId id) {
    auto st = db_.prepare("DELETE FROM policy_alerts WHERE id = ?1");
    if (!st) return st.error();
    st->bind(1, static_cast<std::int64_t>(id.value()));
    return st->run();
}

base::Result<std::vector<policy::QueuedAlert>> SqliteAlertStore::load() {
    auto st = db_.prepare("SELECT id, source, type, format, mark, data, result, policy_id, version, detail, "
                          "correlator, server_id"
                          " FROM policy_alerts ORDER BY id");
    if (!st) return st.error();
    std::vector<policy::QueuedAlert> out;
    while (true) {
        auto row = st->step();
        if (!row) return row.error();
        if (!*row) break;
        policy::QueuedAlert q;
        q.id = policy::AlertId{static_cast<std::uint64_t>(st->column_int(0))};
        syncml::GenericAlertItem a;
        a.source = st->column_text(1);
        a.type = st->column_text(2);
        a.format = st->column_text(3);
        if (auto mark = st->column_text(4); !mark.empty()) a.mark = std::move(mark);
        a.data = st->column_text(5);
        q.alert.items.push_back(std::move(a));
        q.payload.result = static_cast<policy::ResultCode>(st->column_int(6));
        q.payload.policy_id = st->column_text(7);
        q.payload.version = st->column_text(8);
        q.payload.detail = st->column_text(9);
        q.alert.correlator = st->column_optional_text(10);
        q.to = base::ServerId{st->column_text(11)};
        out.push_back(std::move(q));
    }
    return out;
}

} // namespace omadm::client
