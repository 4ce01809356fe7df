#include "omadm/testing/covers.hpp"
#include "omadm/tree/tree.hpp"
#include "tree_fixture.hpp"

#include <gtest/gtest.h>

namespace omadm::tree::test {
namespace {

struct Recorder {
    std::vector<Change> seen;
    ChangeObserver fn() {
        return [this](const Change& c) { seen.push_back(c); };
    }
};

TEST(TreeObserver, ReceivesEachCommittedChangeWithUriAndKind) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t = seeded_tree();
    Recorder r;
    t.subscribe(r.fn());
    ASSERT_EQ(t.add(srv("srvA"), uri("A/X/Y"), leaf("v"), kNow), StatusCode::Ok);
    ASSERT_EQ(t.replace(srv("srvA"), uri("A/L"), value("w"), kNow), StatusCode::Ok);
    ASSERT_EQ(t.replace(srv("srvA"), target("A/L?prop=Title"), value("T"), kNow), StatusCode::Ok);
    ASSERT_EQ(t.remove(srv("srvA"), uri("A/X"), kNow), StatusCode::Ok);
    const std::vector<std::pair<std::string, ChangeKind>> expected{
        {"./A/X", ChangeKind::Added},    {"./A/X/Y", ChangeKind::Added},   {"./A/L", ChangeKind::Replaced},
        {"./A/L", ChangeKind::Property}, {"./A/X/Y", ChangeKind::Deleted}, {"./A/X", ChangeKind::Deleted},
    };
    ASSERT_EQ(r.seen.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
        EXPECT_EQ(r.seen[i].uri.str(), expected[i].first) << i;
        EXPECT_EQ(r.seen[i].kind, expected[i].second) << i;
    }
    EXPECT_EQ(r.seen[3].property, Property::Title);
    EXPECT_EQ(r.seen[0].by, srv("srvA"));
}

/// Subscribes `r` to `t` and has srvA add A/New inside a transaction left open.
void add_in_open_transaction(Tree& t, Recorder& r) {
    t.subscribe(r.fn());
    t.begin();
    ASSERT_EQ(t.add(srv("srvA"), uri("A/New"), leaf("v"), kNow), StatusCode::Ok);
}

TEST(TreeObserver, DeliversOnlyAfterCommit) {
    Tree t = seeded_tree();
    Recorder r;
    add_in_open_transaction(t, r);
    EXPECT_TRUE(r.seen.empty());
    ASSERT_EQ(t.commit(), StatusCode::Ok);
    EXPECT_EQ(r.seen.size(), 1U);
}

TEST(TreeObserver, RolledBackChangesAreNotDelivered) {
    Tree t = seeded_tree();
    Recorder r;
    add_in_open_transaction(t, r);
    t.rollback();
    EXPECT_TRUE(r.seen.empty());
    EXPECT_EQ(t.add(srv("srvB"), uri("A/New"), leaf("v"), kNow), StatusCode::PermissionDenied);
    EXPECT_TRUE(r.seen.empty());
}

TEST(TreeObserver, UnsubscribeStopsDelivery) {
    Tree t;
    Recorder r;
    const ObserverId id = t.subscribe(r.fn());
    t.unsubscribe(id);
    ASSERT_EQ(t.add(kBoot, uri("X"), leaf("v"), kNow), StatusCode::Ok);
    EXPECT_TRUE(r.seen.empty());
}

TEST(TreeObserver, ObserverMayRunCommands) {
    Tree t;
    t.subscribe([&t](const Change& c) {
        if (c.uri.str() == "./Trigger") (void)t.add(Principal::bootstrap(), uri("Reaction"), leaf("r"), kNow);
    });
    ASSERT_EQ(t.add(kBoot, uri("Trigger"), leaf("v"), kNow), StatusCode::Ok);
    EXPECT_TRUE(t.exists(uri("Reaction")));
}

} // namespace
} // namespace omadm::tree::test
