#include "omadm/policy/errc.hpp"
#include "omadm/policy/policy_description.hpp"
#include "omadm/testing/covers.hpp"
#include "policy_fixture.hpp"

#include <functional>
#include <gtest/gtest.h>

namespace omadm::policy {
namespace {

using namespace std::chrono_literals;
using omadm::testing::covers;

// {"id": "p1", "version": "1.0", "conditions": [...], "actions": [...]} as a server's JSON gives it.
DescValue minimal() {
    return DescObject{
        {"id", "p1"},
        {"version", "1.0"},
        {"conditions",
         DescArray{DescObject{{"id", "high"}, {"uri", "./Sensor/Level"}, {"operator", "gt"}, {"value", 50}}}},
        {"actions", DescArray{DescObject{
                        {"id", "set"}, {"command", "Replace"}, {"target", "./Out/Flag"}, {"data", "on"}}}},
    };
}

DescObject& object(DescValue& v) {
    return std::get<DescObject>(v.value);
}

DescValue& field(DescValue& v, std::string_view name) {
    for (auto& [key, value] : object(v)) {
        if (key == name) return value;
    }
    object(v).emplace_back(std::string(name), DescValue{});
    return object(v).back().second;
}

std::string error_of(const DescValue& d, const DescriptionOptions& options = {}) {
    const auto r = spec_from_description(d, options);
    return r ? std::string("<ok>") : r.error().detail;
}

TEST(SpecFromDescription, MinimalDescriptionMapsOntoTheSpec) {
    covers(req::MgmtPolicyMO_HLF_9, req::MgmtPolicyMO_MP_01, req::MgmtPolicyMO_MP_02);
    const auto r = spec_from_description(minimal());
    ASSERT_TRUE(r) << r.error().detail;
    const auto& spec = *r;
    EXPECT_EQ(spec.id, "p1");
    EXPECT_EQ(spec.version, "1.0");
    ASSERT_EQ(spec.conditions.size(), 1U);
    EXPECT_EQ(spec.conditions[0].name, "high");
    EXPECT_EQ(spec.conditions[0].op, Operator::Gt);
    EXPECT_EQ(spec.conditions[0].value, "50"); // a number is written as the chr leaf holds it
    ASSERT_EQ(spec.actions.size(), 1U);
    EXPECT_EQ(spec.actions[0].command, CommandKind::Replace);
    EXPECT_EQ(spec.actions[0].order, 0U);
    EXPECT_EQ(spec.trigger.mode, TriggerMode::OnChange);
    EXPECT_TRUE(spec.notify);
}

TEST(SpecFromDescription, EveryFieldIsMapped) {
    covers(req::MgmtPolicyMO_HLF_9, req::MgmtPolicyMO_MP_03, req::MgmtPolicyMO_MP_04, req::MgmtPolicyMO_MP_05,
           req::MgmtPolicyMO_HLF_6, req::MgmtPolicyMO_OSR_02);
    auto d = minimal();
    field(d, "name") = "threshold";
    field(d, "priority") = 7;
    field(d, "expression") = "not high";
    field(d, "mode") = "Atomic";
    field(d, "bindings") = DescArray{"./SCOMO/Inventory/Deployed/a1"};
    field(d, "notify") = DescObject{{"enabled", false}};
    field(d, "trigger") = DescObject{{"mode", "Both"},
                                     {"period_s", 30},
                                     {"valid_from", "2025-03-01T00:00:00Z"},
                                     {"valid_until", "20250401T000000Z"}};
    field(d, "actions") = DescArray{
        DescObject{
            {"id", "second"}, {"order", 2}, {"command", "Exec"}, {"target", "${binding}/Operations/Start"}},
        DescObject{{"id", "first"},
                   {"order", 1},
                   {"command", "Add"},
                   {"target", "./Out/New"},
                   {"data", 1.5},
                   {"format", "float"},
                   {"type", "text/plain"}},
    };
    field(d, "ext") = DescObject{{"com.example", DescObject{{"Color", "red"}, {"Level", 3}}}};
    const auto r = spec_from_description(d);
    ASSERT_TRUE(r) << r.error().detail;
    const auto& s = *r;
    EXPECT_EQ(s.name, "threshold");
    EXPECT_EQ(s.priority, 7);
    EXPECT_EQ(s.expression, "not high");
    EXPECT_EQ(s.mode, ActionMode::Atomic);
    EXPECT_EQ(s.bindings, std::vector<std::string>{"./SCOMO/Inventory/Deployed/a1"});
    EXPECT_FALSE(s.notify);
    EXPECT_EQ(s.trigger.mode, TriggerMode::Both);
    EXPECT_EQ(s.trigger.period, 30s);
    EXPECT_EQ(s.trigger.valid_from, testing::t0());
    ASSERT_EQ(s.actions.size(), 2U);
    EXPECT_EQ(s.actions[0].name, "first"); // sorted by order
    EXPECT_EQ(s.actions[0].data, "1.5");
    EXPECT_EQ(s.actions[0].format, tree::Format::Float);
    const std::vector<ExtNode> ext = {{"com.example", {"", tree::Format::Node}},
                                      {"com.example/Color", {"red", tree::Format::Chr}},
                                      {"com.example/Level", {"3", tree::Format::Int}}};
    EXPECT_EQ(s.ext, ext);
}

TEST(SpecFromDescription, ShortFormsOfTriggerAndNotify) {
    covers(req::MgmtPolicyMO_HLF_9, req::MgmtPolicyMO_Device_03);
    auto d = minimal();
    field(d, "trigger") = "OnChange";
    field(d, "notify") = false;
    const auto r = spec_from_description(d);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->trigger.mode, TriggerMode::OnChange);
    EXPECT_FALSE(r->notify);
}

TEST(SpecFromDescription, DescribedPolicyInstallsOnTheDevice) {
    covers(req::MgmtPolicyMO_HLF_1, req::MgmtPolicyMO_HLF_9);
    const auto r = spec_from_description(minimal());
    ASSERT_TRUE(r);
    testing::EngineFixture f;
    EXPECT_EQ(f.install(*r, "p1").status, base::StatusCode::Ok);
    EXPECT_EQ(f.engine.find(f.uri("p1"))->spec, *r);
}

TEST(SpecFromDescription, ExtensionNamesAreAcceptedWhenDeclared) {
    covers(req::MgmtPolicyMO_OSR_02);
    auto d = minimal();
    field(d, "conditions") = DescArray{
        DescObject{{"id", "near"}, {"uri", "./DevDetail/Ext/SysProps/Location"}, {"operator", "near"}}};
    field(d, "actions") =
        DescArray{DescObject{{"id", "x"}, {"command", "Reboot"}, {"target", "./DevDetail"}}};
    EXPECT_EQ(error_of(d), "conditions[0].operator: unknown operator 'near'");
    DescriptionOptions options;
    options.extension_operators = {"near"};
    options.extension_commands = {"Reboot"};
    const auto r = spec_from_description(d, options);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->conditions[0].op, Operator::Extension);
    EXPECT_EQ(r->actions[0].extension_kind, "Reboot");
}

struct BadCase {
    const char* what;
    std::function<void(DescValue&)> edit;
    const char* detail;
    Errc code;
};

TEST(SpecFromDescription, ErrorsNameTheFieldPath) {
    covers(req::MgmtPolicyMO_HLF_9, req::MgmtPolicyMO_MP_05);
    const auto action = [](DescValue& d, std::size_t i) -> DescValue& {
        auto& list = std::get<DescArray>(field(d, "actions").value);
        while (list.size() <= i)
            list.push_back(DescObject{
                {"id", "a" + std::to_string(list.size())}, {"command", "Get"}, {"target", "./Out/Flag"}});
        return list[i];
    };
    const std::vector<BadCase> cases = {
        {"not an object", [](DescValue& d) { d = DescArray{}; }, "description: expected an object, got array",
         Errc::BadValue},
        {"missing id", [](DescValue& d) { field(d, "id") = nullptr; }, "id: missing", Errc::MissingNode},
        {"version as number", [](DescValue& d) { field(d, "version") = 1.0; },
         "version: expected a string, got double", Errc::BadValue},
        {"unknown field", [](DescValue& d) { field(d, "colour") = "red"; }, "colour: unknown field",
         Errc::BadValue},
        {"unknown command", [&](DescValue& d) { field(action(d, 1), "command") = "Foo"; },
         "actions[1].command: unknown command 'Foo'", Errc::UnknownCommand},
        {"relative target", [&](DescValue& d) { field(action(d, 0), "target") = "Out"; },
         "actions[0].target: not an absolute URI: 'Out'", Errc::BadValue},
        {"negative order", [&](DescValue& d) { field(action(d, 0), "order") = -1; },
         "actions[0].order: -1 is outside [0, 4294967295]", Errc::BadValue},
        {"unbound placeholder", [&](DescValue& d) { field(action(d, 0), "target") = "${binding}/X"; },
         "actions[0].target: uses ${binding} but there are no bindings", Errc::UnboundPlaceholder},
        {"duplicate action id", [&](DescValue& d) { field(action(d, 1), "id") = "set"; },
         "actions[1].id: duplicate 'set'", Errc::BadValue},
        {"no action", [](DescValue& d) { field(d, "actions") = DescArray{}; }, "actions: at least one action",
         Errc::Inconsistent},
        {"bad compare",
         [](DescValue& d) {
             field(std::get<DescArray>(field(d, "conditions").value)[0], "compare") = "loose";
         },
         "conditions[0].compare: must be text or version, not 'loose'", Errc::BadValue},
        {"bad mode", [](DescValue& d) { field(d, "mode") = "Parallel"; },
         "mode: must be Sequence or Atomic, not 'Parallel'", Errc::BadValue},
        {"periodic string", [](DescValue& d) { field(d, "trigger") = "Periodic"; },
         "trigger: a string trigger must be OnChange, not 'Periodic'", Errc::BadValue},
        {"period missing",
         [](DescValue& d) {
             field(d, "trigger") = DescObject{{"mode", "Periodic"}};
         },
         "trigger.period_s: required by a periodic trigger", Errc::MissingNode},
        {"bad date",
         [](DescValue& d) {
             field(d, "trigger") = DescObject{{"valid_from", "tomorrow"}};
         },
         "trigger.valid_from: not an ISO 8601 date-time: 'tomorrow'", Errc::BadValue},
        {"bad notify",
         [](DescValue& d) {
             field(d, "notify") = DescObject{{"enabled", "yes"}};
         },
         "notify.enabled: expected a bool, got string", Errc::BadValue},
        {"binding not a string",
         [](DescValue& d) {
             field(d, "bindings") = DescArray{"./A", 3};
         },
         "bindings[1]: expected a string, got int", Errc::BadValue},
        {"ext array",
         [](DescValue& d) {
             field(d, "ext") = DescObject{{"list", DescArray{}}};
         },
         "ext.list: expected a scalar or an object, got array", Errc::BadValue},
        {"expression", [](DescValue& d) { field(d, "expression") = "high and ghost"; },
         "expression: ", Errc::UnknownCondition},
    };
    for (const auto& c : cases) {
        auto d = minimal();
        c.edit(d);
        const auto r = spec_from_description(d);
        ASSERT_FALSE(r) << c.what;
        EXPECT_EQ(r.error().detail.rfind(c.detail, 0), 0U) << c.what << ": " << r.error().detail;
        EXPECT_EQ(r.error().code, make_error_code(c.code)) << c.what;
    }
}

} // namespace
} // namespace omadm::policy
