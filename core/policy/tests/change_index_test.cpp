#include "omadm/policy/change_index.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>

namespace omadm::policy {
namespace {

using omadm::testing::covers;
using V = std::vector<tree::NodeUri>;

tree::NodeUri node(std::string_view text) {
    return tree::NodeUri::parse(text).value();
}

/// The policy node ./MgmtPolicy/<name>.
tree::NodeUri policy(std::string_view name) {
    return tree::NodeUri{} / "MgmtPolicy" / name;
}

/// An index holding each (uri, policy) watch, in order.
ChangeIndex watching(std::initializer_list<std::pair<std::string_view, std::string_view>> watches) {
    ChangeIndex idx;
    for (const auto& [uri, name] : watches)
        idx.watch(node(uri), policy(name));
    return idx;
}

TEST(ChangeIndex, AChangeReachesTheWatchesOnItsUriItsAncestorsAndItsDescendants) {
    covers(req::MgmtPolicyMO_Device_03);
    const auto idx = watching({{"./A/B", "p1"},
                               {"./A/C", "p2"},
                               {"./D", "p1"},
                               {"./E/F/G", "p1"},
                               {"./E/X", "p2"},
                               {"./E/X", "p1"}});
    const std::pair<std::string_view, V> cases[] = {
        {"./A/B", {policy("p1")}},             // exact URI
        {"./A/D", {}},                         // a sibling
        {"./D/B/C", {policy("p1")}},           // below a watched ancestor
        {"./DB", {}},                          // a name that merely starts alike
        {"./E", {policy("p1"), policy("p2")}}, // above watched nodes
        {".", {policy("p1"), policy("p2")}},   // the root, above everything
    };
    for (const auto& [uri, watchers] : cases)
        EXPECT_EQ(idx.affected(node(uri)), watchers) << uri;
}

TEST(ChangeIndex, UnwatchRemovesOnlyThatPolicy) {
    covers(req::MgmtPolicyMO_Device_03);
    auto idx = watching({{"./A/B", "p1"}, {"./A/B", "p2"}});
    idx.unwatch(node("./A/B"), policy("p1"));
    EXPECT_EQ(idx.affected(node("./A/B")), V{policy("p2")});
    idx.unwatch(node("./A/B"), policy("p2"));
    EXPECT_EQ(idx.affected(node("./A")), V{});
}

} // namespace
} // namespace omadm::policy
