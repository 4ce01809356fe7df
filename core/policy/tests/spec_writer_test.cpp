#include "fake_host.hpp"
#include "omadm/policy/policy_reader.hpp"
#include "omadm/policy/spec_writer.hpp"
#include "omadm/testing/covers.hpp"
#include "policy_fixture.hpp"

#include <algorithm>
#include <gtest/gtest.h>

namespace omadm::policy {
namespace {

using omadm::testing::covers;

const tree::NodeUri kUri = testing::node("./MgmtPolicy/p1");

TEST(SpecWriter, DownloadAddsParentsFirstWithMoType) {
    covers(req::MgmtPolicyMO_HLF_1, req::MgmtPolicyMO_OSR_01);
    const auto writes = download_writes(testing::threshold_spec("p1"), PolicyLayout{}, kUri);
    ASSERT_FALSE(writes.empty());
    EXPECT_EQ(writes[0].uri, kUri);
    EXPECT_TRUE(writes[0].interior());
    EXPECT_EQ(writes[0].type, "urn:oma:mo:oma-mgmtpolicy:1.0");
    std::vector<tree::NodeUri> seen;
    for (const auto& w : writes) {
        EXPECT_EQ(w.op, WriteOp::Add);
        if (w.uri != kUri) {
            EXPECT_NE(std::find(seen.begin(), seen.end(), w.uri.parent()), seen.end()) << w.uri.str();
        }
        seen.push_back(w.uri);
    }
}

TEST(SpecWriter, DownloadRoundTripsThroughTheReader) {
    covers(req::MgmtPolicyMO_HLF_1, req::MgmtPolicyMO_HLF_9);
    auto spec = testing::threshold_spec("p1");
    spec.bindings = {"./SCOMO/Inventory/Deployed/a", "./SCOMO/Inventory/Deployed/b"};
    spec.actions[0].target = "${binding}/Setting";
    testing::FakeHost host;
    host.apply(download_writes(spec, PolicyLayout{}, kUri));
    const auto r = read_policy(host, PolicyLayout{}, {}, kUri);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->spec, spec);
}

TEST(SpecWriter, UpdateEndsWithVersionReplace) {
    covers(req::MgmtPolicyMO_HLF_2);
    auto spec = testing::threshold_spec("p1");
    spec.version = "2.0";
    const auto writes = update_writes(spec, PolicyLayout{}, kUri);
    ASSERT_FALSE(writes.empty());
    EXPECT_EQ(writes.back().op, WriteOp::Replace);
    EXPECT_EQ(writes.back().uri, kUri / "Version");
    EXPECT_EQ(writes.back().value, "2.0");
    EXPECT_EQ(writes.front().op, WriteOp::Delete);
    const auto versions = std::count_if(writes.begin(), writes.end(),
                                        [](const NodeWrite& w) { return w.uri.name() == "Version"; });
    EXPECT_EQ(versions, 1);
}

TEST(SpecWriter, UpdateReplacesContentsOfAnInstalledPolicy) {
    covers(req::MgmtPolicyMO_HLF_2);
    testing::FakeHost host;
    auto spec = testing::threshold_spec("p1");
    spec.conditions.push_back(testing::cond("gone", "./X", Operator::Exists));
    host.apply(download_writes(spec, PolicyLayout{}, kUri));
    auto next = testing::threshold_spec("p1", "70");
    next.version = "2.0";
    host.apply(update_writes(next, PolicyLayout{}, kUri));
    const auto r = read_policy(host, PolicyLayout{}, {}, kUri);
    ASSERT_TRUE(r) << r.error().detail;
    EXPECT_EQ(r->spec, next);
}

} // namespace
} // namespace omadm::policy
