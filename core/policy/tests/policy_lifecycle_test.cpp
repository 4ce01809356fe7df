#include "omadm/policy/policy_engine.hpp"
#include "omadm/testing/covers.hpp"
#include "policy_fixture.hpp"

#include <gtest/gtest.h>

namespace omadm::policy::testing {
namespace {

using PolicyLifecycle = EngineTest;

TEST_F(PolicyLifecycle, DownloadInstallsInactive) {
    covers(req::MgmtPolicyMO_HLF_1, req::MgmtPolicyMO_HLF_9);
    const auto s = install(threshold_spec("p1"), "p1");
    EXPECT_EQ(s.status, StatusCode::Ok);
    EXPECT_EQ(count_events<PolicyInstalled>(s), 1U);
    EXPECT_EQ(engine.state(uri("p1")), PolicyState::Inactive);
    EXPECT_EQ(host.data(uri("p1") / "State"), "10");
    EXPECT_EQ(host.data(uri("p1") / "Results" / "Count"), "0");
    EXPECT_TRUE(engine.may_manage(uri("p1"), owner));
}

TEST_F(PolicyLifecycle, InvalidDownloadGivesStatusAndReason) {
    covers(req::MgmtPolicyMO_HLF_1, req::MgmtPolicyMO_MP_03);
    auto spec = threshold_spec("p1");
    spec.expression = "high or";
    const auto s = install(spec, "p1");
    EXPECT_EQ(s.status, StatusCode::BadRequest);
    EXPECT_NE(s.reason.find("Expression"), std::string::npos);
    ASSERT_NE(first_event<PolicyRejected>(s), nullptr);
    EXPECT_EQ(first_event<PolicyRejected>(s)->reason_code, Errc::ExpressionSyntax);
    EXPECT_EQ(engine.size(), 0U);
}

TEST_F(PolicyLifecycle, UnknownOperatorIsOptionalFeatureNotSupported) {
    covers(req::MgmtPolicyMO_HLF_1, req::MgmtPolicyMO_OSR_02);
    auto spec = threshold_spec("p1");
    spec.conditions[0].op = Operator::Extension;
    spec.conditions[0].extension_operator = "near";
    EXPECT_EQ(install(spec, "p1").status, StatusCode::OptionalFeatureNotSupported);
}

TEST_F(PolicyLifecycle, DuplicateDownloadIsAlreadyExists) {
    covers(req::MgmtPolicyMO_HLF_1);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    EXPECT_EQ(engine.download(uri("p1"), owner, now).status, StatusCode::AlreadyExists);
}

TEST_F(PolicyLifecycle, ActivateDeactivateTransitions) {
    covers(req::MgmtPolicyMO_HLF_3);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    auto s = activate("p1");
    EXPECT_EQ(s.status, StatusCode::Ok);
    EXPECT_EQ(engine.state(uri("p1")), PolicyState::Active);
    EXPECT_EQ(host.data(uri("p1") / "State"), "20");
    ASSERT_NE(first_event<StateChanged>(s), nullptr);
    EXPECT_EQ(first_event<StateChanged>(s)->to, PolicyState::Active);
    s = deactivate("p1");
    EXPECT_EQ(s.status, StatusCode::Ok);
    EXPECT_EQ(host.data(uri("p1") / "State"), "10");
}

TEST_F(PolicyLifecycle, InvalidTransitionsAreCommandNotAllowed) {
    covers(req::MgmtPolicyMO_HLF_3);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    EXPECT_EQ(deactivate("p1").status, StatusCode::CommandNotAllowed);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    const auto again = activate("p1");
    EXPECT_EQ(again.status, StatusCode::CommandNotAllowed);
    EXPECT_NE(again.reason.find("already active"), std::string::npos);
    EXPECT_EQ(engine.exec(uri("p1") / "Operations" / "Explode", owner, std::nullopt, now).status,
              StatusCode::CommandNotAllowed);
    EXPECT_EQ(engine.exec(uri("nope") / "Operations" / "Activate", owner, std::nullopt, now).status,
              StatusCode::NotFound);
}

TEST_F(PolicyLifecycle, OnlyOwnerManages) {
    covers(req::MgmtPolicyMO_ATHOR_1, req::MgmtPolicyMO_HLF_3);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    const base::ServerId other{"srvB"};
    EXPECT_FALSE(engine.may_manage(uri("p1"), other));
    const auto s = engine.exec(uri("p1") / "Operations" / "Activate", other, std::nullopt, now);
    EXPECT_EQ(s.status, StatusCode::PermissionDenied);
    EXPECT_EQ(engine.state(uri("p1")), PolicyState::Inactive);
}

TEST_F(PolicyLifecycle, ActionsRunAsOwner) {
    covers(req::MgmtPolicyMO_ATHOR_1, req::MgmtPolicyMO_Device_02);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    set("./Sensor/Level", "60");
    ASSERT_FALSE(host.executed().empty());
    EXPECT_EQ(host.executed().back().second, owner);
}

TEST_F(PolicyLifecycle, UpdateTakesEffectWhenVersionChanges) {
    covers(req::MgmtPolicyMO_HLF_2);
    ASSERT_EQ(install(threshold_spec("p1", "50"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    auto next = threshold_spec("p1", "20", "v2");
    next.version = "2.0";
    const auto writes = update_writes(next, engine.layout(), uri("p1"));
    // Everything but the final Version write: the old version stays in force meanwhile.
    host.apply({writes.begin(), writes.end() - 1});
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "30")), 0U);
    host.apply({writes.back()});
    const auto s = engine.on_tree_changed(writes.back().uri, now);
    EXPECT_EQ(s.status, StatusCode::Ok);
    EXPECT_EQ(engine.find(uri("p1"))->spec.version, "2.0");
    EXPECT_EQ(engine.state(uri("p1")), PolicyState::Active);
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "10")), 0U);
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "25")), 1U);
    EXPECT_EQ(host.data("./Out/Flag"), "v2");
}

TEST_F(PolicyLifecycle, InvalidUpdateLeavesOldVersionInForce) {
    covers(req::MgmtPolicyMO_HLF_2);
    ASSERT_EQ(install(threshold_spec("p1", "50"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    auto bad = threshold_spec("p1", "20");
    bad.version = "2.0";
    bad.expression = "high and ghost";
    host.apply(update_writes(bad, engine.layout(), uri("p1")));
    const auto s = engine.on_tree_changed(uri("p1") / "Version", now);
    EXPECT_EQ(s.status, StatusCode::BadRequest);
    EXPECT_NE(s.reason.find("1.0 stays in force"), std::string::npos);
    ASSERT_NE(first_event<PolicyRejected>(s), nullptr);
    EXPECT_EQ(engine.find(uri("p1"))->spec.version, "1.0");
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "30")), 0U);
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "60")), 1U);
}

TEST_F(PolicyLifecycle, RemovalByDeleteOfTheSubtree) {
    covers(req::MgmtPolicyMO_HLF_4);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    ASSERT_EQ(host.remove_internal(uri("p1")), StatusCode::Ok);
    const auto s = engine.on_tree_changed(uri("p1"), now);
    EXPECT_EQ(count_events<PolicyRemoved>(s), 1U);
    EXPECT_EQ(engine.size(), 0U);
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "60")), 0U);
    EXPECT_EQ(engine.remove(uri("p1")).status, StatusCode::NotFound);
}

TEST_F(PolicyLifecycle, RemovalOfTheWholeMoRoot) {
    covers(req::MgmtPolicyMO_HLF_4);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(install(threshold_spec("p2"), "p2").status, StatusCode::Ok);
    ASSERT_EQ(host.remove_internal(engine.layout().root), StatusCode::Ok);
    const auto s = engine.on_tree_changed(engine.layout().root, now);
    EXPECT_EQ(count_events<PolicyRemoved>(s), 2U);
    EXPECT_EQ(engine.size(), 0U);
}

TEST_F(PolicyLifecycle, ExtSubtreeIsKeptAndReadable) {
    covers(req::MgmtPolicyMO_OSR_02);
    auto spec = threshold_spec("p1");
    spec.ext = {ExtNode{"com.example", {"", tree::Format::Node}},
                ExtNode{"com.example/Color", {"red", tree::Format::Chr}}};
    ASSERT_EQ(install(spec, "p1").status, StatusCode::Ok);
    ASSERT_EQ(engine.find(uri("p1"))->spec.ext.size(), 2U);
    EXPECT_EQ(engine.find(uri("p1"))->spec.ext[1].value.data, "red");
    auto next = spec;
    next.version = "2.0";
    host.apply(update_writes(next, engine.layout(), uri("p1")));
    ASSERT_EQ(engine.on_tree_changed(uri("p1") / "Version", now).status, StatusCode::Ok);
    EXPECT_EQ(host.data(uri("p1") / "Ext" / "com.example" / "Color"), "red");
}

} // namespace
} // namespace omadm::policy::testing
