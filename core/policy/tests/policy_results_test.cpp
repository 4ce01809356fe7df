#include "omadm/policy/policy_engine.hpp"
#include "omadm/testing/covers.hpp"
#include "policy_fixture.hpp"

#include <gtest/gtest.h>

namespace omadm::policy::testing {
namespace {

class PolicyResults : public EngineTest {
protected:
    void fire_once() {
        set("./Sensor/Level", "0");
        set("./Sensor/Level", "60");
    }
};

TEST_F(PolicyResults, ResultsNodesAreWrittenForServerGet) {
    covers(req::MgmtPolicyMO_HLF_5, req::MgmtPolicyMO_DMS_01);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    fire_once();
    const auto r = uri("p1") / "Results";
    EXPECT_EQ(host.data(r / "LastStatus"), "1200");
    EXPECT_EQ(host.data(r / "LastRun"), "20250301T000000Z");
    EXPECT_EQ(host.data(r / "Count"), "1");
    EXPECT_EQ(host.data(r / "Log" / "1" / "Status"), "1200");
    EXPECT_EQ(host.data(r / "Log" / "1" / "Time"), "20250301T000000Z");
    EXPECT_EQ(host.data(r / "Log" / "1" / "Detail"), "set=200");
    // A server's Get goes through the tree: the fake host serves it like any node.
    syncml::Get get;
    get.items.push_back(syncml::Item{});
    get.items.back().target = syncml::Location{(r / "LastStatus").str(), std::nullopt};
    const auto got = host.execute(get, base::ServerId{"srvA"});
    ASSERT_TRUE(got.value);
    EXPECT_EQ(got.value->format, tree::Format::Int);
}

TEST_F(PolicyResults, LogIsBoundedOldestDropped) {
    covers(req::MgmtPolicyMO_HLF_5, req::MgmtPolicyMO_DMS_01);
    EngineOptions options;
    options.config.log_capacity = 3;
    EngineFixture f(options);
    ASSERT_EQ(f.install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(f.activate("p1").status, StatusCode::Ok);
    for (int i = 0; i < 5; ++i) {
        f.set("./Sensor/Level", "0");
        f.set("./Sensor/Level", "60");
    }
    const auto log = f.uri("p1") / "Results" / "Log";
    EXPECT_EQ(f.host.children(log), (std::vector<std::string>{"3", "4", "5"}));
    EXPECT_EQ(f.host.data(f.uri("p1") / "Results" / "Count"), "5");
}

TEST_F(PolicyResults, AclDenialSurfacesAsFailedResult) {
    covers(req::MgmtPolicyMO_HLF_5, req::MgmtPolicyMO_ATHOR_1, req::MgmtPolicyMO_Device_02);
    host.deny("./Out", owner);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    const auto s = set("./Sensor/Level", "60");
    const auto* done = first_event<ActionsCompleted>(s);
    ASSERT_NE(done, nullptr);
    EXPECT_EQ(done->result, ResultCode::PermissionDenied);
    EXPECT_EQ(done->actions[0].status, StatusCode::PermissionDenied);
    EXPECT_EQ(host.data("./Out/Flag"), "off");
    EXPECT_EQ(host.data(uri("p1") / "Results" / "LastStatus"), "1403");
    ASSERT_EQ(outbox.pending().size(), 1U);
    EXPECT_EQ(outbox.pending()[0].alert.items.at(0).mark, "warning");
    EXPECT_EQ(outbox.pending()[0].payload.result, ResultCode::PermissionDenied);
}

TEST_F(PolicyResults, AlertCarriesTypeSourceAndPayload) {
    covers(req::MgmtPolicyMO_Device_01, req::MgmtPolicyMO_DMS_02);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    const auto s = set("./Sensor/Level", "60");
    ASSERT_EQ(count_events<AlertQueued>(s), 1U);
    ASSERT_EQ(outbox.pending().size(), 1U);
    const auto& a = outbox.pending()[0].alert;
    ASSERT_EQ(a.items.size(), 1U);
    EXPECT_EQ(a.items[0].source, uri("p1").str()); // the policy's URI on the wire
    EXPECT_EQ(a.items[0].type, "urn:oma:at:mgmtpolicy:1.0:ActionResult");
    EXPECT_EQ(a.items[0].format, "xml");
    EXPECT_EQ(a.items[0].mark, "informational");
    EXPECT_EQ(a.items[0].data, "<ResultCode>1200</ResultCode><PolicyID>p1</PolicyID><Version>1.0</Version>"
                               "<Detail>set=200</Detail>");
    EXPECT_FALSE(a.correlator);
    EXPECT_EQ(outbox.pending()[0].to, owner); // for the server that owns the policy
}

TEST_F(PolicyResults, CorrelatorOfActivatingExecIsEchoedOnce) {
    covers(req::MgmtPolicyMO_Device_01, req::MgmtPolicyMO_DMS_02);
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1", "corr-42").status, StatusCode::Ok);
    fire_once();
    fire_once();
    ASSERT_EQ(outbox.pending().size(), 2U);
    EXPECT_EQ(outbox.pending()[0].alert.correlator, "corr-42");
    EXPECT_FALSE(outbox.pending()[1].alert.correlator);
}

TEST_F(PolicyResults, NotifyDisabledQueuesNoAlert) {
    covers(req::MgmtPolicyMO_Device_01);
    auto spec = threshold_spec("p1");
    spec.notify = false;
    ASSERT_EQ(install(spec, "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    fire_once();
    EXPECT_TRUE(outbox.pending().empty());
    EXPECT_EQ(host.data(uri("p1") / "Results" / "Count"), "1");
}

TEST_F(PolicyResults, StoreFailureIsReportedNotFatal) {
    covers(req::MgmtPolicyMO_Device_01);
    store.fail_saves = true;
    ASSERT_EQ(install(threshold_spec("p1"), "p1").status, StatusCode::Ok);
    ASSERT_EQ(activate("p1").status, StatusCode::Ok);
    const auto s = set("./Sensor/Level", "60");
    EXPECT_EQ(count_events<DeviceFault>(s), 1U);
    EXPECT_EQ(host.data("./Out/Flag"), "on");
}

TEST(GenericAlert, DataIsEscaped) {
    covers(req::MgmtPolicyMO_Device_01);
    const auto a =
        make_alert("urn:oma:at:mgmtpolicy:1.0:", AlertEvent::ActionResult, "./MgmtPolicy/p",
                   AlertPayload{ResultCode::ActionFailed, "p<1>", "1&2", "x=\"y\""}, std::string("c"));
    ASSERT_EQ(a.items.size(), 1U);
    EXPECT_EQ(a.items[0].data,
              "<ResultCode>1401</ResultCode><PolicyID>p&lt;1&gt;</PolicyID><Version>1&amp;2</Version>"
              "<Detail>x=&quot;y&quot;</Detail>");
    EXPECT_EQ(a.items[0].mark, "warning");
    EXPECT_EQ(a.items[0].format, "xml");
    EXPECT_EQ(a.correlator, "c");
}

} // namespace
} // namespace omadm::policy::testing
