// ServerStore: sessions, transcripts and alerts.
#include "server_store.hpp"

namespace omadm::server {

using shell::sqlite::Statement;

namespace {

SessionRecord session_from_row(const Statement& st) {
    return SessionRecord{st.column_int(0),  st.column_text(1), st.column_text(2),          st.column_text(3),
                         st.column_text(4), st.column_int(5),  st.column_optional_text(6), st.column_text(7)};
}

constexpr std::string_view kSessionColumns =
    "SELECT id, device, session_id, state, auth, messages, end_reason, ver_proto FROM sessions";

} // namespace

base::Result<std::int64_t> ServerStore::open_session(std::string_view device, std::string_view session_id) {
    const std::lock_guard lock(mutex_);
    if (auto r = ensure_device(device); !r) return r.error();
    auto st = db_.prepare("INSERT INTO sessions(device, session_id, state, auth, messages) VALUES(?1, ?2, "
                          "'active', 'none', 0)");
    if (!st) return st.error();
    if (auto r = st->bind(1, device).bind(2, session_id).run(); !r) return r.error();
    return db_.last_insert_rowid();
}

base::Result<void> ServerStore::update_session(const SessionRecord& s) {
    const std::lock_guard lock(mutex_);
    auto st = db_.prepare("UPDATE sessions SET state = ?2, auth = ?3, messages = ?4, end_reason = ?5, "
                          "ver_proto = ?6 WHERE id = ?1");
    if (!st) return st.error();
    return st->bind(1, s.id)
        .bind(2, s.state)
        .bind(3, s.auth)
        .bind(4, s.messages)
        .bind(5, s.end_reason)
        .bind(6, s.ver_proto)
        .run();
}

base::Result<std::optional<SessionRecord>> ServerStore::session(std::int64_t id) {
    const std::lock_guard lock(mutex_);
    auto st = db_.prepare(std::string(kSessionColumns) + " WHERE id = ?1");
    if (!st) return st.error();
    st->bind(1, id);
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) return std::optional<SessionRecord>{};
    return std::optional<SessionRecord>{session_from_row(*st)};
}

base::Result<std::vector<SessionRecord>> ServerStore::sessions(std::string_view device) {
    const std::lock_guard lock(mutex_);
    auto st = device_statement(std::string(kSessionColumns) + " WHERE device = ?1 ORDER BY id", device);
    if (!st) return st.error();
    std::vector<SessionRecord> out;
    for (auto r = st->step(); r && *r; r = st->step())
        out.push_back(session_from_row(*st));
    return out;
}

base::Result<void> ServerStore::append_transcript(std::int64_t session_id, const TranscriptEntry& e) {
    const std::lock_guard lock(mutex_);
    auto st = db_.prepare("INSERT INTO transcripts(session, n, dir, msg_id, xml, masked) VALUES(?1, "
                          "(SELECT count(*) FROM transcripts WHERE session = ?1), ?2, ?3, ?4, ?5)");
    if (!st) return st.error();
    return st->bind(1, session_id).bind(2, e.dir).bind(3, e.msg_id).bind(4, e.xml).bind(5, e.masked).run();
}

base::Result<std::vector<TranscriptEntry>> ServerStore::transcript(std::int64_t session_id) {
    const std::lock_guard lock(mutex_);
    auto st = db_.prepare("SELECT dir, msg_id, xml, masked FROM transcripts WHERE session = ?1 ORDER BY n");
    if (!st) return st.error();
    st->bind(1, session_id);
    std::vector<TranscriptEntry> out;
    for (auto r = st->step(); r && *r; r = st->step()) {
        out.push_back(
            {st->column_text(0), st->column_int(1), st->column_text(2), st->column_optional_text(3)});
    }
    return out;
}

base::Result<void> ServerStore::add_alert(std::string_view device, const AlertRecord& a) {
    const std::lock_guard lock(mutex_);
    if (auto r = ensure_device(device); !r) return r;
    auto st =
        db_.prepare("INSERT INTO alerts(device, session, code, correlator, source, type, format, mark, data)"
                    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
    if (!st) return st.error();
    st->bind(1, device).bind(2, a.session).bind(3, a.code).bind(4, a.correlator).bind(5, a.source);
    st->bind(6, a.type).bind(7, a.format).bind(8, a.mark).bind(9, a.data);
    return st->run();
}

base::Result<std::vector<AlertRecord>> ServerStore::alerts(std::string_view device) {
    const std::lock_guard lock(mutex_);
    auto st =
        device_statement("SELECT session, code, correlator, source, type, format, mark, data FROM alerts "
                         "WHERE device = ?1 ORDER BY id",
                         device);
    if (!st) return st.error();
    std::vector<AlertRecord> out;
    for (auto r = st->step(); r && *r; r = st->step()) {
        out.push_back({st->column_text(0), st->column_int(1), st->column_optional_text(2),
                       st->column_optional_text(3), st->column_optional_text(4), st->column_optional_text(5),
                       st->column_optional_text(6), st->column_optional_text(7)});
    }
    return out;
}

} // namespace omadm::server
