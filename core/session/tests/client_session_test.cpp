#include "builders.hpp"
#include "exchange.hpp"
#include "fake_handler.hpp"
#include "omadm/session/client_session.hpp"
#include "omadm/testing/covers.hpp"

#include <algorithm>
#include <gtest/gtest.h>

namespace omadm::session {
namespace {

using namespace omadm::session::testing; // NOLINT(google-build-using-namespace): test DSL
using omadm::testing::covers;

/// A server message for the client session built by client_config().
MessageBuilder from_server(std::uint32_t msg_id) {
    MessageBuilder b("1A2B", msg_id);
    b.from(kServerUri).to(kDeviceId);
    return b;
}

Step deliver(ClientSession& client, const syncml::Message& m, base::TimePoint now = {}) {
    const Wire wire = on_the_wire(m, syncml::Encoding::Xml);
    return client.on_message(Inbound{wire.message, wire.body, std::nullopt, {}}, now);
}

const syncml::Status& status_at(const syncml::Message& m, std::size_t i) {
    return std::get<syncml::Status>(m.body.at(i).variant());
}

TEST(ClientSession, Package1CarriesAlert1201AndDevInfo) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    ClientSession client(client_config(), device);

    const auto step = client.start(base::TimePoint{});

    ASSERT_EQ(step.send.size(), 1U);
    const auto& m = step.send[0].message;
    EXPECT_EQ(m.hdr.msg_id, MsgId{1});
    EXPECT_EQ(m.hdr.source.loc_uri, kDeviceId);
    EXPECT_EQ(m.hdr.target.loc_uri, kServerUri);
    EXPECT_EQ(m.hdr.meta->max_msg_size, 16384U);
    EXPECT_TRUE(m.final);
    ASSERT_EQ(m.body.size(), 2U);
    EXPECT_EQ(std::get<syncml::Alert>(m.body[0].variant()).code, syncml::alert_code::kClientInitiatedMgmt);
    EXPECT_EQ(std::get<syncml::Alert>(m.body[0].variant()).cmd_id, CmdId{1});
    const auto& devinfo = std::get<syncml::Replace>(m.body[1].variant());
    ASSERT_EQ(devinfo.items.size(), 5U);
    EXPECT_EQ(devinfo.items[0].source->loc_uri, "./DevInfo/DevId");
    EXPECT_EQ(devinfo.items[0].data, kDeviceId);
    EXPECT_EQ(client.state(), ClientState::AwaitingPackage2);
}

TEST(ClientSession, ServerInitiatedSessionUses1200AndThePackage0SessionId) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    auto cfg = client_config();
    cfg.trigger = SessionTrigger::ServerInitiated;
    cfg.session_id = base::SessionId{"4D2"};
    ClientSession client(cfg, device);

    const auto step = client.start(base::TimePoint{});

    const auto& m = step.send.at(0).message;
    EXPECT_EQ(m.hdr.session_id.value(), "4D2");
    EXPECT_EQ(std::get<syncml::Alert>(m.body[0].variant()).code, syncml::alert_code::kServerInitiatedMgmt);
}

TEST(ClientSession, ServerPackageWithoutCommandsEndsTheSessionSilently) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    ClientSession client(client_config(), device);
    (void)client.start(base::TimePoint{});

    const auto step = deliver(client, from_server(1).hdr_status(1, StatusCode::Ok).build());

    EXPECT_TRUE(step.send.empty());
    ASSERT_TRUE(step.end.has_value());
    EXPECT_EQ(step.end->reason, EndReason::Completed);
}

TEST(ClientSession, StatusesFollowTheProtocolIdRules) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    device.values["./A"] = "1";
    ClientSession client(client_config(), device);
    (void)client.start(base::TimePoint{});

    const auto step = deliver(
        client, from_server(1).hdr_status(1, StatusCode::Ok).command(get("./A")).command(del("./B")).build());

    const auto& m = step.send.at(0).message;
    EXPECT_EQ(m.hdr.msg_id, MsgId{2});
    const auto& hdr = status_at(m, 0);
    EXPECT_EQ(hdr.cmd_ref, CmdId{0});
    EXPECT_EQ(hdr.cmd, "SyncHdr");
    EXPECT_EQ(hdr.msg_ref, MsgId{1});
    EXPECT_EQ(hdr.target_refs, std::vector<std::string>{kDeviceId});
    EXPECT_EQ(hdr.source_refs, std::vector<std::string>{kServerUri});
    EXPECT_EQ(status_at(m, 1).cmd, "Get");
    EXPECT_EQ(status_at(m, 1).cmd_ref, CmdId{2});
    EXPECT_EQ(status_at(m, 1).target_refs, std::vector<std::string>{"./A"});
    EXPECT_EQ(status_at(m, 2).cmd, "Delete");
    const auto& results = std::get<syncml::Results>(m.body.at(3).variant());
    EXPECT_EQ(results.cmd_ref, CmdId{2});
    EXPECT_EQ(results.msg_ref, MsgId{1});
    for (std::size_t i = 0; i < m.body.size(); ++i) {
        EXPECT_EQ(std::visit([](const auto& x) { return x.cmd_id; }, m.body[i].variant()),
                  CmdId{static_cast<std::uint32_t>(i + 1)});
    }
}

TEST(ClientSession, ARefusalAtTheEndOfTheServerPackageReplacesTheStatusOfItsFinalMessage) {
    covers(req::MgmtPolicyMO_HLF_1);
    FakeHandler device;
    // Commands are numbered across the package: ./A and ./B (message 1), ./C and ./D (message 2).
    device.refusals = {{0, StatusCode::BadRequest, "answered already"},
                       {3, StatusCode::OptionalFeatureNotSupported, "./P: no Actions"}};
    ClientSession client(client_config(), device);
    (void)client.start(base::TimePoint{});

    const auto first = deliver(client, from_server(1)
                                           .hdr_status(1, StatusCode::Ok)
                                           .command(add("./A", "1"))
                                           .command(add("./B", "2"))
                                           .not_final()
                                           .build());
    EXPECT_EQ(device.packages_ended, 0);
    const auto& reply1 = first.send.at(0).message;
    EXPECT_EQ(status_at(reply1, 1).code, StatusCode::Ok);
    const auto second = deliver(client, from_server(2)
                                            .hdr_status(2, StatusCode::Ok)
                                            .command(add("./C", "3"))
                                            .command(add("./D", "4"))
                                            .build());

    EXPECT_EQ(device.packages_ended, 1);
    const auto& reply2 = second.send.at(0).message;
    EXPECT_EQ(status_at(reply2, 1).target_refs, std::vector<std::string>{"./C"});
    EXPECT_EQ(status_at(reply2, 1).code, StatusCode::Ok);
    EXPECT_TRUE(status_at(reply2, 1).items.empty());
    EXPECT_EQ(status_at(reply2, 2).target_refs, std::vector<std::string>{"./D"});
    EXPECT_EQ(status_at(reply2, 2).code, StatusCode::OptionalFeatureNotSupported);
    ASSERT_EQ(status_at(reply2, 2).items.size(), 1U);
    EXPECT_EQ(status_at(reply2, 2).items.front().data, "./P: no Actions");
}

TEST(ClientSession, LargeObjectSizeMismatchIsAnswered424) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    ClientSession client(client_config(), device);
    (void)client.start(base::TimePoint{});
    auto first = replace("./Big", "abc");
    auto& item = std::get<syncml::Replace>(first.variant()).items[0];
    item.more_data = true;
    item.meta = syncml::Meta{};
    item.meta->size = 10;

    const auto s1 =
        deliver(client, from_server(1).hdr_status(1, StatusCode::Ok).command(first).not_final().build());
    const auto s2 = deliver(
        client, from_server(2).hdr_status(2, StatusCode::Ok).command(replace("./Big", "def")).build());

    EXPECT_EQ(status_at(s1.send.at(0).message, 1).code, StatusCode::ChunkedItemAccepted);
    EXPECT_EQ(status_at(s2.send.at(0).message, 1).code, StatusCode::SizeMismatch);
    EXPECT_TRUE(device.executed.empty());
}

TEST(ClientSession, InterruptedLargeObjectIsReportedWithAlert1225) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    ClientSession client(client_config(), device);
    (void)client.start(base::TimePoint{});
    auto first = replace("./Big", "abc");
    std::get<syncml::Replace>(first.variant()).items[0].more_data = true;

    (void)deliver(client, from_server(1).hdr_status(1, StatusCode::Ok).command(first).not_final().build());
    const auto s2 =
        deliver(client, from_server(2).hdr_status(2, StatusCode::Ok).command(del("./Other")).build());

    bool saw_1225 = false;
    for (const auto& c : s2.send.at(0).message.body) {
        if (const auto* a = std::get_if<syncml::Alert>(&c.variant())) saw_1225 |= a->code == 1225;
    }
    EXPECT_TRUE(saw_1225);
    EXPECT_EQ(device.executed.size(), 1U);
}

TEST(ClientSession, RefusalWithoutChallengeEndsWithAuthFailed) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    FakeHandler device;
    ClientSession client(client_config(AuthScheme::Basic), device);
    (void)client.start(base::TimePoint{});

    const auto step = deliver(client, from_server(1).hdr_status(1, StatusCode::InvalidCredentials).build());

    EXPECT_TRUE(step.send.empty());
    ASSERT_TRUE(step.end.has_value());
    EXPECT_EQ(step.end->reason, EndReason::AuthFailed);
}

TEST(ClientSession, NoAnswerBeforeTheDeadlineEndsWithTimeout) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    ClientSession client(client_config(), device);
    const base::TimePoint t0{};
    (void)client.start(t0);
    ASSERT_TRUE(client.next_deadline().has_value());

    const auto early = client.on_timeout(t0 + std::chrono::seconds(59));
    const auto late = client.on_timeout(*client.next_deadline());

    EXPECT_FALSE(early.end.has_value());
    ASSERT_TRUE(late.end.has_value());
    EXPECT_EQ(late.end->reason, EndReason::Timeout);
    EXPECT_EQ(client.state(), ClientState::Ended);
}

TEST(ClientSession, WrongMsgIdIsAFinding) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    ClientSession client(client_config(), device);
    (void)client.start(base::TimePoint{});

    const auto step = deliver(client, from_server(3).hdr_status(1, StatusCode::Ok).build());

    ASSERT_EQ(step.findings.size(), 1U);
    EXPECT_EQ(step.findings[0].evidence.location, "SyncHdr/MsgID");
}

TEST(ClientSession, ObjectOverTheAdvertisedMaxObjSizeIsAnswered413) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    auto cfg = client_config();
    cfg.max_obj_size = 100;
    ClientSession client(cfg, device);
    (void)client.start(base::TimePoint{});

    const auto step = deliver(client, from_server(1)
                                          .hdr_status(1, StatusCode::Ok)
                                          .command(replace("./Big", std::string(500, 'b')))
                                          .build());

    EXPECT_EQ(status_at(step.send.at(0).message, 1).code, StatusCode::RequestEntityTooLarge);
    EXPECT_TRUE(device.executed.empty());
    ASSERT_EQ(step.findings.size(), 1U);
    EXPECT_EQ(step.findings[0].evidence.cmd_id, CmdId{2});
}

TEST(ClientSession, ResultsOverTheServerMaxObjSizeAreNotSent) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    device.values["./Log"] = std::string(500, 'l');
    ClientSession client(client_config(), device);
    (void)client.start(base::TimePoint{});

    const auto step = deliver(
        client, from_server(1).max_obj_size(100).hdr_status(1, StatusCode::Ok).command(get("./Log")).build());

    const auto& m = step.send.at(0).message;
    ASSERT_EQ(m.body.size(), 2U); // SyncHdr Status and the Get's 413, no Results
    EXPECT_EQ(status_at(m, 1).code, StatusCode::RequestEntityTooLarge);
    std::size_t refused = 0;
    for (const auto& e : step.events)
        refused += std::holds_alternative<event::ObjectTooLarge>(e) ? 1U : 0U;
    EXPECT_EQ(refused, 1U);
}

TEST(ClientSession, VersionRefusalIsRetriedOnlyOnce) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    auto cfg = client_config();
    cfg.ver_proto = syncml::kVerProtoDm13;
    ClientSession client(cfg, device);
    (void)client.start(base::TimePoint{});

    const auto retry =
        deliver(client, from_server(1).hdr_status(1, StatusCode::ProtocolVersionNotSupported).build());
    const auto second =
        deliver(client, from_server(1).hdr_status(1, StatusCode::ProtocolVersionNotSupported).build());

    ASSERT_EQ(retry.send.size(), 1U);
    EXPECT_EQ(retry.send[0].message.hdr.ver_proto, syncml::kVerProtoDm12);
    EXPECT_EQ(retry.send[0].message.hdr.msg_id, MsgId{1});
    EXPECT_FALSE(retry.end.has_value());
    ASSERT_TRUE(second.end.has_value());
    EXPECT_EQ(second.end->reason, EndReason::VersionNotSupported);
}

TEST(ClientSession, VersionFallbackCanBeSwitchedOff) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    auto cfg = client_config();
    cfg.ver_proto = syncml::kVerProtoDm13;
    cfg.fallback_ver_proto.clear();
    ClientSession client(cfg, device);
    (void)client.start(base::TimePoint{});

    const auto step =
        deliver(client, from_server(1).hdr_status(1, StatusCode::ProtocolVersionNotSupported).build());

    EXPECT_TRUE(step.send.empty());
    ASSERT_TRUE(step.end.has_value());
    EXPECT_EQ(step.end->reason, EndReason::VersionNotSupported);
}

bool has_finding_at(const Step& step, std::string_view location) {
    return std::any_of(step.findings.begin(), step.findings.end(),
                       [&](const Finding& f) { return f.evidence.location == location; });
}

TEST(ClientSession, RepeatedCmdIdIsAFinding) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    device.values["./A"] = "1";
    ClientSession client(client_config(), device);
    (void)client.start(base::TimePoint{});
    auto m = from_server(1).hdr_status(1, StatusCode::Ok).command(get("./A")).build();
    std::visit([](auto& x) { x.cmd_id = CmdId{1}; }, m.body[1].variant());

    const auto step = deliver(client, m);

    EXPECT_TRUE(has_finding_at(step, "SyncBody/*/CmdID"));
    EXPECT_FALSE(has_finding_at(deliver(client, from_server(2).hdr_status(2, StatusCode::Ok).build()),
                                "SyncBody/*/CmdID"));
}

TEST(ClientSession, AnswerInAnotherVerProtoIsAFinding) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    ClientSession client(client_config(), device);
    (void)client.start(base::TimePoint{});

    const auto step = deliver(
        client, from_server(1).ver_proto(syncml::kVerProtoDm13).hdr_status(1, StatusCode::Ok).build());

    EXPECT_TRUE(has_finding_at(step, "SyncHdr/VerProto"));
}

TEST(ClientSession, WbxmlAnswerInAnotherVersionIsAFinding) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    ClientSession client(client_config(), device);
    (void)client.start(base::TimePoint{});
    const auto m = from_server(1).hdr_status(1, StatusCode::Ok).build();
    const auto body = syncml::encode_wbxml(m, syncml::WbxmlForm{0x02, {}}).value();
    const auto decoded = syncml::decode(body, syncml::Encoding::Wbxml).value();

    const auto step = client.on_message(Inbound{decoded, body, std::nullopt, {}}, base::TimePoint{});

    EXPECT_TRUE(has_finding_at(step, "WBXML header"));
}

TEST(ClientSession, WbxmlAnswerInTheRequestVersionIsNoFinding) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    ClientSession client(client_config(), device);
    (void)client.start(base::TimePoint{});
    const Wire wire =
        on_the_wire(from_server(1).hdr_status(1, StatusCode::Ok).build(), syncml::Encoding::Wbxml);

    const auto step =
        client.on_message(Inbound{wire.message, wire.body, std::nullopt, {}}, base::TimePoint{});

    EXPECT_TRUE(step.findings.empty());
}

} // namespace
} // namespace omadm::session
