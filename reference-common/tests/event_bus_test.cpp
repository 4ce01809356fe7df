#include "omadm/base/requirements.hpp"
#include "omadm/shell/event_bus.hpp"
#include "omadm/testing/temp_dir.hpp"
#include "test_support.hpp"

#include <boost/asio/post.hpp>
#include <boost/json/parse.hpp>
#include <fstream>
#include <gtest/gtest.h>

namespace omadm::shell {
namespace {

using namespace std::chrono_literals;
using SteadyClock = std::chrono::steady_clock;

base::TimePoint t0() {
    return base::TimePoint{std::chrono::milliseconds{1'767'225'600'000}};
} // 2026-01-01

TEST(EventBus, AssignsMonotonicSeqAndClockTimestamps) {
    boost::asio::io_context ioc;
    base::ManualClock clock(t0());
    EventBus bus(ioc.get_executor(), clock, nullptr);
    EXPECT_EQ(bus.publish("a", ""), 1U);
    clock.advance(5ms);
    EXPECT_EQ(bus.publish("b", "1A2B", {{"x", 1}}), 2U);
    const auto all = bus.events_after(0, "");
    ASSERT_EQ(all.size(), 2U);
    EXPECT_EQ(all[1].ts, t0() + 5ms);
    EXPECT_EQ(all[1].session, "1A2B");
    EXPECT_EQ(bus.last_seq(), 2U);
}

TEST(EventBus, FiltersByAfterAndKind) {
    boost::asio::io_context ioc;
    base::ManualClock clock(t0());
    EventBus bus(ioc.get_executor(), clock, nullptr);
    bus.publish("a", "");
    bus.publish("b", "");
    bus.publish("a", "");
    const auto as = bus.events_after(1, "a");
    ASSERT_EQ(as.size(), 1U);
    EXPECT_EQ(as[0].seq, 3U);
}

TEST(EventBus, KeepsOnlyTheNewestEventsInMemory) {
    boost::asio::io_context ioc;
    base::ManualClock clock(t0());
    EventBus bus(ioc.get_executor(), clock, nullptr, 3);
    EXPECT_EQ(bus.oldest_seq(), 1U);
    for (int i = 0; i < 10; ++i)
        bus.publish(i % 2 == 0 ? "even" : "odd", "");

    EXPECT_EQ(bus.oldest_seq(), 8U);
    EXPECT_EQ(bus.last_seq(), 10U);
    const auto all = bus.events_after(0, "");
    ASSERT_EQ(all.size(), 3U);
    EXPECT_EQ(all.front().seq, 8U);
    const auto after8 = bus.events_after(8, "");
    ASSERT_EQ(after8.size(), 2U);
    EXPECT_EQ(after8.front().seq, 9U);
    const auto even = bus.events_after(0, "even"); // seqs 1, 3, ... 9: only 9 is left
    ASSERT_EQ(even.size(), 1U);
    EXPECT_EQ(even.front().seq, 9U);
    EXPECT_TRUE(bus.events_after(10, "").empty());
    EXPECT_TRUE(bus.events_after(99, "").empty());
}

TEST(EventToJson, HasCommonFieldsFirstAndRfc3339Ts) {
    const Event e{7, t0() + 12ms, "S1", "k", {{"label", req::MgmtPolicyMO_HLF_1.id}, {"seq", 99}}};
    const auto o = event_to_json(e);
    EXPECT_EQ(o.at("seq").as_uint64(), 7U); // a field cannot override the common ones
    EXPECT_EQ(o.at("ts").as_string(), "2026-01-01T00:00:00.012Z");
    EXPECT_EQ(o.at("label").as_string(), req::MgmtPolicyMO_HLF_1.id);
}

TEST(EventBus, WaitAnswersAtOnceWhenAnEventExists) {
    boost::asio::io_context ioc;
    base::ManualClock clock(t0());
    EventBus bus(ioc.get_executor(), clock, nullptr);
    bus.publish("a", "");
    auto fut = boost::asio::co_spawn(ioc, bus.wait(0, "", SteadyClock::now() + 30s), boost::asio::use_future);
    ioc.run();
    EXPECT_EQ(fut.get().size(), 1U);
}

TEST(EventBus, WaitAnswersEmptyAtTheDeadline) {
    boost::asio::io_context ioc;
    base::ManualClock clock(t0());
    EventBus bus(ioc.get_executor(), clock, nullptr);
    auto fut =
        boost::asio::co_spawn(ioc, bus.wait(0, "", SteadyClock::now() + 20ms), boost::asio::use_future);
    ioc.run();
    EXPECT_TRUE(fut.get().empty());
}

/// A bus whose io_context runs on its own thread, and a waiter started on it.
class ThreadedEventBus : public ::testing::Test {
protected:
    std::future<std::vector<Event>> start_wait(std::string kind) {
        return boost::asio::co_spawn(io_.ioc(), bus_.wait(0, std::move(kind), deadline_),
                                     boost::asio::use_future);
    }

    testing::IoThread io_;
    base::ManualClock clock_{t0()};
    EventBus bus_{io_.ioc().get_executor(), clock_, nullptr};
    const SteadyClock::time_point deadline_ = SteadyClock::now() + 20s;
};

TEST_F(ThreadedEventBus, WaitWakesOnPublishFromAnotherThread) {
    auto fut = start_wait("wanted");
    bus_.publish("other", "");
    bus_.publish("wanted", "");
    ASSERT_EQ(fut.wait_until(deadline_ - 10s), std::future_status::ready); // long before the deadline
    const auto got = fut.get();
    ASSERT_EQ(got.size(), 1U);
    EXPECT_EQ(got[0].kind, "wanted");
}

TEST_F(ThreadedEventBus, CloseWakesWaiters) {
    auto fut = start_wait("");
    bus_.close();
    ASSERT_EQ(fut.wait_until(deadline_ - 10s), std::future_status::ready);
    EXPECT_TRUE(fut.get().empty());
}

TEST(EventBus, AppendsToTheEventLog) {
    const auto path = omadm::testing::test_temp_dir() / "bus_events.jsonl";
    boost::asio::io_context ioc;
    base::ManualClock clock(t0());
    auto writer = open_event_log(path, "test", clock.now());
    ASSERT_TRUE(writer.has_value());
    {
        EventBus bus(ioc.get_executor(), clock, std::move(*writer));
        bus.publish("requirement_exercised", "", {{"label", req::MgmtPolicyMO_HLF_1.id}});
    }
    std::ifstream in(path);
    std::string first;
    std::string second;
    std::getline(in, first);
    std::getline(in, second);
    EXPECT_EQ(boost::json::parse(first).as_object().at("schema").as_int64(), kEventSchemaVersion);
    const auto ev = boost::json::parse(second).as_object();
    EXPECT_EQ(ev.at("kind").as_string(), "requirement_exercised");
    EXPECT_EQ(ev.at("label").as_string(), req::MgmtPolicyMO_HLF_1.id);
}

} // namespace
} // namespace omadm::shell
