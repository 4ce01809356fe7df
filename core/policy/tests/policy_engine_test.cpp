#include "omadm/policy/policy_engine.hpp"
#include "omadm/testing/covers.hpp"
#include "policy_fixture.hpp"

#include <gtest/gtest.h>

namespace omadm::policy::testing {
namespace {

using namespace std::chrono_literals;

using PolicyEngineTest = EngineTest;

TEST_F(PolicyEngineTest, FiresWhenConditionBecomesTrue) {
    covers(req::MgmtPolicyMO_Device_03, req::MgmtPolicyMO_HLF_8, req::MgmtPolicyMO_MP_05);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, base::StatusCode::Ok);
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "40")), 0U);
    const auto s = set("./Sensor/Level", "60");
    EXPECT_EQ(count_events<PolicyFired>(s), 1U);
    EXPECT_EQ(host.data("./Out/Flag"), "on");
}

TEST_F(PolicyEngineTest, EdgeTriggeredNotAgainUntilFalseAndBack) {
    covers(req::MgmtPolicyMO_Device_03);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, base::StatusCode::Ok);
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "60")), 1U);
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "70")), 0U);
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "20")), 0U);
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "80")), 1U);
}

TEST_F(PolicyEngineTest, ActivationWithTrueConditionFiresOnce) {
    covers(req::MgmtPolicyMO_Device_03, req::MgmtPolicyMO_HLF_3);
    host.put("./Sensor/Level", "99", tree::Format::Int);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, base::StatusCode::Ok);
    const auto s = activate("p1");
    const auto* fired = first_event<PolicyFired>(s);
    ASSERT_NE(fired, nullptr);
    EXPECT_EQ(fired->cause, FireCause::Activation);
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "98")), 0U);
}

TEST_F(PolicyEngineTest, InactivePolicyDoesNotFire) {
    covers(req::MgmtPolicyMO_HLF_3, req::MgmtPolicyMO_Device_03);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, base::StatusCode::Ok);
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "60")), 0U);
    EXPECT_EQ(host.data("./Out/Flag"), "off");
}

TEST_F(PolicyEngineTest, UnrelatedChangeEvaluatesNothing) {
    covers(req::MgmtPolicyMO_Device_03);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, base::StatusCode::Ok);
    host.put("./Sensor/Level", "60", tree::Format::Int); // not reported as a change
    EXPECT_TRUE(engine.on_tree_changed(node("./Other/Node"), now).events.empty());
}

TEST_F(PolicyEngineTest, WatchOnInteriorNodeCoversChildren) {
    covers(req::MgmtPolicyMO_Device_03, req::MgmtPolicyMO_MP_01);
    auto spec = threshold_spec("p1");
    spec.conditions = {cond("any", "./Sensor", Operator::Changed)};
    spec.expression = "any";
    ASSERT_EQ(install(spec, "p1").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, base::StatusCode::Ok);
    // The interior node's value does not change; a child changing still re-evaluates, and a new
    // child appearing makes `changed` on the interior node true only when the node itself changes.
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "11")), 0U);
    EXPECT_TRUE(host.remove_internal(node("./Sensor")) == base::StatusCode::Ok);
    EXPECT_EQ(count_events<PolicyFired>(engine.on_tree_changed(node("./Sensor"), now)), 1U);
}

TEST_F(PolicyEngineTest, ChangedOperatorFiresOnEachChange) {
    covers(req::MgmtPolicyMO_MP_01, req::MgmtPolicyMO_Device_03);
    auto spec = threshold_spec("p1");
    spec.conditions = {cond("moved", "./DevDetail/Ext/SysProps/Location", Operator::Changed)};
    spec.expression = "moved";
    host.put("./DevDetail/Ext/SysProps/Location", "48.85,2.35");
    ASSERT_EQ(install(spec, "p1").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, base::StatusCode::Ok);
    EXPECT_EQ(
        count_events<PolicyFired>(set("./DevDetail/Ext/SysProps/Location", "51.5,-0.12", tree::Format::Chr)),
        1U);
    // Same value reported again: not a change, so the condition goes false (edge re-armed).
    EXPECT_EQ(
        count_events<PolicyFired>(set("./DevDetail/Ext/SysProps/Location", "51.5,-0.12", tree::Format::Chr)),
        0U);
    EXPECT_EQ(
        count_events<PolicyFired>(set("./DevDetail/Ext/SysProps/Location", "40.4,-3.7", tree::Format::Chr)),
        1U);
}

TEST_F(PolicyEngineTest, ChangedOperatorFiresOnConsecutiveChanges) {
    covers(req::MgmtPolicyMO_MP_01, req::MgmtPolicyMO_Device_03);
    const std::string location = "./DevDetail/Ext/SysProps/Location";
    auto spec = threshold_spec("p1");
    spec.conditions = {cond("moved", location, Operator::Changed),
                       cond("high", "./Sensor/Level", Operator::Gt, "50")};
    spec.expression = "moved and high";
    host.put(location, "48.85,2.35");
    host.put("./Sensor/Level", "60", tree::Format::Int);
    ASSERT_EQ(install(spec, "p1").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, base::StatusCode::Ok);

    // A change is an instant: each one is a new edge while `high` keeps holding.
    for (const char* where : {"51.5,-0.12", "40.4,-3.7", "52.52,13.4"}) {
        EXPECT_EQ(count_events<PolicyFired>(set(location, where, tree::Format::Chr)), 1U) << where;
    }
    EXPECT_EQ(host.data(uri("p1") / "Holds"), "false");                    // at rest between changes
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "70")), 0U); // no change of location
}

TEST_F(PolicyEngineTest, CompoundConditionOverSystemProperties) {
    covers(req::MgmtPolicyMO_MP_03, req::MgmtPolicyMO_IOP_01, req::MgmtPolicyMO_MP_05);
    const SystemPropertiesLayout sys;
    host.put(sys.uri(sys.battery), "80", tree::Format::Int);
    host.put(sys.uri(sys.network_type), "LTE");
    host.put(sys.uri(sys.device_type), "phone");
    auto spec = threshold_spec("p1");
    spec.conditions = {cond("low", sys.uri(sys.battery), Operator::Lt, "20"),
                       cond("wifi", sys.uri(sys.network_type), Operator::Eq, "WLAN"),
                       cond("phone", sys.uri(sys.device_type), Operator::Eq, "phone")};
    spec.expression = "phone and (low or wifi)";
    ASSERT_EQ(install(spec, "p1").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, base::StatusCode::Ok);
    EXPECT_EQ(count_events<PolicyFired>(set(sys.uri(sys.battery), "50")), 0U);
    EXPECT_EQ(count_events<PolicyFired>(set(sys.uri(sys.network_type), "WLAN", tree::Format::Chr)), 1U);
}

TEST_F(PolicyEngineTest, HigherPriorityRunsFirst) {
    covers(req::MgmtPolicyMO_MP_05, req::MgmtPolicyMO_HLF_8);
    auto low = threshold_spec("low", "50", "from-low");
    low.priority = 1;
    auto high = threshold_spec("high", "50", "from-high");
    high.priority = 9;
    ASSERT_EQ(install(low, "a_low").status, base::StatusCode::Ok);
    ASSERT_EQ(install(high, "z_high").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("a_low").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("z_high").status, base::StatusCode::Ok);
    const auto s = set("./Sensor/Level", "60");
    std::vector<tree::NodeUri> order;
    for (const auto& e : s.events) {
        if (const auto* f = std::get_if<PolicyFired>(&e)) order.push_back(f->policy);
    }
    EXPECT_EQ(order, (std::vector<tree::NodeUri>{uri("z_high"), uri("a_low")}));
    EXPECT_EQ(host.data("./Out/Flag"), "from-low"); // the lower priority ran last
}

TEST_F(PolicyEngineTest, PeriodicTriggerWithManualClock) {
    covers(req::MgmtPolicyMO_Device_03);
    base::ManualClock clock(now);
    const auto spec = periodic_read_spec("p1");
    ASSERT_EQ(install(spec, "p1").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, base::StatusCode::Ok);
    ASSERT_EQ(engine.next_deadline(), clock.now() + 60s);
    clock.advance(59s);
    EXPECT_TRUE(engine.on_timer(clock.now()).events.empty());
    clock.advance(1s);
    EXPECT_EQ(count_events<PolicyFired>(engine.on_timer(clock.now())), 1U);
    EXPECT_EQ(engine.next_deadline(), clock.now() + 60s);
    clock.advance(150s); // two missed ticks: one firing, next tick aligned to the period
    EXPECT_EQ(count_events<PolicyFired>(engine.on_timer(clock.now())), 1U);
    EXPECT_EQ(engine.next_deadline(), now + 240s);
}

TEST_F(PolicyEngineTest, PeriodicIsLevelTriggered) {
    covers(req::MgmtPolicyMO_Device_03);
    base::ManualClock clock(now);
    auto spec = threshold_spec("p1");
    spec.trigger.mode = TriggerMode::Periodic;
    spec.trigger.period = 10s;
    host.put("./Sensor/Level", "90", tree::Format::Int);
    ASSERT_EQ(install(spec, "p1").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, base::StatusCode::Ok);
    for (int i = 0; i < 3; ++i) {
        clock.advance(10s);
        EXPECT_EQ(count_events<PolicyFired>(engine.on_timer(clock.now())), 1U) << i;
    }
    host.put("./Sensor/Level", "5", tree::Format::Int);
    clock.advance(10s);
    EXPECT_EQ(count_events<PolicyFired>(engine.on_timer(clock.now())), 0U);
}

TEST_F(PolicyEngineTest, DeactivationCancelsTimers) {
    covers(req::MgmtPolicyMO_HLF_3, req::MgmtPolicyMO_Device_03);
    auto spec = threshold_spec("p1");
    spec.trigger.mode = TriggerMode::Both;
    spec.trigger.period = 10s;
    ASSERT_EQ(install(spec, "p1").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, base::StatusCode::Ok);
    EXPECT_TRUE(engine.next_deadline());
    ASSERT_EQ(deactivate("p1").status, base::StatusCode::Ok);
    EXPECT_FALSE(engine.next_deadline());
}

TEST_F(PolicyEngineTest, ValidityWindowBoundsFiring) {
    covers(req::MgmtPolicyMO_MP_05, req::MgmtPolicyMO_Device_03);
    auto spec = threshold_spec("p1");
    spec.trigger.valid_from = now + 1h;
    spec.trigger.valid_until = now + 2h;
    ASSERT_EQ(install(spec, "p1").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, base::StatusCode::Ok);
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "60")), 0U); // before the window
    ASSERT_EQ(engine.next_deadline(), now + 1h);
    now += 1h;
    const auto opened = engine.on_timer(now); // condition already true when the window opens
    ASSERT_EQ(count_events<PolicyFired>(opened), 1U);
    EXPECT_EQ(first_event<PolicyFired>(opened)->cause, FireCause::WindowOpened);
    now += 2h; // after the window
    set("./Sensor/Level", "0");
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "60")), 0U);
}

TEST_F(PolicyEngineTest, CascadeFollowsActionsThatChangeWatchedNodes) {
    covers(req::MgmtPolicyMO_Device_03, req::MgmtPolicyMO_HLF_8);
    auto first = threshold_spec("first"); // Level > 50 -> Out/Flag = on
    auto second = threshold_spec("second");
    second.conditions = {cond("flag", "./Out/Flag", Operator::Eq, "on")};
    second.expression = "flag";
    second.actions = {act("mark", 1, CommandKind::Replace, "./Out/Mark", "done")};
    host.put("./Out/Mark", "none");
    ASSERT_EQ(install(first, "first").status, base::StatusCode::Ok);
    ASSERT_EQ(install(second, "second").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("first").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("second").status, base::StatusCode::Ok);
    const auto s = set("./Sensor/Level", "60");
    EXPECT_EQ(count_events<PolicyFired>(s), 2U);
    EXPECT_EQ(host.data("./Out/Mark"), "done");
    EXPECT_EQ(count_events<LoopDetected>(s), 0U);
}

TEST_F(PolicyEngineTest, LoopIsDetectedAndReportedNotFollowed) {
    covers(req::MgmtPolicyMO_Device_03);
    host.put("./Toggle", "0", tree::Format::Int);
    // ping: Toggle == 1 -> Toggle = 0; pong: Toggle == 0 -> Toggle = 1.
    auto ping = threshold_spec("ping");
    ping.conditions = {cond("one", "./Toggle", Operator::Eq, "1")};
    ping.expression = "one";
    ping.actions = {act("zero", 1, CommandKind::Replace, "./Toggle", "0")};
    ping.actions[0].format = tree::Format::Int;
    auto pong = ping;
    pong.id = "pong";
    pong.conditions = {cond("zero", "./Toggle", Operator::Eq, "0")};
    pong.expression = "zero";
    pong.actions = {act("one", 1, CommandKind::Replace, "./Toggle", "1")};
    pong.actions[0].format = tree::Format::Int;
    ASSERT_EQ(install(ping, "ping").status, base::StatusCode::Ok);
    ASSERT_EQ(install(pong, "pong").status, base::StatusCode::Ok);
    ASSERT_EQ(activate("ping").status, base::StatusCode::Ok);
    host.put("./Toggle", "5", tree::Format::Int);
    ASSERT_EQ(activate("pong").status, base::StatusCode::Ok);
    const auto s = set("./Toggle", "1");
    const auto* loop = first_event<LoopDetected>(s);
    ASSERT_NE(loop, nullptr);
    EXPECT_EQ(loop->reason, LoopDetected::Reason::Repeat);
    EXPECT_EQ(loop->policy, uri("ping"));
    EXPECT_GE(loop->chain.size(), 3U);
    EXPECT_EQ(host.data(uri("ping") / "Results" / "LastStatus"), "1405");
    ASSERT_FALSE(outbox.pending().empty());
    EXPECT_EQ(outbox.pending().back().alert.items.at(0).type, "urn:oma:at:mgmtpolicy:1.0:LoopDetected");
}

TEST_F(PolicyEngineTest, CascadeDepthIsBounded) {
    covers(req::MgmtPolicyMO_Device_03);
    EngineOptions options;
    options.config.max_cascade_depth = 2;
    EngineFixture f(options);
    // Chain: N0 -> N1 -> N2 -> N3 -> N4, each policy copies a change one step further.
    for (int i = 0; i < 4; ++i) {
        const auto from = "./Chain/N" + std::to_string(i);
        const auto to = "./Chain/N" + std::to_string(i + 1);
        f.host.put(from, "0", tree::Format::Int);
        f.host.put(to, "0", tree::Format::Int);
        auto spec = threshold_spec("c" + std::to_string(i));
        spec.conditions = {cond("set", from, Operator::Eq, "1")};
        spec.expression = "set";
        spec.actions = {act("next", 1, CommandKind::Replace, to, "1")};
        spec.actions[0].format = tree::Format::Int;
        ASSERT_EQ(f.install(spec, "c" + std::to_string(i)).status, base::StatusCode::Ok);
        ASSERT_EQ(f.activate("c" + std::to_string(i)).status, base::StatusCode::Ok);
    }
    const auto s = f.set("./Chain/N0", "1");
    EXPECT_EQ(count_events<PolicyFired>(s), 3U); // depths 0, 1, 2
    const auto* loop = first_event<LoopDetected>(s);
    ASSERT_NE(loop, nullptr);
    EXPECT_EQ(loop->reason, LoopDetected::Reason::DepthLimit);
    EXPECT_EQ(f.host.data("./Chain/N4"), "0");
}

} // namespace
} // namespace omadm::policy::testing
