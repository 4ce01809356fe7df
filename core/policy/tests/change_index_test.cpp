#include "omadm/policy/change_index.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>

namespace omadm::policy {
namespace {

using omadm::testing::covers;
using V = std::vector<std::string>;

/// An index holding each (uri, policy) watch, in order.
ChangeIndex watching(std::initializer_list<std::pair<std::string_view, std::string_view>> watches) {
    ChangeIndex idx;
    for (const auto& [uri, policy] : watches)
        idx.watch(uri, policy);
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
        {"./A/B", {"p1"}},     // exact URI
        {"./A/D", {}},         // a sibling
        {"./D/B/C", {"p1"}},   // below a watched ancestor
        {"./DB", {}},          // a name that merely starts alike
        {"./E", {"p1", "p2"}}, // above watched nodes
    };
    for (const auto& [uri, watchers] : cases)
        EXPECT_EQ(idx.affected(uri), watchers) << uri;
}

TEST(ChangeIndex, UnwatchRemovesOnlyThatPolicy) {
    covers(req::MgmtPolicyMO_Device_03);
    auto idx = watching({{"./A/B", "p1"}, {"./A/B", "p2"}});
    idx.unwatch("./A/B", "p1");
    EXPECT_EQ(idx.affected("./A/B"), V{"p2"});
    idx.unwatch("./A/B", "p2");
    EXPECT_EQ(idx.affected("./A"), V{});
}

} // namespace
} // namespace omadm::policy
