#include "fake_host.hpp"
#include "omadm/policy/errc.hpp"
#include "omadm/policy/outbox.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>

namespace omadm::policy {
namespace {

using omadm::testing::covers;

syncml::GenericAlert alert(std::string source) {
    return make_alert("urn:oma:at:mgmtpolicy:1.0:", AlertEvent::ActionResult, std::move(source),
                      AlertPayload{}, std::nullopt);
}

TEST(Outbox, EnqueuedAlertsArePersisted) {
    covers(req::MgmtPolicyMO_Device_01);
    testing::MemoryAlertStore store;
    Outbox box(store);
    const auto a = box.enqueue(alert("./MgmtPolicy/a"), AlertPayload{}, base::ServerId{"srv"});
    const auto b = box.enqueue(alert("./MgmtPolicy/b"), AlertPayload{}, base::ServerId{"srv"});
    ASSERT_TRUE(a && b);
    EXPECT_LT(*a, *b);
    EXPECT_EQ(store.saved.size(), 2U);
    EXPECT_EQ(box.pending().size(), 2U);
}

TEST(Outbox, OnlyAckRemoves) {
    covers(req::MgmtPolicyMO_Device_01, req::MgmtPolicyMO_DMS_02);
    testing::MemoryAlertStore store;
    Outbox box(store);
    const auto a = box.enqueue(alert("./MgmtPolicy/a"), AlertPayload{}, base::ServerId{"srv"});
    const auto b = box.enqueue(alert("./MgmtPolicy/b"), AlertPayload{}, base::ServerId{"srv"});
    ASSERT_TRUE(a && b);
    ASSERT_TRUE(box.ack(*a));
    ASSERT_EQ(box.pending().size(), 1U);
    EXPECT_EQ(box.pending()[0].id, *b);
    EXPECT_EQ(store.saved.size(), 1U);
    const auto again = box.ack(*a);
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error().code, make_error_code(Errc::UnknownAlert));
}

TEST(Outbox, RestoreAfterRestartKeepsUnacknowledged) {
    covers(req::MgmtPolicyMO_Device_01);
    testing::MemoryAlertStore store;
    AlertId last{0};
    {
        Outbox box(store);
        ASSERT_TRUE(box.enqueue(alert("./MgmtPolicy/a"), AlertPayload{}, base::ServerId{"srv"}));
        auto id = box.enqueue(alert("./MgmtPolicy/b"), AlertPayload{}, base::ServerId{"srv"});
        ASSERT_TRUE(id);
        last = *id;
    }
    Outbox revived(store);
    ASSERT_TRUE(revived.restore());
    ASSERT_EQ(revived.pending().size(), 2U);
    EXPECT_EQ(revived.pending()[1].alert.items.at(0).source, "./MgmtPolicy/b");
    EXPECT_EQ(revived.pending()[1].to, base::ServerId{"srv"});
    const auto next = revived.enqueue(alert("./MgmtPolicy/c"), AlertPayload{}, base::ServerId{"srv"});
    ASSERT_TRUE(next);
    EXPECT_GT(*next, last);
}

TEST(Outbox, RefusedSaveIsNotQueued) {
    covers(req::MgmtPolicyMO_Device_01);
    testing::MemoryAlertStore store;
    store.fail_saves = true;
    Outbox box(store);
    const auto r = box.enqueue(alert("./MgmtPolicy/a"), AlertPayload{}, base::ServerId{"srv"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, make_error_code(Errc::StoreFailure));
    EXPECT_TRUE(box.pending().empty());
}

} // namespace
} // namespace omadm::policy
