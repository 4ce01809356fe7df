#include "fake_host.hpp"
#include "omadm/policy/errc.hpp"
#include "omadm/policy/policy_reader.hpp"
#include "omadm/policy/spec_writer.hpp"
#include "omadm/testing/covers.hpp"
#include "policy_fixture.hpp"

#include <gtest/gtest.h>

namespace omadm::policy {
namespace {

using omadm::testing::covers;
using testing::FakeHost;

const tree::NodeUri kUri = testing::node("./MgmtPolicy/p1");

base::Result<CompiledPolicy> read_back(const PolicySpec& spec, const ExtensionRegistry& ext = {}) {
    FakeHost host;
    const PolicyLayout layout;
    host.apply(download_writes(spec, layout, kUri));
    return read_policy(host, layout, ext, kUri);
}

Errc code_of(const base::Result<CompiledPolicy>& r) {
    return static_cast<Errc>(r.error().code.value());
}

TEST(PolicyReader, ReadsBackEveryPartOfTheSpec) {
    covers(req::MgmtPolicyMO_HLF_9, req::MgmtPolicyMO_MP_05, req::MgmtPolicyMO_HLF_1);
    auto spec = testing::threshold_spec("p1");
    spec.priority = 7;
    spec.conditions.push_back(testing::cond("ver", "./DevInfo/FwV", Operator::Ge, "1.10"));
    spec.conditions.back().compare = CompareMode::Version;
    spec.expression = "high and not ver";
    spec.actions.push_back(testing::act("read", 2, CommandKind::Get, "./DevInfo/FwV"));
    spec.mode = ActionMode::Atomic;
    spec.trigger.mode = TriggerMode::Both;
    spec.trigger.period = std::chrono::seconds{60};
    spec.trigger.valid_from = testing::t0();
    spec.trigger.valid_until = testing::t0() + std::chrono::hours{24};
    spec.notify = false;
    spec.ext = {ExtNode{"Vendor", {"", tree::Format::Node}},
                ExtNode{"Vendor/Tag", {"blue", tree::Format::Chr}}};
    const auto r = read_back(spec);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->spec, spec);
}

TEST(PolicyReader, ActionsAreSortedByOrder) {
    covers(req::MgmtPolicyMO_MP_04);
    auto spec = testing::threshold_spec("p1");
    spec.actions = {testing::act("z_first", 1, CommandKind::Get, "./A"),
                    testing::act("a_third", 3, CommandKind::Get, "./B"),
                    testing::act("m_second", 2, CommandKind::Get, "./C")};
    const auto r = read_back(spec);
    ASSERT_TRUE(r);
    ASSERT_EQ(r->spec.actions.size(), 3U);
    EXPECT_EQ(r->spec.actions[0].name, "z_first");
    EXPECT_EQ(r->spec.actions[1].name, "m_second");
    EXPECT_EQ(r->spec.actions[2].name, "a_third");
}

TEST(PolicyReader, EmptyExpressionMeansAllConditions) {
    covers(req::MgmtPolicyMO_MP_03);
    auto spec = testing::threshold_spec("p1");
    spec.conditions.push_back(testing::cond("net", "./Net", Operator::Eq, "LTE"));
    spec.expression.clear();
    const auto r = read_back(spec);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->expression.evaluate(std::array{true, false}));
    EXPECT_TRUE(r->expression.evaluate(std::array{true, true}));
}

TEST(PolicyReader, ExpressionErrorsAreRejectedAtReadTime) {
    covers(req::MgmtPolicyMO_MP_03, req::MgmtPolicyMO_HLF_1);
    auto spec = testing::threshold_spec("p1");
    spec.expression = "high and (";
    auto r = read_back(spec);
    ASSERT_FALSE(r);
    EXPECT_EQ(code_of(r), Errc::ExpressionSyntax);
    EXPECT_NE(r.error().detail.find("Expression"), std::string::npos);
    spec.expression = "high or missing";
    r = read_back(spec);
    ASSERT_FALSE(r);
    EXPECT_EQ(code_of(r), Errc::UnknownCondition);
    EXPECT_EQ(status_for(Errc::UnknownCondition), base::StatusCode::BadRequest);
}

TEST(PolicyReader, RejectsMalformedPolicies) {
    covers(req::MgmtPolicyMO_HLF_1, req::MgmtPolicyMO_MP_01, req::MgmtPolicyMO_MP_02);
    struct Bad {
        const char* what;
        void (*mutate)(PolicySpec&);
        Errc expected;
    };
    const Bad cases[] = {
        {"unknown operator",
         [](PolicySpec& s) {
             s.conditions[0] = testing::cond("high", "./S", Operator::Extension);
             s.conditions[0].extension_operator = "between";
         },
         Errc::UnknownOperator},
        {"relative condition uri", [](PolicySpec& s) { s.conditions[0].uri = "Sensor"; }, Errc::BadValue},
        {"no action", [](PolicySpec& s) { s.actions.clear(); }, Errc::Inconsistent},
        {"unknown command",
         [](PolicySpec& s) {
             s.actions[0].command.reset();
             s.actions[0].extension_kind = "Reboot";
         },
         Errc::UnknownCommand},
        {"copy without source", [](PolicySpec& s) { s.actions[0].command = CommandKind::Copy; },
         Errc::MissingNode},
        {"placeholder unbound", [](PolicySpec& s) { s.actions[0].target = "${binding}/X"; },
         Errc::UnboundPlaceholder},
        {"periodic without period", [](PolicySpec& s) { s.trigger.mode = TriggerMode::Periodic; },
         Errc::BadValue},
        {"empty window",
         [](PolicySpec& s) {
             s.trigger.valid_from = testing::t0();
             s.trigger.valid_until = testing::t0();
         },
         Errc::BadValue},
        {"on change without condition",
         [](PolicySpec& s) {
             s.conditions.clear();
             s.expression.clear();
         },
         Errc::Inconsistent},
    };
    for (const auto& c : cases) {
        auto spec = testing::threshold_spec("p1");
        c.mutate(spec);
        const auto r = read_back(spec);
        ASSERT_FALSE(r) << c.what;
        EXPECT_EQ(code_of(r), c.expected) << c.what << ": " << r.error().detail;
        EXPECT_FALSE(r.error().detail.empty());
    }
}

TEST(PolicyReader, EnumeratedValuesAreWrittenAndReadInTheLayoutsSpelling) {
    covers(req::MgmtPolicyMO_HLF_1);
    PolicyLayout layout;
    layout.values.condition_operator.pairs = {{"gt", ">"}};
    layout.values.action_mode.pairs = {{"Atomic", "AllOrNothing"}};
    layout.values.trigger_mode.pairs = {{"Both", "EdgeAndTimer"}};
    auto spec = testing::threshold_spec("p1");
    spec.mode = ActionMode::Atomic;
    spec.trigger.mode = TriggerMode::Both;
    spec.trigger.period = std::chrono::seconds{60};
    FakeHost host;
    host.apply(download_writes(spec, layout, kUri));
    EXPECT_EQ(host.data(kUri / "Conditions" / "Simple" / "high" / "Operator"), ">");
    EXPECT_EQ(host.data(kUri / "Actions" / "Mode"), "AllOrNothing");
    EXPECT_EQ(host.data(kUri / "Trigger" / "Mode"), "EdgeAndTimer");

    const auto r = read_policy(host, layout, {}, kUri);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->spec.conditions.at(0).op, Operator::Gt);
    EXPECT_EQ(r->spec.mode, ActionMode::Atomic);
    EXPECT_EQ(r->spec.trigger.mode, TriggerMode::Both);
    // In the reference spelling, AllOrNothing is no Mode.
    EXPECT_FALSE(read_policy(host, PolicyLayout{}, {}, kUri));
}

TEST(PolicyReader, MissingMandatoryNodeNamesIt) {
    covers(req::MgmtPolicyMO_HLF_1);
    FakeHost host;
    const PolicyLayout layout;
    host.apply(download_writes(testing::threshold_spec("p1"), layout, kUri));
    ASSERT_EQ(host.remove_internal(kUri / "Version"), base::StatusCode::Ok);
    const auto r = read_policy(host, layout, {}, kUri);
    ASSERT_FALSE(r);
    EXPECT_EQ(code_of(r), Errc::MissingNode);
    EXPECT_NE(r.error().detail.find("Version"), std::string::npos);
}

TEST(PolicyReader, BadLeafValuesAreRejected) {
    covers(req::MgmtPolicyMO_HLF_1);
    const std::pair<std::string, std::string> cases[] = {
        {"/Priority", "high"},
        {"/Actions/Mode", "Parallel"},
        {"/Trigger/Mode", "Sometimes"},
        {"/Trigger/Period", "-5"},
        {"/Conditions/Simple/high/Compare", "semver"},
        {"/Notify/Enabled", "yes"},
        {"/Actions/Simple/set/Format", "text"},
    };
    for (const auto& [node, value] : cases) {
        FakeHost host;
        const PolicyLayout layout;
        host.apply(download_writes(testing::threshold_spec("p1"), layout, kUri));
        host.put(kUri.str() + node, value);
        const auto r = read_policy(host, layout, {}, kUri);
        ASSERT_FALSE(r) << node;
        EXPECT_EQ(code_of(r), Errc::BadValue) << node;
    }
}

TEST(PolicyReader, AtomicModeRejectsExtensionActions) {
    covers(req::MgmtPolicyMO_MP_04, req::MgmtPolicyMO_OSR_02);
    ExtensionRegistry ext;
    ASSERT_TRUE(ext.add_action_kind("Beep", [](const ExtensionActionContext&) { return ActionOutcome{}; }));
    auto spec = testing::threshold_spec("p1");
    spec.actions[0].command.reset();
    spec.actions[0].extension_kind = "Beep";
    EXPECT_TRUE(read_back(spec, ext));
    spec.mode = ActionMode::Atomic;
    const auto r = read_back(spec, ext);
    ASSERT_FALSE(r);
    EXPECT_EQ(code_of(r), Errc::Inconsistent);
}

} // namespace
} // namespace omadm::policy
