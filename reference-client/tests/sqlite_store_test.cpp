#include "omadm/shell/process.hpp"
#include "omadm/testing/covers.hpp"
#include "omadm/tree/tree.hpp"
#include "sqlite_alert_store.hpp"
#include "sqlite_tree_store.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

namespace omadm::client {
namespace {

using base::StatusCode;

tree::NodeUri uri(std::string_view text) {
    return *tree::NodeUri::parse(text);
}

TEST(SqliteTreeStore, RoundTripsEveryProperty) {
    auto dir = shell::TempDir::create("omadm-client-store-");
    ASSERT_TRUE(dir);
    tree::TreeSnapshot before;
    {
        auto db = shell::sqlite::Database::open(dir->path() / "t.db");
        ASSERT_TRUE(db);
        auto store = SqliteTreeStore::open(*db);
        ASSERT_TRUE(store);
        tree::Tree t;
        t.attach_store(**store);
        const auto boot = tree::Principal::bootstrap();
        ASSERT_EQ(t.add(boot, uri("./A"), tree::NodeContent{tree::Format::Node, "urn:x", {}},
                        base::TimePoint{base::Duration{5}}),
                  StatusCode::Ok);
        ASSERT_EQ(t.add(boot, uri("./A/B"), tree::NodeContent{tree::Format::Int, "text/plain", "42"}, {}),
                  StatusCode::Ok);
        ASSERT_EQ(t.replace(boot, *tree::TargetUri::parse("./A?prop=ACL"),
                            tree::NodeContent{{}, {}, "Get=srv"}, {}),
                  StatusCode::Ok);
        ASSERT_EQ(t.replace(boot, *tree::TargetUri::parse("./A/B?prop=Title"),
                            tree::NodeContent{{}, {}, "the answer"}, {}),
                  StatusCode::Ok);
        ASSERT_EQ(t.remove(boot, uri("./A/B"), {}), StatusCode::Ok);
        ASSERT_EQ(t.add(boot, uri("./A/C"), tree::NodeContent{{}, {}, "c"}, {}), StatusCode::Ok);
        before = t.snapshot();
    }
    auto db = shell::sqlite::Database::open(dir->path() / "t.db");
    ASSERT_TRUE(db);
    auto store = SqliteTreeStore::open(*db);
    auto loaded = (*store)->load();
    ASSERT_TRUE(loaded);
    tree::Tree again;
    ASSERT_TRUE(again.restore(*loaded));
    EXPECT_EQ(again.snapshot().nodes, before.nodes);
}

TEST(SqliteAlertStore, KeepsAlertsUntilErased) {
    omadm::testing::covers(req::MgmtPolicyMO_Device_01);
    auto dir = shell::TempDir::create("omadm-client-alerts-");
    ASSERT_TRUE(dir);
    auto db = shell::sqlite::Database::open(dir->path() / "a.db");
    ASSERT_TRUE(db);
    auto store = SqliteAlertStore::open(*db);
    ASSERT_TRUE(store);
    policy::Outbox outbox(**store);
    policy::AlertPayload payload{policy::ResultCode::ActionFailed, "p1", "2", "detail"};
    auto a = policy::make_alert("urn:oma:at:mgmtpolicy:1.0:", policy::AlertEvent::ActionResult,
                                "./MgmtPolicy/p1", payload, std::string("c-1"));
    auto id = outbox.enqueue(a, payload, base::ServerId{"srv1"});
    ASSERT_TRUE(id);
    ASSERT_TRUE(outbox.enqueue(a, payload, base::ServerId{"srv2"}));
    ASSERT_TRUE(outbox.ack(*id));
    policy::Outbox reopened(**store);
    ASSERT_TRUE(reopened.restore());
    ASSERT_EQ(reopened.pending().size(), 1U);
    EXPECT_EQ(reopened.pending()[0].alert, a);
    EXPECT_EQ(reopened.pending()[0].payload, payload);
    EXPECT_EQ(reopened.pending()[0].to, base::ServerId{"srv2"});
}

TEST(SqliteAlertStore, AlertsOfAnEarlierStateDirectoryGoToNoNamedServer) {
    omadm::testing::covers(req::MgmtPolicyMO_Device_01);
    auto dir = shell::TempDir::create("omadm-client-alerts-");
    ASSERT_TRUE(dir);
    auto db = shell::sqlite::Database::open(dir->path() / "a.db");
    ASSERT_TRUE(db);
    // The table as it was before alerts named their server.
    ASSERT_TRUE(
        db->exec("CREATE TABLE policy_alerts (id INTEGER PRIMARY KEY, source TEXT NOT NULL, type TEXT NOT "
                 "NULL, format TEXT NOT NULL, mark TEXT NOT NULL, data TEXT NOT NULL, result INTEGER NOT "
                 "NULL, policy_id TEXT NOT NULL, version TEXT NOT NULL, detail TEXT NOT NULL, correlator "
                 "TEXT)"));
    ASSERT_TRUE(db->exec("INSERT INTO policy_alerts VALUES (4, './MgmtPolicy/p1', 't', 'xml', '', 'd', 1200, "
                         "'p1', '1', '', NULL)"));
    auto store = SqliteAlertStore::open(*db);
    ASSERT_TRUE(store);
    policy::Outbox outbox(**store);
    ASSERT_TRUE(outbox.restore());
    ASSERT_EQ(outbox.pending().size(), 1U);
    EXPECT_EQ(outbox.pending()[0].id, policy::AlertId{4});
    EXPECT_TRUE(outbox.pending()[0].to.value().empty());
}

/// The child commits, one after the other, an Atomic adding ./S/x<i> and ./S/y<i>, and reports
/// each commit through the pipe; it never returns.
[[noreturn]] void writer_child(const std::filesystem::path& db_path, int report_fd) {
    auto db = shell::sqlite::Database::open(db_path);
    if (!db) _exit(10);
    auto store = SqliteTreeStore::open(*db);
    if (!store) _exit(11);
    tree::Tree t;
    t.attach_store(**store);
    const auto boot = tree::Principal::bootstrap();
    if (t.add(boot, uri("./S"), tree::NodeContent{tree::Format::Node, {}, {}}, {}) != StatusCode::Ok)
        _exit(12);
    for (std::uint32_t i = 0;; ++i) {
        t.begin();
        (void)t.add(boot, uri("./S/x" + std::to_string(i)), tree::NodeContent{{}, {}, std::to_string(i)}, {});
        (void)t.add(boot, uri("./S/y" + std::to_string(i)), tree::NodeContent{{}, {}, std::to_string(i)}, {});
        if (t.commit() != StatusCode::Ok) _exit(13);
        if (write(report_fd, &i, sizeof i) != static_cast<ssize_t>(sizeof i)) _exit(14);
    }
}

TEST(SqliteTreeStore, SurvivesSigkillAtAnyMoment) {
    auto dir = shell::TempDir::create("omadm-client-crash-");
    ASSERT_TRUE(dir);
    for (const std::uint32_t kill_after : {0U, 1U, 7U, 30U}) {
        const auto path = dir->path() / ("crash" + std::to_string(kill_after) + ".db");
        int fds[2];
        ASSERT_EQ(pipe(fds), 0);
        const pid_t pid = fork();
        ASSERT_GE(pid, 0);
        if (pid == 0) {
            close(fds[0]);
            writer_child(path, fds[1]);
        }
        close(fds[1]);
        std::uint32_t last = 0;
        for (std::uint32_t seen = 0; seen <= kill_after; ++seen) {
            ASSERT_EQ(read(fds[0], &last, sizeof last), static_cast<ssize_t>(sizeof last));
        }
        kill(pid, SIGKILL);
        int status = 0;
        waitpid(pid, &status, 0);
        close(fds[0]);

        auto db = shell::sqlite::Database::open(path);
        ASSERT_TRUE(db);
        auto store = SqliteTreeStore::open(*db);
        auto loaded = (*store)->load();
        ASSERT_TRUE(loaded);
        tree::Tree t;
        ASSERT_TRUE(t.restore(*loaded));
        const auto names = t.children(uri("./S"));
        // Committed Atomics only, whole, in order: x0,y0 .. xn,yn with n >= the last one reported.
        ASSERT_EQ(names.size() % 2, 0U);
        const std::size_t n = names.size() / 2;
        EXPECT_GE(n, std::size_t{last} + 1);
        for (std::size_t i = 0; i < n; ++i) {
            EXPECT_TRUE(t.exists(uri("./S/x" + std::to_string(i)))) << i;
            EXPECT_TRUE(t.exists(uri("./S/y" + std::to_string(i)))) << i;
        }
    }
}

} // namespace
} // namespace omadm::client
