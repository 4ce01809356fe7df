#include "omadm/policy/extension_registry.hpp"
#include "omadm/testing/covers.hpp"
#include "policy_fixture.hpp"

#include <cstdlib>
#include <gtest/gtest.h>

namespace omadm::policy::testing {
namespace {

TEST(ExtensionRegistry, BuiltInNamesCannotBeRegistered) {
    covers(req::MgmtPolicyMO_OSR_02);
    ExtensionRegistry r;
    EXPECT_FALSE(r.add_operator("eq", [](const auto&, std::string_view) { return true; }));
    EXPECT_FALSE(r.add_action_kind("Replace", [](const ExtensionActionContext&) { return ActionOutcome{}; }));
    EXPECT_TRUE(r.add_operator("near", [](const auto&, std::string_view) { return true; }));
    EXPECT_FALSE(r.add_operator("near", [](const auto&, std::string_view) { return true; }));
    EXPECT_NE(r.find_operator("near"), nullptr);
    EXPECT_EQ(r.find_operator("far"), nullptr);
}

// A device-specific operator "within" ("|value - n| <= d" written "n:d") and an action kind "Log"
// that records its data under ./Vendor/Log.
EngineOptions vendor_options() {
    EngineOptions o;
    o.extensions.add_operator("within", [](const std::optional<NodeValue>& node, std::string_view value) {
        if (!node) return false;
        const auto colon = value.find(':');
        const int n = std::atoi(std::string(value.substr(0, colon)).c_str());
        const int d = std::atoi(std::string(value.substr(colon + 1)).c_str());
        return std::abs(std::atoi(node->data.c_str()) - n) <= d;
    });
    o.extensions.add_action_kind("Log", [](const ExtensionActionContext& c) {
        const auto target = tree::NodeUri::parse(c.target);
        if (!target) return ActionOutcome{StatusCode::BadRequest, std::nullopt, "bad Target"};
        const auto s = c.host.set_internal(*target, NodeValue{std::string(c.data), tree::Format::Chr});
        return ActionOutcome{s, std::nullopt, {}};
    });
    return o;
}

TEST(ExtensionHooks, RegisteredOperatorAndActionKindRunInPolicies) {
    covers(req::MgmtPolicyMO_OSR_02, req::MgmtPolicyMO_MP_01, req::MgmtPolicyMO_MP_02);
    EngineFixture f(vendor_options());
    auto spec = threshold_spec("p1");
    spec.conditions[0].op = Operator::Extension;
    spec.conditions[0].extension_operator = "within";
    spec.conditions[0].value = "100:5";
    spec.actions[0].command.reset();
    spec.actions[0].extension_kind = "Log";
    spec.actions[0].target = "./Vendor/Log";
    spec.actions[0].data = "near 100";
    ASSERT_EQ(f.install(spec, "p1").status, StatusCode::Ok);
    ASSERT_EQ(f.activate("p1").status, StatusCode::Ok);
    EXPECT_EQ(count_events<PolicyFired>(f.set("./Sensor/Level", "90")), 0U);
    EXPECT_EQ(count_events<PolicyFired>(f.set("./Sensor/Level", "103")), 1U);
    EXPECT_EQ(f.host.data("./Vendor/Log"), "near 100");
}

TEST(ExtensionHooks, UnregisteredExtensionIsRejectedAtDownload) {
    covers(req::MgmtPolicyMO_OSR_02, req::MgmtPolicyMO_HLF_1);
    EngineFixture f;
    auto spec = threshold_spec("p1");
    spec.actions[0].command.reset();
    spec.actions[0].extension_kind = "Log";
    const auto s = f.install(spec, "p1");
    EXPECT_EQ(s.status, StatusCode::OptionalFeatureNotSupported);
    EXPECT_NE(s.reason.find("Log"), std::string::npos);
}

} // namespace
} // namespace omadm::policy::testing
