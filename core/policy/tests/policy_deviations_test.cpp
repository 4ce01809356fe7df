// The deliberate deviations of the engine (policy::Deviations): each changes what the engine does
// and is reported by a DeviationApplied event (reference-client/README.md, Faults).
#include "omadm/policy/deviations.hpp"
#include "omadm/policy/policy_engine.hpp"
#include "omadm/policy/spec_writer.hpp"
#include "policy_fixture.hpp"

#include <gtest/gtest.h>

namespace omadm::policy::testing {
namespace {

class PolicyDeviations : public EngineTest {
protected:
    PolicyDeviations() { host.put("./Sensor/Net", "WLAN"); }

    /// Installs and activates `spec` as p1 under `deviations`.
    void arm(const PolicySpec& spec, const Deviations& deviations) {
        engine.set_deviations(deviations);
        ASSERT_EQ(install(spec, "p1").status, StatusCode::Ok);
        ASSERT_EQ(activate("p1", std::string("corr-1")).status, StatusCode::Ok);
    }

    /// "high <expression> lte", lte: ./Sensor/Net eq LTE.
    static PolicySpec with_net(std::string expression) {
        auto spec = threshold_spec("p1");
        spec.conditions.push_back(cond("lte", "./Sensor/Net", Operator::Eq, "LTE"));
        spec.expression = std::move(expression);
        return spec;
    }

    static std::size_t applied(const Step& s, std::string_view name) {
        std::size_t n = 0;
        for (const auto& e : s.events) {
            if (const auto* d = std::get_if<DeviationApplied>(&e)) n += d->deviation == name ? 1U : 0U;
        }
        return n;
    }
};

TEST_F(PolicyDeviations, IgnoreExpressionAndsEveryCondition) {
    covers(req::MgmtPolicyMO_MP_03);
    Deviations d;
    d.ignore_expression = true;
    arm(with_net("high or lte"), d);
    const auto s = set("./Sensor/Level", "60");
    EXPECT_EQ(count_events<PolicyFired>(s), 0U);
    EXPECT_EQ(applied(s, "ignore_expression"), 1U);
}

TEST_F(PolicyDeviations, NotAsIdentityDropsTheNegation) {
    covers(req::MgmtPolicyMO_MP_03);
    Deviations d;
    d.not_as_identity = true;
    arm(with_net("high and not lte"), d);
    const auto s = set("./Sensor/Level", "60");
    EXPECT_EQ(count_events<PolicyFired>(s), 0U);
    EXPECT_EQ(applied(s, "not_as_identity"), 1U);
}

TEST_F(PolicyDeviations, BoundaryOffByOneMakesGeStrict) {
    covers(req::MgmtPolicyMO_MP_01);
    auto spec = threshold_spec("p1");
    spec.conditions = {cond("high", "./Sensor/Level", Operator::Ge, "50")};
    Deviations d;
    d.boundary_off_by_one = true;
    arm(spec, d);
    const auto s = set("./Sensor/Level", "50");
    EXPECT_EQ(count_events<PolicyFired>(s), 0U);
    EXPECT_EQ(applied(s, "boundary_off_by_one"), 1U);
}

TEST_F(PolicyDeviations, LexicalIntCompareOrdersDigitsAsText) {
    covers(req::MgmtPolicyMO_MP_01);
    Deviations d;
    d.lexical_int_compare = true;
    arm(threshold_spec("p1"), d); // Level gt 50
    const auto s = set("./Sensor/Level", "100");
    EXPECT_EQ(count_events<PolicyFired>(s), 0U); // "100" < "50" as text
    EXPECT_EQ(applied(s, "lexical_int_compare"), 1U);
}

TEST_F(PolicyDeviations, KeepRemovedArmedFiresAfterRemoval) {
    covers(req::MgmtPolicyMO_HLF_4);
    Deviations d;
    d.keep_removed_armed = true;
    arm(threshold_spec("p1"), d);
    ASSERT_EQ(host.remove_internal(uri("p1")), StatusCode::Ok);
    ASSERT_EQ(engine.on_tree_changed(uri("p1"), now).status, StatusCode::Ok);
    ASSERT_EQ(engine.find(uri("p1")), nullptr);
    const auto s = set("./Sensor/Level", "60");
    EXPECT_EQ(count_events<PolicyFired>(s), 1U);
    EXPECT_EQ(host.data("./Out/Flag"), "on");
    EXPECT_FALSE(host.has(uri("p1"))); // nothing written under the removed policy
    EXPECT_EQ(applied(s, "keep_removed_armed"), 1U);
}

TEST_F(PolicyDeviations, KeepOldConditionsAfterUpdate) {
    covers(req::MgmtPolicyMO_HLF_2);
    Deviations d;
    d.keep_old_conditions = true;
    arm(threshold_spec("p1", "50"), d);
    auto next = threshold_spec("p1", "90");
    next.version = "2.0";
    host.apply(update_writes(next, engine.layout(), uri("p1")));
    const auto up = engine.on_tree_changed(uri("p1") / "Version", now);
    ASSERT_EQ(up.status, StatusCode::Ok);
    EXPECT_EQ(applied(up, "keep_old_conditions"), 1U);
    EXPECT_EQ(count_events<PolicyFired>(set("./Sensor/Level", "60")), 1U); // the old threshold
}

TEST_F(PolicyDeviations, ReverseActionOrderRunsTheLastActionFirst) {
    covers(req::MgmtPolicyMO_MP_04);
    auto spec = threshold_spec("p1");
    spec.actions = {act("a1", 1, CommandKind::Replace, "./Out/Flag", "first"),
                    act("a2", 2, CommandKind::Replace, "./Out/Flag", "second")};
    Deviations d;
    d.reverse_action_order = true;
    arm(spec, d);
    const auto s = set("./Sensor/Level", "60");
    EXPECT_EQ(host.data("./Out/Flag"), "first");
    EXPECT_EQ(applied(s, "reverse_action_order"), 1U);
}

TEST_F(PolicyDeviations, AtomicWithoutRollbackKeepsWhatRanAndClaims1402) {
    covers(req::MgmtPolicyMO_MP_04);
    auto spec = threshold_spec("p1");
    spec.actions.push_back(act("bad", 2, CommandKind::Replace, "./Missing/Node", "x"));
    spec.mode = ActionMode::Atomic;
    Deviations d;
    d.atomic_without_rollback = true;
    arm(spec, d);
    const auto s = set("./Sensor/Level", "60");
    EXPECT_EQ(host.data("./Out/Flag"), "on");
    const auto* done = first_event<ActionsCompleted>(s);
    ASSERT_NE(done, nullptr);
    EXPECT_EQ(done->result, ResultCode::AtomicRolledBack);
    EXPECT_EQ(applied(s, "atomic_without_rollback"), 1U);
}

TEST_F(PolicyDeviations, SuccessOnFailureReports1200) {
    covers(req::MgmtPolicyMO_HLF_5);
    auto spec = threshold_spec("p1");
    spec.actions = {act("bad", 1, CommandKind::Replace, "./Missing/Node", "x")};
    Deviations d;
    d.success_on_failure = true;
    arm(spec, d);
    const auto s = set("./Sensor/Level", "60");
    EXPECT_EQ(host.data(uri("p1") / "Results" / "LastStatus"), "1200");
    EXPECT_EQ(applied(s, "success_on_failure"), 1U);
}

TEST_F(PolicyDeviations, DropCorrelatorSendsTheFirstAlertWithoutIt) {
    covers(req::MgmtPolicyMO_Device_01);
    Deviations d;
    d.drop_correlator = true;
    arm(threshold_spec("p1"), d);
    const auto s = set("./Sensor/Level", "60");
    ASSERT_EQ(outbox.pending().size(), 1U);
    EXPECT_FALSE(outbox.pending()[0].alert.correlator.has_value());
    EXPECT_EQ(applied(s, "drop_correlator"), 1U);
}

TEST_F(PolicyDeviations, WrongAlertSourceNamesTheMoRoot) {
    covers(req::MgmtPolicyMO_Device_01);
    Deviations d;
    d.wrong_alert_source = true;
    arm(threshold_spec("p1"), d);
    const auto s = set("./Sensor/Level", "60");
    ASSERT_EQ(outbox.pending().size(), 1U);
    EXPECT_EQ(outbox.pending()[0].alert.items.at(0).source, engine.layout().root.str());
    EXPECT_EQ(applied(s, "wrong_alert_source"), 1U);
}

TEST_F(PolicyDeviations, AcceptInvalidPolicyInstallsABadExpression) {
    covers(req::MgmtPolicyMO_HLF_1, req::MgmtPolicyMO_MP_03);
    auto spec = threshold_spec("p1");
    spec.expression = "high and (";
    Deviations d;
    d.accept_invalid_policy = true;
    engine.set_deviations(d);
    const auto s = install(spec, "p1");
    EXPECT_EQ(s.status, StatusCode::Ok);
    EXPECT_NE(engine.find(uri("p1")), nullptr);
    EXPECT_EQ(applied(s, "accept_invalid_policy"), 1U);
}

TEST_F(PolicyDeviations, AcceptInvalidPolicyStillRejectsAMissingVersion) {
    covers(req::MgmtPolicyMO_HLF_1);
    auto spec = threshold_spec("p1");
    spec.version.clear();
    Deviations d;
    d.accept_invalid_policy = true;
    engine.set_deviations(d);
    EXPECT_NE(install(spec, "p1").status, StatusCode::Ok);
}

TEST_F(PolicyDeviations, StaleResultsLeavesResultsUnwritten) {
    covers(req::MgmtPolicyMO_HLF_5);
    Deviations d;
    d.stale_results = true;
    arm(threshold_spec("p1"), d);
    const auto s = set("./Sensor/Level", "60");
    EXPECT_EQ(count_events<PolicyFired>(s), 1U);
    EXPECT_EQ(host.data(uri("p1") / "Results" / "Count"), "0");
    EXPECT_FALSE(host.has(uri("p1") / "Results" / "LastStatus"));
    EXPECT_EQ(applied(s, "stale_results"), 1U);
}

TEST_F(PolicyDeviations, NoDeviationNoEvent) {
    covers(req::MgmtPolicyMO_MP_03);
    arm(with_net("high or lte"), Deviations{});
    const auto s = set("./Sensor/Level", "60");
    EXPECT_EQ(count_events<PolicyFired>(s), 1U);
    EXPECT_EQ(count_events<DeviationApplied>(s), 0U);
}

} // namespace
} // namespace omadm::policy::testing
