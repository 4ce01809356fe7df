#include "fake_host.hpp"
#include "omadm/policy/action_runner.hpp"
#include "omadm/testing/covers.hpp"
#include "policy_fixture.hpp"

#include <gtest/gtest.h>

namespace omadm::policy {
namespace {

using base::StatusCode;
using omadm::testing::covers;
using testing::act;

/// The DM status of each action of a report, in order.
std::vector<StatusCode> statuses(const CompoundReport& r) {
    std::vector<StatusCode> out;
    for (const auto& a : r.actions)
        out.push_back(a.status);
    return out;
}

class ActionRunner : public ::testing::Test {
protected:
    ActionRunner() {
        host.put("./App/Mode", "normal");
        host.put("./App/Level", "1", tree::Format::Int);
        host.put("./Src/Value", "copied");
        spec.id = "p";
        spec.version = "1";
    }
    CompoundReport run() { return run_actions(spec, host, owner, layout, extensions); }
    /// Runs three Replaces (in spec.mode) of which the second targets a missing node.
    CompoundReport run_failing_second_of_three() {
        spec.actions = {act("ok", 1, CommandKind::Replace, "./App/Mode", "x"),
                        act("bad", 2, CommandKind::Replace, "./Missing", "y"),
                        act("never", 3, CommandKind::Replace, "./App/Level", "9")};
        return run();
    }

    testing::FakeHost host;
    PolicySpec spec;
    PolicyLayout layout;
    ExtensionRegistry extensions;
    base::ServerId owner{"srvA"};
};

TEST_F(ActionRunner, SimpleActionIsOneDmCommandAsOwner) {
    covers(req::MgmtPolicyMO_MP_02, req::MgmtPolicyMO_Device_02);
    spec.actions = {act("a", 1, CommandKind::Replace, "./App/Mode", "safe")};
    const auto r = run();
    EXPECT_EQ(r.result, ResultCode::Successful);
    EXPECT_EQ(host.data("./App/Mode"), "safe");
    ASSERT_EQ(host.executed().size(), 1U);
    EXPECT_EQ(host.executed()[0].second, owner);
    // The DM command itself: a Replace of one Item with its Target, Data and Meta Format.
    const auto* replace = std::get_if<syncml::Replace>(&host.executed()[0].first.variant());
    ASSERT_NE(replace, nullptr);
    ASSERT_EQ(replace->items.size(), 1U);
    EXPECT_EQ(replace->items[0].target->loc_uri, "./App/Mode");
    EXPECT_EQ(replace->items[0].data, "safe");
    EXPECT_EQ(replace->items[0].meta->format, "chr");
    EXPECT_FALSE(replace->items[0].source.has_value());
    EXPECT_EQ(r.changed, std::vector<tree::NodeUri>{testing::node("./App/Mode")});
}

TEST_F(ActionRunner, EveryDmCommandKind) {
    covers(req::MgmtPolicyMO_MP_02, req::MgmtPolicyMO_Device_02);
    auto copy = act("copy", 6, CommandKind::Copy, "./Dst/Value");
    copy.source = "./Src/Value";
    spec.actions = {act("add", 1, CommandKind::Add, "./App/New", "n"),
                    act("rep", 2, CommandKind::Replace, "./App/Level", "2"),
                    act("get", 3, CommandKind::Get, "./App/Level"),
                    act("exec", 4, CommandKind::Exec, "./App"),
                    act("del", 5, CommandKind::Delete, "./App/Mode"),
                    copy};
    const auto r = run();
    ASSERT_EQ(r.result, ResultCode::Successful) << r.detail();
    EXPECT_EQ(host.data("./App/New"), "n");
    EXPECT_EQ(host.data("./App/Level"), "2");
    EXPECT_FALSE(host.has("./App/Mode"));
    EXPECT_EQ(host.data("./Dst/Value"), "copied");
    EXPECT_EQ(r.actions[2].detail, "./App/Level=2");
    EXPECT_EQ(host.executed().size(), 6U);
}

TEST_F(ActionRunner, SequenceStopsAtFirstFailure) {
    covers(req::MgmtPolicyMO_MP_04);
    const auto r = run_failing_second_of_three();
    EXPECT_EQ(r.result, ResultCode::TargetNotFound);
    EXPECT_EQ(statuses(r), (std::vector{StatusCode::Ok, StatusCode::NotFound, StatusCode::NotExecuted}));
    EXPECT_EQ(host.data("./App/Mode"), "x");
    EXPECT_EQ(host.data("./App/Level"), "1");
    EXPECT_EQ(host.executed().size(), 2U);
}

TEST_F(ActionRunner, AtomicRollsBackEverything) {
    covers(req::MgmtPolicyMO_MP_04);
    spec.mode = ActionMode::Atomic;
    const auto r = run_failing_second_of_three();
    EXPECT_EQ(r.result, ResultCode::AtomicRolledBack);
    EXPECT_EQ(statuses(r),
              (std::vector{StatusCode::AtomicRollbackOk, StatusCode::NotFound, StatusCode::NotExecuted}));
    EXPECT_EQ(host.data("./App/Mode"), "normal");
    EXPECT_TRUE(r.changed.empty());
}

TEST_F(ActionRunner, AtomicAllSucceed) {
    covers(req::MgmtPolicyMO_MP_04);
    spec.mode = ActionMode::Atomic;
    spec.actions = {act("a", 1, CommandKind::Replace, "./App/Mode", "x"),
                    act("b", 2, CommandKind::Replace, "./App/Level", "5")};
    const auto r = run();
    EXPECT_EQ(r.result, ResultCode::Successful);
    EXPECT_EQ(host.data("./App/Mode"), "x");
    EXPECT_EQ(host.data("./App/Level"), "5");
}

TEST_F(ActionRunner, AclDenialIsAFailedResult) {
    covers(req::MgmtPolicyMO_ATHOR_1, req::MgmtPolicyMO_Device_02);
    host.deny("./App", owner);
    spec.actions = {act("a", 1, CommandKind::Replace, "./App/Mode", "x")};
    const auto r = run();
    EXPECT_EQ(r.result, ResultCode::PermissionDenied);
    EXPECT_EQ(r.actions[0].status, StatusCode::PermissionDenied);
    EXPECT_EQ(host.data("./App/Mode"), "normal");
}

TEST_F(ActionRunner, BindingsRunOneActionPerBoundMo) {
    covers(req::MgmtPolicyMO_HLF_6);
    host.put("./SCOMO/Inventory/Deployed/c1/Setting", "0");
    host.put("./SCOMO/Inventory/Deployed/c2/Setting", "0");
    spec.bindings = {"./SCOMO/Inventory/Deployed/c1", "./SCOMO/Inventory/Deployed/c2"};
    spec.actions = {act("tune", 1, CommandKind::Replace, "${binding}/Setting", "1")};
    const auto r = run();
    ASSERT_EQ(r.actions.size(), 1U);
    EXPECT_EQ(r.result, ResultCode::Successful);
    EXPECT_EQ(host.data("./SCOMO/Inventory/Deployed/c1/Setting"), "1");
    EXPECT_EQ(host.data("./SCOMO/Inventory/Deployed/c2/Setting"), "1");
    EXPECT_EQ(host.executed().size(), 2U);
}

TEST_F(ActionRunner, BindingFailureFailsTheOneAction) {
    covers(req::MgmtPolicyMO_HLF_6);
    host.put("./M/c1/Setting", "0");
    spec.bindings = {"./M/c1", "./M/c2"};
    spec.actions = {act("tune", 1, CommandKind::Replace, "${binding}/Setting", "1")};
    const auto r = run();
    ASSERT_EQ(r.actions.size(), 1U);
    EXPECT_EQ(r.actions[0].status, StatusCode::NotFound);
    EXPECT_NE(r.actions[0].detail.find("./M/c2/Setting"), std::string::npos);
}

TEST_F(ActionRunner, SequenceReportsEveryBoundMo) {
    covers(req::MgmtPolicyMO_HLF_6, req::MgmtPolicyMO_MP_04);
    host.put("./M/c1/Setting", "0");
    host.put("./M/c3/Setting", "0");
    spec.bindings = {"./M/c1", "./M/c2", "./M/c3"};
    spec.actions = {act("tune", 1, CommandKind::Replace, "${binding}/Setting", "1")};
    const auto r = run();
    ASSERT_EQ(r.actions.size(), 1U);
    EXPECT_EQ(r.actions[0].status, StatusCode::NotFound);
    EXPECT_NE(r.actions[0].detail.find("./M/c2/Setting: 404"), std::string::npos) << r.actions[0].detail;
    EXPECT_NE(r.actions[0].detail.find("./M/c3/Setting: 215"), std::string::npos) << r.actions[0].detail;
    EXPECT_EQ(host.data("./M/c3/Setting"), "0");
}

TEST_F(ActionRunner, AtomicNamesTheFailingBoundMoNotTheRollback) {
    covers(req::MgmtPolicyMO_HLF_6, req::MgmtPolicyMO_MP_04);
    host.put("./M/c1/Setting", "0");
    spec.bindings = {"./M/c1", "./M/c2"};
    spec.mode = ActionMode::Atomic;
    spec.actions = {act("tune", 1, CommandKind::Replace, "${binding}/Setting", "1")};
    const auto r = run();
    ASSERT_EQ(r.actions.size(), 1U);
    EXPECT_EQ(r.result, ResultCode::AtomicRolledBack);
    EXPECT_EQ(r.actions[0].status, StatusCode::NotFound) << r.actions[0].detail; // not c1's 216
    EXPECT_NE(r.actions[0].detail.find("./M/c1/Setting: 216"), std::string::npos) << r.actions[0].detail;
    EXPECT_NE(r.actions[0].detail.find("./M/c2/Setting: 404"), std::string::npos) << r.actions[0].detail;
    EXPECT_EQ(host.data("./M/c1/Setting"), "0");
}

TEST(ExpandBinding, ReplacesEveryOccurrence) {
    covers(req::MgmtPolicyMO_HLF_6);
    EXPECT_EQ(expand_binding("${b}/X/${b}", "${b}", "./M"), "./M/X/./M");
    EXPECT_EQ(expand_binding("./plain", "${b}", "./M"), "./plain");
}

} // namespace
} // namespace omadm::policy
