#include "omadm/shell/sqlite.hpp"
#include "omadm/testing/temp_dir.hpp"

#include <gtest/gtest.h>

namespace omadm::shell::sqlite {
namespace {

std::filesystem::path fresh_db(std::string_view name) {
    const auto p = omadm::testing::test_temp_dir() / name;
    std::filesystem::remove(p);
    std::filesystem::remove(p.string() + "-wal");
    std::filesystem::remove(p.string() + "-shm");
    return p;
}

TEST(SqliteDatabase, OpensInWalMode) {
    auto db = Database::open(fresh_db("wal.db"));
    ASSERT_TRUE(db.has_value());
    EXPECT_EQ(db->journal_mode(), "wal");
}

TEST(SqliteStatement, RoundTripsTextIntegersAndNull) {
    auto db = Database::open(fresh_db("roundtrip.db"));
    ASSERT_TRUE(db.has_value());
    ASSERT_TRUE(db->exec("CREATE TABLE t(a TEXT, b INTEGER, c TEXT)").has_value());
    auto ins = db->prepare("INSERT INTO t VALUES(?1, ?2, ?3)");
    ASSERT_TRUE(ins.has_value());
    ASSERT_TRUE(
        ins->bind(1, std::string_view("x\0y", 3)).bind(2, std::int64_t{-5}).bind(3, std::nullopt).run());
    auto sel = db->prepare("SELECT a, b, c FROM t");
    ASSERT_TRUE(sel.has_value());
    ASSERT_EQ(sel->step().value(), true);
    EXPECT_EQ(sel->column_text(0), std::string("x\0y", 3));
    EXPECT_EQ(sel->column_int(1), -5);
    EXPECT_FALSE(sel->column_optional_text(2).has_value());
    EXPECT_EQ(sel->step().value(), false);
}

TEST(SqliteTransaction, RollsBackUnlessCommitted) {
    auto db = Database::open(fresh_db("tx.db"));
    ASSERT_TRUE(db.has_value());
    ASSERT_TRUE(db->exec("CREATE TABLE t(a INTEGER)").has_value());
    {
        auto tx = Transaction::begin(*db);
        ASSERT_TRUE(tx.has_value());
        ASSERT_TRUE(db->exec("INSERT INTO t VALUES(1)").has_value());
    }
    {
        auto tx = Transaction::begin(*db);
        ASSERT_TRUE(tx.has_value());
        ASSERT_TRUE(db->exec("INSERT INTO t VALUES(2)").has_value());
        ASSERT_TRUE(tx->commit().has_value());
    }
    auto sel = db->prepare("SELECT group_concat(a) FROM t");
    ASSERT_TRUE(sel.has_value());
    ASSERT_TRUE(sel->step().value());
    EXPECT_EQ(sel->column_text(0), "2");
}

std::string column_a(Database& db) {
    auto sel = db.prepare("SELECT coalesce(group_concat(a), '') FROM t");
    if (!sel) return "<error>";
    const auto row = sel->step();
    if (!row || !*row) return "<error>";
    return sel->column_text(0);
}

TEST(SqliteTransaction, NestsInsideAnOpenTransactionAndCommitsWithIt) {
    const auto path = fresh_db("nested.db");
    auto db = Database::open(path);
    auto reader = Database::open(path);
    ASSERT_TRUE(db.has_value());
    ASSERT_TRUE(reader.has_value());
    ASSERT_TRUE(db->exec("CREATE TABLE t(a INTEGER)").has_value());
    {
        auto outer = Transaction::begin(*db);
        ASSERT_TRUE(outer.has_value());
        {
            auto inner = Transaction::begin(*db);
            ASSERT_TRUE(inner.has_value()) << inner.error().detail;
            ASSERT_TRUE(db->exec("INSERT INTO t VALUES(1)").has_value());
        } // rolled back: only the inner part goes
        {
            auto inner = Transaction::begin(*db);
            ASSERT_TRUE(inner.has_value());
            ASSERT_TRUE(db->exec("INSERT INTO t VALUES(2)").has_value());
            ASSERT_TRUE(inner->commit().has_value());
        }
        EXPECT_TRUE(db->in_transaction());
        EXPECT_EQ(column_a(*reader), ""); // nothing is visible before the outer commit
        ASSERT_TRUE(outer->commit().has_value());
    }
    EXPECT_FALSE(db->in_transaction());
    EXPECT_EQ(column_a(*reader), "2");
}

TEST(SqliteDatabase, ReportsEveryRowWrittenUntilStopped) {
    auto db = Database::open(fresh_db("rows.db"));
    ASSERT_TRUE(db.has_value());
    ASSERT_TRUE(db->exec("CREATE TABLE t(a INTEGER)").has_value());
    int rows = 0;
    db->on_row_written([&] { ++rows; });
    Database moved = std::move(*db); // the observer follows the connection
    ASSERT_TRUE(
        moved.exec("INSERT INTO t VALUES(1); INSERT INTO t VALUES(2); UPDATE t SET a = 3").has_value());
    EXPECT_EQ(rows, 4);
    moved.on_row_written({});
    ASSERT_TRUE(moved.exec("DELETE FROM t").has_value());
    EXPECT_EQ(rows, 4);
}

TEST(SqliteDatabase, PersistsAcrossReopen) {
    const auto path = fresh_db("reopen.db");
    {
        auto db = Database::open(path);
        ASSERT_TRUE(db.has_value());
        ASSERT_TRUE(db->exec("CREATE TABLE t(a TEXT); INSERT INTO t VALUES('kept')").has_value());
    }
    auto db = Database::open(path);
    ASSERT_TRUE(db.has_value());
    auto sel = db->prepare("SELECT a FROM t");
    ASSERT_TRUE(sel.has_value());
    ASSERT_TRUE(sel->step().value());
    EXPECT_EQ(sel->column_text(0), "kept");
}

TEST(SqliteStatement, ReportsErrorsWithTheStatement) {
    auto db = Database::open(fresh_db("err.db"));
    ASSERT_TRUE(db.has_value());
    auto bad = db->prepare("SELEKT 1");
    ASSERT_FALSE(bad.has_value());
    EXPECT_NE(bad.error().detail.find("SELEKT"), std::string::npos);
}

} // namespace
} // namespace omadm::shell::sqlite
