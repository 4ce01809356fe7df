#include "server_store.hpp"
#include "server_test_support.hpp"

#include <gtest/gtest.h>

namespace omadm::server {
namespace {

using testing::fresh_dir;

TEST(BatchState, NamesRoundTrip) {
    for (const auto state :
         {BatchState::Queued, BatchState::Sent, BatchState::Done, BatchState::Failed, BatchState::Cancelled})
        EXPECT_EQ(parse_batch_state(to_string(state)), state) << to_string(state);
    EXPECT_STREQ(to_string(BatchState::Sent), "sent");
    EXPECT_EQ(parse_batch_state("lost"), std::nullopt);
}

TEST(ServerStore, RoundTripsAnAccount) {
    auto store = ServerStore::open(fresh_dir("store-account"));
    ASSERT_TRUE(store.has_value()) << store.error().detail;
    const Account a{"dev-user", "pw", "md5", "srvpw", "AAAAAA==", "Y2xp", "Y2hhbA=="};
    ASSERT_TRUE((*store)->put_account("dev1", a).has_value());
    const auto got = (*store)->account("dev1");
    ASSERT_TRUE(got.has_value());
    EXPECT_EQ(*got, a);
    EXPECT_FALSE((*store)->account("other").value().has_value());
}

TEST(ServerStore, QueuesBatchesWithStatusesAndResults) {
    auto store = ServerStore::open(fresh_dir("store-batch"));
    ASSERT_TRUE(store.has_value());
    auto id = (*store)->queue_batch(
        "dev1", {R"({"cmd":"Get","target":"./A"})", R"({"cmd":"Delete","target":"./B"})"});
    ASSERT_TRUE(id.has_value());
    ASSERT_TRUE((*store)->add_status(*id, {"Get", "./A", 200, {}, {}}).has_value());
    ASSERT_TRUE((*store)->add_status(*id, {"Delete", "./B", 404, {}, {}}).has_value());
    ASSERT_TRUE((*store)->add_result(*id, {"./A", "chr", "v"}).has_value());
    ASSERT_TRUE((*store)->set_batch_state(*id, BatchState::Done).has_value());
    const auto b = (*store)->batch("dev1", *id);
    ASSERT_TRUE(b.has_value() && b->has_value());
    EXPECT_EQ((*b)->state, BatchState::Done);
    EXPECT_EQ((*b)->commands_json.size(), 2U);
    EXPECT_EQ((*b)->statuses,
              (std::vector<CommandStatus>{{"Get", "./A", 200, {}, {}}, {"Delete", "./B", 404, {}, {}}}));
    EXPECT_EQ((*b)->results, (std::vector<CommandResult>{{"./A", "chr", "v"}}));
}

TEST(ServerStore, ListsOnlyTheDevicesQueuedBatchesOldestFirst) {
    auto store = ServerStore::open(fresh_dir("store-queued"));
    ASSERT_TRUE(store.has_value());
    const auto a = (*store)->queue_batch("dev1", {"{}"}).value();
    const auto b = (*store)->queue_batch("dev1", {"{}"}).value();
    (void)(*store)->queue_batch("dev2", {"{}"}).value();
    ASSERT_TRUE((*store)->set_batch_state(a, BatchState::Sent).has_value());
    const auto queued = (*store)->batches_in_state("dev1", BatchState::Queued).value();
    ASSERT_EQ(queued.size(), 1U);
    EXPECT_EQ(queued[0].id, b);
    EXPECT_FALSE((*store)->batch("dev2", a).value().has_value()); // batch ids are per device
}

TEST(ServerStore, RecordsSessionsTranscriptsAndAlerts) {
    auto store = ServerStore::open(fresh_dir("store-sessions"));
    ASSERT_TRUE(store.has_value());
    const auto sid = (*store)->open_session("dev1", "1A2B").value();
    SessionRecord rec{sid, "dev1", "1A2B", "ended", "md5", 4, std::string("completed"), "DM/1.3"};
    ASSERT_TRUE((*store)->update_session(rec).has_value());
    ASSERT_TRUE((*store)->append_transcript(sid, {"in", 1, "<SyncML/>", std::nullopt}).has_value());
    ASSERT_TRUE((*store)->append_transcript(sid, {"out", 1, "<SyncML>2</SyncML>", "<masked/>"}).has_value());
    const AlertRecord alert{
        "1A2B", 1226,         "c-1", "./MgmtPolicy/p1", "urn:oma:at:mgmtpolicy:1.0:Activated",
        "int",  std::nullopt, "1200"};
    ASSERT_TRUE((*store)->add_alert("dev1", alert).has_value());
    EXPECT_EQ((*store)->sessions("dev1").value(), std::vector<SessionRecord>{rec});
    const auto t = (*store)->transcript(sid).value();
    ASSERT_EQ(t.size(), 2U);
    EXPECT_EQ(t[1].masked, "<masked/>");
    EXPECT_EQ((*store)->alerts("dev1").value(), std::vector<AlertRecord>{alert});
}

TEST(ServerStore, SurvivesARestart) {
    const auto dir = fresh_dir("store-restart");
    std::int64_t id = 0;
    {
        auto store = ServerStore::open(dir);
        ASSERT_TRUE(store.has_value());
        ASSERT_TRUE((*store)->put_account("dev1", Account{"u", "p", "basic", "s", "", "", ""}).has_value());
        id = (*store)->queue_batch("dev1", {R"({"cmd":"Get","target":"./A"})"}).value();
    }
    auto store = ServerStore::open(dir);
    ASSERT_TRUE(store.has_value());
    EXPECT_TRUE((*store)->account("dev1").value().has_value());
    const auto b = (*store)->batch("dev1", id).value();
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(b->state, BatchState::Queued);
}

TEST(ServerStore, RecoveryEndsLeftoverSessionsAndSettlesTheirBatches) {
    const auto dir = fresh_dir("store-recover");
    std::int64_t unanswered = 0;
    std::int64_t half = 0;
    std::int64_t queued = 0;
    std::int64_t session = 0;
    {
        auto store = ServerStore::open(dir).value();
        session = store->open_session("dev1", "7").value();
        unanswered = store->queue_batch("dev1", {"{}"}).value();
        half = store->queue_batch("dev1", {"{}", "{}"}).value();
        queued = store->queue_batch("dev1", {"{}"}).value();
        ASSERT_TRUE(store->set_batch_state(unanswered, BatchState::Sent).has_value());
        ASSERT_TRUE(store->set_batch_state(half, BatchState::Sent).has_value());
        ASSERT_TRUE(store->add_status(half, {"Get", "./A", 200, 0, {}}).has_value());
    } // the process dies with the session active and two batches sent

    auto store = ServerStore::open(dir).value();
    const auto first = store->recover();
    const auto second = store->recover();

    ASSERT_TRUE(first.has_value()) << first.error().detail;
    EXPECT_EQ(*first, (ServerStore::Recovery{1, 1, 1}));
    EXPECT_EQ(second.value(), ServerStore::Recovery{}); // exactly once
    const auto s = store->session(session).value();
    ASSERT_TRUE(s.has_value());
    EXPECT_EQ(s->state, "ended");
    EXPECT_EQ(s->end_reason, "aborted");
    EXPECT_EQ(store->batch("dev1", unanswered).value()->state, BatchState::Queued);
    EXPECT_EQ(store->batch("dev1", half).value()->state, BatchState::Failed);
    EXPECT_EQ(store->batch("dev1", queued).value()->state, BatchState::Queued);
}

} // namespace
} // namespace omadm::server
