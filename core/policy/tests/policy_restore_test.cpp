#include "omadm/policy/policy_engine.hpp"
#include "omadm/testing/covers.hpp"
#include "policy_fixture.hpp"

#include <gtest/gtest.h>
#include <memory>

namespace omadm::policy::testing {
namespace {

using namespace std::chrono_literals;

// The device is killed and started again: the tree and the alert store survive, the engine and
// the outbox are rebuilt from them.
class PolicyRestore : public EngineTest {
protected:
    Step restart() {
        restarted_outbox = std::make_unique<Outbox>(store);
        EXPECT_TRUE(restarted_outbox->restore().has_value());
        restarted = std::make_unique<PolicyEngine>(host, *restarted_outbox);
        return restarted->load_existing(now);
    }

    Step set_after_restart(std::string_view at, std::string value) {
        const auto changed = node(at);
        host.put(changed, std::move(value), tree::Format::Int);
        return restarted->on_tree_changed(changed, now);
    }

    std::unique_ptr<Outbox> restarted_outbox;
    std::unique_ptr<PolicyEngine> restarted;
};

TEST_F(PolicyRestore, ActivePolicyStaysActiveAndMonitored) {
    covers(req::MgmtPolicyMO_HLF_1, req::MgmtPolicyMO_HLF_3, req::MgmtPolicyMO_Device_03);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    const auto s = restart();
    EXPECT_EQ(s.status, StatusCode::Ok);
    EXPECT_EQ(restarted->size(), 1U);
    EXPECT_EQ(restarted->state(uri("p1")), PolicyState::Active);
    EXPECT_EQ(count_events<StateChanged>(s), 0U);
    EXPECT_EQ(count_events<PolicyFired>(set_after_restart("./Sensor/Level", "60")), 1U);
    EXPECT_EQ(host.data("./Out/Flag"), "on");
}

TEST_F(PolicyRestore, InactivePolicyStaysInactive) {
    covers(req::MgmtPolicyMO_HLF_1, req::MgmtPolicyMO_HLF_3);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(restart().status, StatusCode::Ok);
    EXPECT_EQ(restarted->state(uri("p1")), PolicyState::Inactive);
    EXPECT_EQ(count_events<PolicyFired>(set_after_restart("./Sensor/Level", "60")), 0U);
    const auto s = restarted->exec(uri("p1") / "Operations" / "Activate", owner, std::nullopt, now);
    EXPECT_EQ(s.status, StatusCode::Ok);
    EXPECT_EQ(count_events<PolicyFired>(s), 1U); // activation with a true condition fires once
}

TEST_F(PolicyRestore, OwnerIsPersistedAndRestored) {
    covers(req::MgmtPolicyMO_ATHOR_1);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    EXPECT_EQ(host.data(uri("p1") / "Owner"), "srvA");
    ASSERT_EQ(restart().status, StatusCode::Ok);
    EXPECT_TRUE(restarted->may_manage(uri("p1"), owner));
    const base::ServerId other{"srvB"};
    EXPECT_FALSE(restarted->may_manage(uri("p1"), other));
    EXPECT_EQ(restarted->exec(uri("p1") / "Operations" / "Activate", other, std::nullopt, now).status,
              StatusCode::PermissionDenied);
}

TEST_F(PolicyRestore, ActionsRunAsTheRestoredOwner) {
    covers(req::MgmtPolicyMO_ATHOR_1, req::MgmtPolicyMO_Device_02);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    ASSERT_EQ(restart().status, StatusCode::Ok);
    set_after_restart("./Sensor/Level", "60");
    ASSERT_FALSE(host.executed().empty());
    EXPECT_EQ(host.executed().back().second, owner);
}

TEST_F(PolicyRestore, ResultsCountersContinue) {
    covers(req::MgmtPolicyMO_HLF_5, req::MgmtPolicyMO_DMS_01);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    set("./Sensor/Level", "60");
    set("./Sensor/Level", "0");
    set("./Sensor/Level", "60");
    ASSERT_EQ(host.data(uri("p1") / "Results" / "Count"), "2");
    ASSERT_EQ(restart().status, StatusCode::Ok);
    set_after_restart("./Sensor/Level", "0");
    set_after_restart("./Sensor/Level", "70");
    EXPECT_EQ(host.data(uri("p1") / "Results" / "Count"), "3");
    EXPECT_EQ(host.data(uri("p1") / "Results" / "Log" / "3" / "Status"), "1200");
    EXPECT_EQ(host.data(uri("p1") / "Results" / "Log" / "2" / "Status"), "1200"); // not overwritten
}

TEST_F(PolicyRestore, GarbledCountIsRepairedFromTheLog) {
    covers(req::MgmtPolicyMO_HLF_5);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    set("./Sensor/Level", "60");
    host.put(uri("p1") / "Results" / "Count", "many", tree::Format::Int);
    const auto s = restart();
    EXPECT_EQ(count_events<DeviceFault>(s), 1U);
    EXPECT_EQ(host.data(uri("p1") / "Results" / "Count"), "1");
}

TEST_F(PolicyRestore, NothingIsReRunOrReSent) {
    covers(req::MgmtPolicyMO_Device_03, req::MgmtPolicyMO_Device_01);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    set("./Sensor/Level", "60"); // fired: the condition holds at shutdown
    const auto commands = host.executed().size();
    const auto alerts = store.saved.size();
    const auto s = restart();
    EXPECT_EQ(count_events<PolicyFired>(s), 0U);
    EXPECT_EQ(count_events<AlertQueued>(s), 0U);
    EXPECT_EQ(host.executed().size(), commands);
    EXPECT_EQ(store.saved.size(), alerts);
    EXPECT_EQ(restarted_outbox->pending().size(), alerts); // the outbox restores from its store
    // Still the same edge: a change that keeps the condition true does not fire either.
    EXPECT_EQ(count_events<PolicyFired>(set_after_restart("./Sensor/Level", "70")), 0U);
}

TEST_F(PolicyRestore, EdgeMissedWhileDownFiresOnce) {
    covers(req::MgmtPolicyMO_Device_03);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    ASSERT_EQ(host.data(uri("p1") / "Holds"), "false");
    host.put("./Sensor/Level", "60", tree::Format::Int); // changed while the device was down
    const auto s = restart();
    const auto* fired = first_event<PolicyFired>(s);
    ASSERT_NE(fired, nullptr);
    EXPECT_EQ(fired->cause, FireCause::Change);
    EXPECT_EQ(count_events<PolicyFired>(s), 1U);
    EXPECT_EQ(host.data(uri("p1") / "Holds"), "true");
}

TEST_F(PolicyRestore, WithoutPersistedHoldsTheFirstEvaluationOnlyPrimes) {
    covers(req::MgmtPolicyMO_Device_03);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    ASSERT_EQ(host.remove_internal(uri("p1") / "Holds"), StatusCode::Ok);
    host.put("./Sensor/Level", "60", tree::Format::Int);
    EXPECT_EQ(count_events<PolicyFired>(restart()), 0U);
    EXPECT_EQ(host.data(uri("p1") / "Holds"), "true");
    EXPECT_EQ(count_events<PolicyFired>(set_after_restart("./Sensor/Level", "0")), 0U);
    EXPECT_EQ(count_events<PolicyFired>(set_after_restart("./Sensor/Level", "80")), 1U);
}

TEST_F(PolicyRestore, PeriodicTriggerResumesFromTheClock) {
    covers(req::MgmtPolicyMO_Device_03);
    const auto spec = periodic_read_spec("p1");
    ASSERT_EQ(install(spec, "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    base::ManualClock clock(now);
    clock.advance(90s); // down across the tick at +60 s: not replayed
    now = clock.now();
    const auto s = restart();
    EXPECT_EQ(count_events<PolicyFired>(s), 0U);
    ASSERT_EQ(restarted->next_deadline(), clock.now() + 60s);
    clock.advance(59s);
    EXPECT_TRUE(restarted->on_timer(clock.now()).events.empty());
    clock.advance(1s);
    const auto tick = restarted->on_timer(clock.now());
    ASSERT_NE(first_event<PolicyFired>(tick), nullptr);
    EXPECT_EQ(first_event<PolicyFired>(tick)->cause, FireCause::Periodic);
    EXPECT_EQ(restarted->next_deadline(), clock.now() + 60s);
}

TEST_F(PolicyRestore, InvalidPersistedPolicyIsReportedAndSkipped) {
    covers(req::MgmtPolicyMO_HLF_1, req::MgmtPolicyMO_HLF_9);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(install(threshold_spec("p2"), "p2").status, StatusCode::Ok);
    host.put(uri("p2") / "Conditions" / "Expression", "high or");
    const auto s = restart();
    EXPECT_EQ(s.status, StatusCode::Ok);
    const auto* rejected = first_event<PolicyRejected>(s);
    ASSERT_NE(rejected, nullptr);
    EXPECT_EQ(rejected->policy, uri("p2"));
    EXPECT_EQ(rejected->reason_code, Errc::ExpressionSyntax);
    EXPECT_NE(rejected->reason.find("not restored"), std::string::npos);
    EXPECT_EQ(restarted->size(), 1U);
    EXPECT_NE(restarted->find(uri("p1")), nullptr);
    EXPECT_EQ(restarted->find(uri("p2")), nullptr);
}

TEST_F(PolicyRestore, PolicyWithoutOwnerOrStateIsSkipped) {
    covers(req::MgmtPolicyMO_ATHOR_1, req::MgmtPolicyMO_HLF_3);
    // Added to the tree but never accepted by the engine (killed between the Add and the download).
    host.apply(download_writes(threshold_spec("p1"), engine.layout(), uri("p1")));
    ASSERT_EQ(install(threshold_spec("p2"), "p2").status, StatusCode::Ok);
    host.put(uri("p2") / "State", "15", tree::Format::Int);
    const auto s = restart();
    ASSERT_EQ(count_events<PolicyRejected>(s), 2U);
    EXPECT_EQ(std::get<PolicyRejected>(s.events[0]).reason_code, Errc::MissingNode);
    EXPECT_EQ(std::get<PolicyRejected>(s.events[1]).reason_code, Errc::BadValue);
    EXPECT_EQ(restarted->size(), 0U);
}

TEST(PolicyRestoreSpelling, TheStateIsWrittenAndRestoredInTheLayoutsSpelling) {
    covers(req::MgmtPolicyMO_HLF_3);
    EngineOptions options;
    options.layout.values.state.pairs = {{"10", "0"}, {"20", "1"}};
    EngineFixture f(options);
    ASSERT_EQ(f.install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    EXPECT_EQ(f.host.data(f.uri("p1") / "State"), "0");
    ASSERT_EQ(f.activate("p1").status, StatusCode::Ok);
    EXPECT_EQ(f.host.data(f.uri("p1") / "State"), "1");

    Outbox outbox{f.store};
    ASSERT_TRUE(outbox.restore().has_value());
    PolicyEngine restarted(f.host, outbox, options);
    EXPECT_EQ(restarted.load_existing(f.now).status, StatusCode::Ok);
    EXPECT_EQ(restarted.state(f.uri("p1")), PolicyState::Active);
    // Read in the reference spelling, "1" is no state: the policy is not restored.
    Outbox plain_outbox{f.store};
    ASSERT_TRUE(plain_outbox.restore().has_value());
    PolicyEngine plain(f.host, plain_outbox);
    EXPECT_EQ(count_events<PolicyRejected>(plain.load_existing(f.now)), 1U);
}

TEST_F(PolicyRestore, LoadingTwiceKeepsWhatIsInstalled) {
    covers(req::MgmtPolicyMO_HLF_1);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    ASSERT_EQ(restart().status, StatusCode::Ok);
    EXPECT_TRUE(restarted->load_existing(now).events.empty());
    EXPECT_EQ(restarted->size(), 1U);
    EXPECT_EQ(count_events<PolicyFired>(set_after_restart("./Sensor/Level", "60")), 1U);
}

} // namespace
} // namespace omadm::policy::testing
