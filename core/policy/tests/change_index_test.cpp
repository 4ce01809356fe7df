#include "omadm/policy/change_index.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>

namespace omadm::policy {
namespace {

using omadm::testing::covers;
using V = std::vector<std::string>;

TEST(ChangeIndex, ExactUriFindsItsWatchers) {
    covers(req::MgmtPolicyMO_Device_03);
    ChangeIndex idx;
    idx.watch("./A/B", "p1");
    idx.watch("./A/C", "p2");
    EXPECT_EQ(idx.affected("./A/B"), V{"p1"});
    EXPECT_EQ(idx.affected("./A/D"), V{});
}

TEST(ChangeIndex, WatchOnAncestorCoversDescendants) {
    covers(req::MgmtPolicyMO_Device_03);
    ChangeIndex idx;
    idx.watch("./A", "p1");
    EXPECT_EQ(idx.affected("./A/B/C"), V{"p1"});
    EXPECT_EQ(idx.affected("./AB"), V{});
}

TEST(ChangeIndex, ChangeOfAncestorReachesWatchesBelow) {
    covers(req::MgmtPolicyMO_Device_03);
    ChangeIndex idx;
    idx.watch("./A/B/C", "p1");
    idx.watch("./A/X", "p2");
    idx.watch("./A/X", "p1");
    EXPECT_EQ(idx.affected("./A"), (V{"p1", "p2"}));
}

TEST(ChangeIndex, UnwatchRemovesOnlyThatPolicy) {
    covers(req::MgmtPolicyMO_Device_03);
    ChangeIndex idx;
    idx.watch("./A/B", "p1");
    idx.watch("./A/B", "p2");
    idx.unwatch("./A/B", "p1");
    EXPECT_EQ(idx.affected("./A/B"), V{"p2"});
    idx.unwatch("./A/B", "p2");
    EXPECT_EQ(idx.affected("./A"), V{});
}

} // namespace
} // namespace omadm::policy
