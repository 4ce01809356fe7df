#include "sqlite_tree_store.hpp"

#include "omadm/tree/errc.hpp"

#include <algorithm>
#include <memory>

namespace omadm::client {
namespace {

constexpr std::string_view kTreeSchema =
    "CREATE TABLE IF NOT EXISTS tree_nodes ("
    " path TEXT PRIMARY KEY, depth INTEGER NOT NULL, format TEXT NOT NULL, type TEXT NOT NULL,"
    " value BLOB NOT NULL, acl TEXT NOT NULL, title TEXT NOT NULL, tstamp INTEGER,"
    " ver_no INTEGER NOT NULL, scope INTEGER NOT NULL)";

std::int64_t depth_of(const std::string& path) {
    return path == "." ? 0 : std::count(path.begin(), path.end(), '/') + 1;
}

base::Error store_error(const base::Error& e) {
    return tree::make_error(tree::Errc::StoreFailure, e.detail);
}

base::Result<tree::Node> node_from_row(const shell::sqlite::Statement& st) {
    tree::Node n;
    auto fmt = tree::parse_format(st.column_text(2));
    if (!fmt) return tree::make_error(tree::Errc::StoreFailure, "bad format in row " + st.column_text(0));
    n.format = *fmt;
    n.type = st.column_text(3);
    n.value = st.column_text(4);
    auto acl = tree::Acl::parse(st.column_text(5));
    if (!acl) return tree::make_error(tree::Errc::StoreFailure, "bad ACL in row " + st.column_text(0));
    n.acl = std::move(*acl);
    n.title = st.column_text(6);
    if (!st.column_is_null(7)) n.tstamp = base::TimePoint{base::Duration{st.column_int(7)}};
    n.ver_no = static_cast<std::uint16_t>(st.column_int(8));
    n.scope = st.column_int(9) == 0 ? tree::Scope::Dynamic : tree::Scope::Permanent;
    return n;
}

} // namespace

base::Result<std::unique_ptr<SqliteTreeStore>> SqliteTreeStore::open(shell::sqlite::Database& db) {
    if (auto r = db.exec(kTreeSchema); !r) return store_error(r.error());
    return std::unique_ptr<SqliteTreeStore>(new SqliteTreeStore(db));
}

base::Result<tree::TreeSnapshot> SqliteTreeStore::load() {
    auto st = db_.prepare(
        "SELECT path, depth, format, type, value, acl, title, tstamp, ver_no, scope FROM tree_nodes"
        " ORDER BY depth, path");
    if (!st) return store_error(st.error());
    tree::TreeSnapshot snap;
    while (true) {
        auto row = st->step();
        if (!row) return store_error(row.error());
        if (!*row) break;
        auto node = node_from_row(*st);
        if (!node) return node.error();
        snap.nodes.push_back({st->column_text(0), std::move(*node)});
    }
    return snap;
}

base::Result<void> SqliteTreeStore::persist(const tree::ChangeSet& changes) {
    auto txn = shell::sqlite::Transaction::begin(db_);
    if (!txn) return store_error(txn.error());
    auto del = db_.prepare("DELETE FROM tree_nodes WHERE path = ?1");
    if (!del) return store_error(del.error());
    for (const auto& path : changes.deletes) {
        del->reset();
        if (auto r = del->bind(1, path).run(); !r) return store_error(r.error());
    }
    auto up = db_.prepare("INSERT OR REPLACE INTO tree_nodes (path, depth, format, type, value, acl, title, "
                          "tstamp, ver_no, scope)"
                          " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
    if (!up) return store_error(up.error());
    for (const auto& rec : changes.upserts) {
        const auto& n = rec.node;
        up->reset();
        up->bind(1, rec.path)
            .bind(2, depth_of(rec.path))
            .bind(3, tree::format_name(n.format))
            .bind(4, n.type);
        up->bind(5, n.value).bind(6, n.acl.format()).bind(7, n.title);
        if (n.tstamp) {
            up->bind(8, std::int64_t{n.tstamp->time_since_epoch().count()});
        } else {
            up->bind(8, std::nullopt);
        }
        up->bind(9, static_cast<std::int64_t>(n.ver_no))
            .bind(10, std::int64_t{n.scope == tree::Scope::Permanent ? 1 : 0});
        if (auto r = up->run(); !r) return store_error(r.error());
    }
    if (auto r = txn->commit(); !r) return store_error(r.error());
    return {};
}

} // namespace omadm::client
