#include "omadm/testing/covers.hpp"
#include "omadm/tree/tree.hpp"
#include "tree_fixture.hpp"

#include <gtest/gtest.h>

namespace omadm::tree::test {
namespace {

TEST(TreeTransaction, FailureInTheMiddleRollsEveryMemberBack) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t = seeded_tree();
    const auto before = t.snapshot().nodes;
    t.begin();
    std::vector<StatusCode> members;
    members.push_back(t.add(srv("srvA"), uri("A/New"), leaf("v"), kNow));
    members.push_back(t.replace(srv("srvA"), uri("A/L"), value("changed"), kNow));
    members.push_back(t.add(srv("srvA"), uri("A/L"), leaf("dup"), kNow)); // 418: fails
    members.push_back(t.remove(srv("srvA"), uri("A/N"), kNow));
    ASSERT_EQ(members[2], StatusCode::AlreadyExists);
    t.rollback();
    EXPECT_EQ(t.snapshot().nodes, before);
    EXPECT_FALSE(t.in_transaction());
    EXPECT_EQ(rolled_back_member_status(members[0]), StatusCode::AtomicRollbackOk);
    EXPECT_EQ(rolled_back_member_status(members[2]), StatusCode::AlreadyExists);
}

TEST(TreeTransaction, CommitKeepsEveryMember) {
    Tree t = seeded_tree();
    t.begin();
    ASSERT_EQ(t.add(srv("srvA"), uri("A/New"), leaf("v"), kNow), StatusCode::Ok);
    ASSERT_EQ(t.remove(srv("srvA"), uri("A/N"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.commit(), StatusCode::Ok);
    EXPECT_TRUE(t.exists(uri("A/New")));
    EXPECT_FALSE(t.exists(uri("A/N")));
}

TEST(TreeTransaction, AFailedCommandLeavesNoPartialEffect) {
    Tree t = seeded_tree();
    const auto before = t.snapshot().nodes;
    // Implicit parents would be created before the leaf's value check fails.
    EXPECT_EQ(t.add(srv("srvA"), uri("A/P/Q/I"), leaf("abc", Format::Int), kNow),
              StatusCode::UnsupportedMediaType);
    EXPECT_EQ(t.snapshot().nodes, before);
}

TEST(TreeTransaction, StorePersistsCommittedChangesAndRestores) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    InMemoryTreeStore store;
    Tree t;
    t.attach_store(store);
    seed(t);
    t.begin();
    ASSERT_EQ(t.add(srv("srvA"), uri("A/New"), leaf("v"), kNow), StatusCode::Ok);
    ASSERT_EQ(t.remove(srv("srvA"), uri("A/N"), kNow), StatusCode::Ok);
    ASSERT_EQ(t.commit(), StatusCode::Ok);
    Tree restored;
    auto snap = store.load();
    ASSERT_TRUE(snap);
    ASSERT_TRUE(restored.restore(*snap));
    EXPECT_EQ(restored.snapshot().nodes, t.snapshot().nodes);
}

TEST(TreeTransaction, StoreFailureRollsBackAndReports510) {
    InMemoryTreeStore store;
    Tree t;
    t.attach_store(store);
    seed(t);
    store.fail_next_persist();
    EXPECT_EQ(t.add(srv("srvA"), uri("A/New"), leaf("v"), kNow), StatusCode::DataStoreFailure);
    EXPECT_FALSE(t.exists(uri("A/New")));
    t.begin();
    ASSERT_EQ(t.add(srv("srvA"), uri("A/New"), leaf("v"), kNow), StatusCode::Ok);
    store.fail_next_persist();
    EXPECT_EQ(t.commit(), StatusCode::DataStoreFailure);
    EXPECT_FALSE(t.exists(uri("A/New")));
}

TEST(TreeTransaction, ScopeSetToWhatItIsPersistsNothing) {
    InMemoryTreeStore store;
    Tree t;
    t.attach_store(store);
    seed(t);
    const Scope now = t.find(uri("A/N"))->scope;
    const Scope other = now == Scope::Dynamic ? Scope::Permanent : Scope::Dynamic;
    // A restart marks the scope of every policy's Operations again: no write when it is unchanged.
    store.fail_next_persist();
    EXPECT_EQ(t.set_scope(uri("A/N"), now), StatusCode::Ok);
    EXPECT_EQ(t.set_scope(uri("A/N"), other), StatusCode::DataStoreFailure);
    EXPECT_EQ(t.find(uri("A/N"))->scope, now);
}

TEST(TreeTransaction, RestoreRejectsOrphans) {
    Tree t;
    TreeSnapshot snap;
    snap.nodes.push_back({".", *t.find(uri("."))});
    snap.nodes.push_back({"A/B", Node{}});
    EXPECT_FALSE(t.restore(snap));
}

} // namespace
} // namespace omadm::tree::test
