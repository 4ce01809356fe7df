#include "omadm/agent/agent.hpp"
#include "omadm/policy/spec_writer.hpp"
#include "omadm/testing/covers.hpp"
#include "omadm/tree/tree_store.hpp"

#include <gtest/gtest.h>
#include <map>

namespace omadm::agent {
namespace {

using base::StatusCode;

class MemoryAlerts final : public policy::AlertStore {
public:
    base::Result<void> save(const policy::QueuedAlert& a) override {
        saved[a.id.value()] = a;
        return {};
    }
    base::Result<void> erase(policy::AlertId id) override {
        saved.erase(id.value());
        return {};
    }
    base::Result<std::vector<policy::QueuedAlert>> load() override {
        std::vector<policy::QueuedAlert> out;
        for (const auto& [id, a] : saved)
            out.push_back(a);
        return out;
    }
    std::map<std::uint64_t, policy::QueuedAlert> saved;
};

const base::ServerId kS1{"s1"};
const base::ServerId kS2{"s2"};

policy::SimpleAction action(std::string name, policy::CommandKind kind, std::string target,
                            std::string data = {});

/// A policy: when `watched` equals `value`, run `actions` (by default, write ./Vendor/Out).
policy::PolicySpec spec(std::string id, std::string watched, std::string value,
                        std::vector<policy::SimpleAction> actions) {
    if (actions.empty()) actions.push_back(action("a1", policy::CommandKind::Replace, "./Vendor/Level", "0"));
    policy::PolicySpec s;
    s.id = id;
    s.name = id;
    s.version = "1";
    s.conditions.push_back({"c1", std::move(watched), policy::Operator::Eq, {}, std::move(value), {}});
    s.actions = std::move(actions);
    return s;
}

policy::SimpleAction action(std::string name, policy::CommandKind kind, std::string target,
                            std::string data) {
    policy::SimpleAction a;
    a.name = std::move(name);
    a.order = 1;
    a.command = kind;
    a.target = std::move(target);
    a.data = std::move(data);
    return a;
}

tree::NodeUri node(std::string_view text) {
    return tree::NodeUri::parse(text).value();
}

syncml::Command add_command(const policy::NodeWrite& w) {
    syncml::Add add;
    syncml::Item item;
    item.target = syncml::Location{w.uri.str(), std::nullopt};
    syncml::Meta meta;
    meta.format = std::string(tree::format_name(w.format));
    if (!w.type.empty()) meta.type = w.type;
    item.meta = meta;
    if (!w.interior()) item.data = w.value;
    add.items.push_back(std::move(item));
    return add;
}

syncml::Command exec_command(std::string target) {
    syncml::Exec exec;
    exec.item.target = syncml::Location{std::move(target), std::nullopt};
    return exec;
}

syncml::Command replace_command(std::string target, std::string value) {
    syncml::Replace r;
    syncml::Item item;
    item.target = syncml::Location{std::move(target), std::nullopt};
    item.data = std::move(value);
    r.items.push_back(std::move(item));
    return r;
}

class AgentTest : public ::testing::Test {
protected:
    AgentTest() {
        const auto boot = tree::Principal::bootstrap();
        for (const auto* uri : {"./MgmtPolicy", "./Vendor"}) {
            EXPECT_EQ(tree_.add(boot, *tree::NodeUri::parse(uri),
                                tree::NodeContent{tree::Format::Node, {}, {}}, {}),
                      StatusCode::Ok);
        }
        EXPECT_EQ(tree_.replace(boot, *tree::TargetUri::parse(".?prop=ACL"),
                                tree::NodeContent{{}, {}, "Add=*&Get=*&Replace=*&Delete=*&Exec=*"}, {}),
                  StatusCode::Ok);
        EXPECT_EQ(
            tree_.add(boot, *tree::NodeUri::parse("./Vendor/Level"), tree::NodeContent{{}, {}, "0"}, {}),
            StatusCode::Ok);
        EXPECT_TRUE(agent_.start(now_).has_value());
        (void)agent_.take_events();
    }

    /// Downloads a policy as `server`, one Add per node, in one session.
    std::vector<session::CommandOutcome> download(const policy::PolicySpec& s, const base::ServerId& server) {
        std::vector<session::CommandOutcome> out;
        for (const auto& w : policy::download_writes(s, layout_, node("./MgmtPolicy/" + s.id)))
            out.push_back(agent_.handle(add_command(w), context(server)));
        agent_.end_batch(now_);
        return out;
    }
    session::CommandOutcome in_session(const syncml::Command& c, const base::ServerId& server) {
        auto out = agent_.handle(c, context(server));
        agent_.end_batch(now_);
        return out;
    }
    session::CommandContext context(const base::ServerId& server) const {
        return session::CommandContext{base::SessionId{"1"}, server, session::MsgId{1}, "DM/1.3", now_};
    }
    std::optional<policy::PolicyState> state(std::string_view id) const {
        return agent_.engine().state(node("./MgmtPolicy/" + std::string(id)));
    }
    template <class E> std::vector<E> events_of() {
        std::vector<E> out;
        for (auto& e : agent_.take_events()) {
            if (auto* x = std::get_if<E>(&e)) out.push_back(*x);
        }
        return out;
    }

    base::TimePoint now_{std::chrono::seconds(1'800'000'000)};
    policy::PolicyLayout layout_;
    tree::Tree tree_;
    MemoryAlerts alerts_;
    Agent agent_{tree_, alerts_, AgentOptions{layout_, {}, base::ServerId{"device-account"}}};
};

TEST_F(AgentTest, APolicyAddedNodeByNodeIsInstalledWhenTheSessionEnds) {
    omadm::testing::covers(req::MgmtPolicyMO_HLF_1);
    const auto outs = download(spec("p1", "./Vendor/Level", "5", {}), kS1);
    for (const auto& o : outs)
        EXPECT_EQ(o.code, StatusCode::Ok);

    EXPECT_EQ(state("p1"), policy::PolicyState::Inactive);
    // The policy belongs to the server of the session that downloaded it.
    EXPECT_TRUE(agent_.engine().may_manage(node("./MgmtPolicy/p1"), kS1));
    EXPECT_FALSE(agent_.engine().may_manage(node("./MgmtPolicy/p1"), kS2));
}

TEST_F(AgentTest, AnIncompletePolicyIsTakenOutAtTheEndOfItsBatch) {
    omadm::testing::covers(req::MgmtPolicyMO_HLF_1);
    // Only the policy's interior node and its id: no Version, no Conditions.
    ASSERT_EQ(
        agent_
            .handle(add_command({policy::WriteOp::Add, node("./MgmtPolicy/bad"), tree::Format::Node, {}, {}}),
                    context(kS1))
            .code,
        StatusCode::Ok);
    agent_.end_batch(now_);
    EXPECT_FALSE(state("bad").has_value());
    EXPECT_FALSE(tree_.exists(*tree::NodeUri::parse("./MgmtPolicy/bad")));
    const auto removed = events_of<InvalidPolicyRemoved>();
    ASSERT_EQ(removed.size(), 1U);
    EXPECT_EQ(removed.front().policy, node("./MgmtPolicy/bad"));
}

TEST_F(AgentTest, AnInvalidPolicyIsRefusedAtTheLastCommandOfItsPackageThatWroteIt) {
    omadm::testing::covers(req::MgmtPolicyMO_HLF_1);
    auto bad = spec("bad", "./Vendor/Level", "5", {});
    bad.expression = "c1 and c9"; // no condition c9
    std::vector<syncml::Command> package;
    for (const auto& w : policy::download_writes(bad, layout_, node("./MgmtPolicy/bad")))
        package.push_back(add_command(w));
    const std::size_t last_write = package.size() - 1;
    for (const auto& w :
         policy::download_writes(spec("good", "./Vendor/Level", "5", {}), layout_, node("./MgmtPolicy/good")))
        package.push_back(add_command(w));
    package.push_back(replace_command("./Vendor/Level", "1")); // outside any policy
    for (const auto& c : package)
        ASSERT_EQ(agent_.handle(c, context(kS1)).code, StatusCode::Ok); // each Add alone is fine

    const auto refused = agent_.end_package(now_);

    ASSERT_EQ(refused.size(), 1U);
    EXPECT_EQ(refused.front().command, last_write);
    EXPECT_FALSE(base::is_success(refused.front().code));
    EXPECT_NE(refused.front().reason.find("./MgmtPolicy/bad"), std::string::npos) << refused.front().reason;
    EXPECT_NE(refused.front().reason.find("c9"), std::string::npos) << refused.front().reason;
    EXPECT_FALSE(tree_.exists(*tree::NodeUri::parse("./MgmtPolicy/bad")));
    EXPECT_EQ(state("good"), policy::PolicyState::Inactive); // installed at the end of its package
    const auto removed = events_of<InvalidPolicyRemoved>();
    ASSERT_EQ(removed.size(), 1U);
    EXPECT_EQ(removed.front().reason.empty(), false);
    // The next package numbers its commands from 0 again.
    ASSERT_EQ(agent_
                  .handle(add_command(
                              {policy::WriteOp::Add, node("./MgmtPolicy/bad2"), tree::Format::Node, {}, {}}),
                          context(kS1))
                  .code,
              StatusCode::Ok);
    const auto again = agent_.end_package(now_);
    ASSERT_EQ(again.size(), 1U);
    EXPECT_EQ(again.front().command, 0U);
}

TEST_F(AgentTest, AnotherServerCannotChangeAPolicyItDoesNotOwn) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    download(spec("p1", "./Vendor/Level", "5", {}), kS1);
    (void)agent_.take_events();
    EXPECT_EQ(in_session(replace_command("./MgmtPolicy/p1/Name", "mine"), kS2).code,
              StatusCode::PermissionDenied);
    EXPECT_EQ(events_of<OwnershipRefused>().size(), 1U);
    EXPECT_EQ(in_session(exec_command("./MgmtPolicy/p1/Operations/Activate"), kS2).code,
              StatusCode::PermissionDenied);
    EXPECT_EQ(state("p1"), policy::PolicyState::Inactive);
    EXPECT_EQ(in_session(exec_command("./MgmtPolicy/p1/Operations/Activate"), kS1).code, StatusCode::Ok);
    EXPECT_EQ(state("p1"), policy::PolicyState::Active);
}

TEST_F(AgentTest, AServerChangeFiresAPolicyAfterTheCommandAndTheActionWritesTheTree) {
    omadm::testing::covers(req::MgmtPolicyMO_Device_03);
    download(
        spec("p1", "./Vendor/Level", "5", {action("a1", policy::CommandKind::Add, "./Vendor/Out", "hit")}),
        kS1);
    ASSERT_EQ(in_session(exec_command("./MgmtPolicy/p1/Operations/Activate"), kS1).code, StatusCode::Ok);
    (void)agent_.take_events();
    EXPECT_EQ(in_session(replace_command("./Vendor/Level", "5"), kS1).code, StatusCode::Ok);
    const auto* out = tree_.find(*tree::NodeUri::parse("./Vendor/Out"));
    ASSERT_NE(out, nullptr);
    EXPECT_EQ(out->value, "hit");
    EXPECT_EQ(agent_.pending_alerts().size(), 1U);
}

TEST_F(AgentTest, AnActionActivatingAnotherPolicyIsRunAfterTheEngineReturns) {
    omadm::testing::covers(req::MgmtPolicyMO_Device_02);
    // p2 reacts to ./Vendor/Level=7 by writing ./Vendor/Out; p1 reacts to Level=5 by activating p2.
    download(spec("p2", "./Vendor/Level", "7",
                  {action("a1", policy::CommandKind::Replace, "./Vendor/Level", "8")}),
             kS1);
    download(spec("p1", "./Vendor/Level", "5",
                  {action("a1", policy::CommandKind::Exec, "./MgmtPolicy/p2/Operations/Activate")}),
             kS1);
    ASSERT_EQ(in_session(exec_command("./MgmtPolicy/p1/Operations/Activate"), kS1).code, StatusCode::Ok);
    (void)agent_.take_events();
    ASSERT_EQ(in_session(replace_command("./Vendor/Level", "5"), kS1).code, StatusCode::Ok);
    EXPECT_EQ(state("p2"), policy::PolicyState::Active);
    // p1's action completed (accepted) before the activation it asked for ran.
    std::optional<std::size_t> p1_completed;
    std::optional<std::size_t> p2_activated;
    std::vector<DeferredExecDone> done;
    const auto events = agent_.take_events();
    for (std::size_t i = 0; i < events.size(); ++i) {
        if (const auto* p = std::get_if<policy::PolicyEvent>(&events[i])) {
            const auto* c = std::get_if<policy::ActionsCompleted>(p);
            if (c != nullptr && c->policy == node("./MgmtPolicy/p1")) {
                p1_completed = i;
                ASSERT_EQ(c->actions.size(), 1U);
                EXPECT_EQ(c->actions.front().status, StatusCode::Ok);
            }
            const auto* sc = std::get_if<policy::StateChanged>(p);
            if (sc != nullptr && sc->policy == node("./MgmtPolicy/p2")) p2_activated = i;
        }
        if (const auto* d = std::get_if<DeferredExecDone>(&events[i])) done.push_back(*d);
    }
    ASSERT_TRUE(p1_completed && p2_activated);
    EXPECT_LT(*p1_completed, *p2_activated);
    ASSERT_EQ(done.size(), 1U);
    EXPECT_EQ(done.front().target, "./MgmtPolicy/p2/Operations/Activate");
    EXPECT_EQ(done.front().code, StatusCode::Ok);
}

TEST_F(AgentTest, AChainOfOperationsAskedForByActionsIsBounded) {
    // p1 fires on activation (its condition holds) and deactivates then re-activates itself: without
    // a bound this never ends.
    auto s = spec("p1", "./Vendor/Level", "0",
                  {action("a1", policy::CommandKind::Exec, "./MgmtPolicy/p1/Operations/Deactivate"),
                   action("a2", policy::CommandKind::Exec, "./MgmtPolicy/p1/Operations/Activate")});
    s.actions[1].order = 2;
    download(s, kS1);
    (void)agent_.take_events();
    (void)in_session(exec_command("./MgmtPolicy/p1/Operations/Activate"), kS1);
    const auto done = events_of<DeferredExecDone>();
    ASSERT_FALSE(done.empty());
    EXPECT_LT(done.size(), 64U);
    EXPECT_EQ(done.back().code, StatusCode::CommandFailed);
}

TEST_F(AgentTest, DeviceValuesAreFollowedOnlyWhenAsked) {
    omadm::testing::covers(req::MgmtPolicyMO_IOP_01);
    download(
        spec("p1", "./Vendor/Level", "5", {action("a1", policy::CommandKind::Add, "./Vendor/Out", "hit")}),
        kS1);
    ASSERT_EQ(in_session(exec_command("./MgmtPolicy/p1/Operations/Activate"), kS1).code, StatusCode::Ok);
    const DeviceValue level{"./Vendor/Level", tree::Format::Chr, "5"};
    EXPECT_EQ(agent_.write_device_values({&level, 1}, Follow::No, now_).code, StatusCode::Ok);
    EXPECT_FALSE(tree_.exists(*tree::NodeUri::parse("./Vendor/Out")));
    const DeviceValue reset{"./Vendor/Level", tree::Format::Chr, "0"};
    EXPECT_EQ(agent_.write_device_values({&reset, 1}, Follow::Yes, now_).code, StatusCode::Ok);
    EXPECT_EQ(agent_.write_device_values({&level, 1}, Follow::Yes, now_).code, StatusCode::Ok);
    EXPECT_TRUE(tree_.exists(*tree::NodeUri::parse("./Vendor/Out")));
}

TEST_F(AgentTest, LocalCommandsAreOneBatch) {
    omadm::testing::covers(req::MgmtPolicyMO_Device_02);
    std::vector<syncml::Command> commands;
    for (const auto& w :
         policy::download_writes(spec("p1", "./Vendor/Level", "5", {}), layout_, node("./MgmtPolicy/p1")))
        commands.push_back(add_command(w));
    const auto outs = agent_.run_local(commands, tree::Principal::device(), now_);
    ASSERT_EQ(outs.size(), commands.size());
    EXPECT_EQ(state("p1"), policy::PolicyState::Inactive);
    EXPECT_EQ(events_of<CommandExecuted>().size(), commands.size());
}

TEST_F(AgentTest, IgnoreActivateDeviationAnswers200AndLeavesThePolicyInactive) {
    omadm::testing::covers(req::MgmtPolicyMO_HLF_3);
    Deviations d;
    d.ignore_activate = true;
    agent_.set_deviations(d);
    for (const auto& out : download(spec("p1", "./Vendor/Level", "5", {}), kS1))
        ASSERT_EQ(out.code, StatusCode::Ok);
    (void)agent_.take_events();

    EXPECT_EQ(in_session(exec_command("./MgmtPolicy/p1/Operations/Activate"), kS1).code, StatusCode::Ok);

    EXPECT_EQ(state("p1"), policy::PolicyState::Inactive);
    const auto applied = events_of<DeviationApplied>();
    ASSERT_EQ(applied.size(), 1U);
    EXPECT_EQ(applied.front().deviation, "ignore_activate");
}

TEST_F(AgentTest, PolicyDeviationsReachTheEngine) {
    omadm::testing::covers(req::MgmtPolicyMO_HLF_5);
    Deviations d;
    d.policy.stale_results = true;
    agent_.set_deviations(d);
    for (const auto& out : download(spec("p1", "./Vendor/Level", "5", {}), kS1))
        ASSERT_EQ(out.code, StatusCode::Ok);
    ASSERT_EQ(in_session(exec_command("./MgmtPolicy/p1/Operations/Activate"), kS1).code, StatusCode::Ok);
    (void)agent_.take_events();

    (void)agent_.run_local(std::vector{replace_command("./Vendor/Level", "5")}, tree::Principal::device(),
                           now_);

    EXPECT_EQ(tree_.find(*tree::NodeUri::parse("./Vendor/Level"))->value, "0"); // the action ran
    EXPECT_EQ(tree_.find(*tree::NodeUri::parse("./MgmtPolicy/p1/Results/Count"))->value, "0");
}

} // namespace
} // namespace omadm::agent
