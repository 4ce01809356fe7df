#include "builders.hpp"
#include "exchange.hpp"
#include "omadm/auth/credentials.hpp"
#include "omadm/session/server_session.hpp"
#include "omadm/testing/covers.hpp"

#include <algorithm>
#include <gtest/gtest.h>

namespace omadm::session {
namespace {

using namespace omadm::session::testing; // NOLINT(google-build-using-namespace): test DSL
using omadm::testing::covers;

constexpr const char* kDevice = "IMEI:1";

MessageBuilder from_client(std::uint32_t msg_id) {
    MessageBuilder b("7", msg_id);
    b.from(kDevice).to(kServerUri);
    return b;
}

syncml::Command dev_info() {
    syncml::Replace r;
    syncml::Item item;
    item.source = syncml::Location{"./DevInfo/DevId", std::nullopt};
    item.data = kDevice;
    r.items.push_back(item);
    return r;
}

MessageBuilder package1(std::uint32_t msg_id = 1) {
    auto b = from_client(msg_id);
    b.alert(syncml::alert_code::kClientInitiatedMgmt).command(dev_info());
    return b;
}

Step deliver(ServerSession& server, const syncml::Message& m,
             std::optional<std::string> hmac = std::nullopt) {
    const Wire wire = on_the_wire(m, syncml::Encoding::Xml);
    std::optional<std::string_view> h;
    if (hmac) h = *hmac;
    return server.on_message(Inbound{wire.message, wire.body, h, {}}, base::TimePoint{});
}

const syncml::Status& status_at(const syncml::Message& m, std::size_t i) {
    return std::get<syncml::Status>(m.body.at(i).variant());
}

/// A server that has answered Package 1 with the one command it had queued, a Replace of ./X.
struct ReplaceSent {
    ReplaceSent() {
        server.enqueue(replace("./X", "1"));
        (void)deliver(server, package1().build());
    }
    base::SeededRandom random{3};
    ServerSession server{server_config(), random};
};

TEST(ServerSession, MissingCredentialsGet407WithChallengeAndOnlyStatuses) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    base::SeededRandom random(3);
    ServerSession server(server_config(AuthScheme::Md5), random);
    server.enqueue(replace("./X", "1"));

    const auto step = deliver(server, package1().build());

    const auto& m = step.send.at(0).message;
    ASSERT_EQ(m.body.size(), 3U);
    const auto& hdr = status_at(m, 0);
    EXPECT_EQ(hdr.code, StatusCode::MissingCredentials);
    ASSERT_TRUE(hdr.chal.has_value());
    EXPECT_EQ(hdr.chal->meta.type, "syncml:auth-md5");
    EXPECT_EQ(hdr.chal->meta.format, "b64");
    EXPECT_TRUE(auth::base64_decode(hdr.chal->meta.next_nonce.value()).has_value());
    EXPECT_EQ(status_at(m, 1).code, StatusCode::MissingCredentials);
    EXPECT_EQ(status_at(m, 2).code, StatusCode::MissingCredentials);
    EXPECT_EQ(server.state(), ServerState::AwaitingPackage1);
}

TEST(ServerSession, ClaimingAtStartWaitsForTheCommandsOnlyOnceTheClientAuthenticated) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    base::SeededRandom random(3);
    auto cfg = server_config(AuthScheme::Md5);
    cfg.claim_at_start = true;
    ServerSession server(cfg, random);

    // Refused: no command is asked for, and none could go.
    const auto refused = deliver(server, package1().build());
    EXPECT_FALSE(refused.awaiting_commands);
    ASSERT_EQ(refused.send.size(), 1U);

    // Accepted: the answer waits for the commands, then carries them.
    auto signed_p1 = package1(2).build();
    const auto nonce = status_at(refused.send[0].message, 0).chal->meta.next_nonce.value();
    signed_p1.hdr.cred = syncml::Cred{
        syncml::Meta{}, auth::md5_credential("dmclient", "secret", auth::base64_decode(nonce).value())};
    signed_p1.hdr.cred->meta.type = "syncml:auth-md5";
    const auto accepted = deliver(server, signed_p1);
    EXPECT_TRUE(accepted.awaiting_commands);
    EXPECT_TRUE(accepted.send.empty());
    server.enqueue(replace("./X", "1"));
    const auto answer = server.commands_claimed(base::TimePoint{});
    ASSERT_EQ(answer.send.size(), 1U);
    const auto& m = answer.send[0].message;
    EXPECT_EQ(status_at(m, 0).code, StatusCode::AuthenticationAccepted);
    EXPECT_TRUE(std::any_of(m.body.begin(), m.body.end(), [](const auto& c) {
        return std::holds_alternative<syncml::Replace>(c.variant());
    }));
    EXPECT_TRUE(server.commands_claimed(base::TimePoint{}).send.empty()); // once only
}

TEST(ServerSession, Md5WithTextNonceIsAcceptedOnlyWhenConfigured) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    const std::string nonce = "MDEyMzQ1Njc4OUFCQ0RFRg==";
    const std::string as_text_cred = auth::md5_credential(
        "dmclient", "secret", std::span(reinterpret_cast<const std::uint8_t*>(nonce.data()), nonce.size()));
    auto msg = package1().build();
    msg.hdr.source.loc_name = "dmclient";
    msg.hdr.cred = syncml::Cred{syncml::Meta{}, as_text_cred};
    msg.hdr.cred->meta.type = "syncml:auth-md5";
    msg.hdr.cred->meta.format = "b64";
    auto strict = server_config(AuthScheme::Md5);
    strict.client_nonce_b64 = nonce;
    auto lenient = strict;
    lenient.accepted_nonce_forms = {auth::NonceForm::Decoded, auth::NonceForm::Text};
    base::SeededRandom random(3);
    ServerSession strict_server(strict, random);
    ServerSession lenient_server(lenient, random);

    const auto refused = deliver(strict_server, msg);
    const auto accepted = deliver(lenient_server, msg);

    EXPECT_EQ(status_at(refused.send.at(0).message, 0).code, StatusCode::InvalidCredentials);
    EXPECT_EQ(status_at(accepted.send.at(0).message, 0).code, StatusCode::AuthenticationAccepted);
}

TEST(ServerSession, MissingStatusForASentCommandIsAFinding) {
    covers(req::MgmtPolicyMO_OSR_01);
    ReplaceSent sent;
    auto& server = sent.server;

    const auto step = deliver(server, from_client(2).hdr_status(1, StatusCode::Ok).build());

    ASSERT_EQ(step.findings.size(), 1U);
    EXPECT_EQ(step.findings[0].evidence.location, "SyncBody/Status");
    EXPECT_EQ(step.end->reason, EndReason::Completed);
}

TEST(ServerSession, AStatusCodeOutsideTheDefinedRangesIsNeverAFinalStatus) {
    covers(req::MgmtPolicyMO_OSR_01);
    for (const std::uint16_t code : std::initializer_list<std::uint16_t>{0, 99, 600, 999}) {
        ReplaceSent sent;
        syncml::Status s;
        s.msg_ref = MsgId{1};
        s.cmd_ref = CmdId{2}; // the Replace, after the SyncHdr Status and the Alert's
        s.cmd = "Replace";
        s.code = base::status_from_int(code);

        const auto step =
            deliver(sent.server, from_client(2).hdr_status(1, StatusCode::Ok).command(std::move(s)).build());

        EXPECT_TRUE(std::none_of(step.events.begin(), step.events.end(), [](const Event& e) {
            return std::holds_alternative<event::CommandStatusReceived>(e);
        })) << code;
        ASSERT_EQ(step.findings.size(), 2U) << code; // the code, then the Replace left without a Status
        EXPECT_NE(step.findings[0].detail.find("outside 100-599"), std::string::npos)
            << step.findings[0].detail;
        EXPECT_EQ(step.findings[1].evidence.location, "SyncBody/Status");
    }
}

TEST(ServerSession, AToleratedDepartureFromTheDtdIsAFindingAndTheSessionGoesOn) {
    covers(req::MgmtPolicyMO_OSR_01);
    ReplaceSent sent;
    auto m = from_client(2).hdr_status(1, StatusCode::Ok).build();
    m.tolerated.push_back("Status 1 of the SyncHdr has no CmdRef");

    const std::string body = syncml::encode_xml(m);
    const auto step = sent.server.on_message(Inbound{m, body, std::nullopt, {}}, base::TimePoint{});

    ASSERT_FALSE(step.findings.empty());
    EXPECT_NE(step.findings[0].detail.find("no CmdRef"), std::string::npos);
    EXPECT_EQ(step.findings[0].requirement.id, req::MgmtPolicyMO_OSR_01.id);
    EXPECT_FALSE(step.send.empty()); // answered in SyncML
}

TEST(ServerSession, RepeatedCmdIdIsAFindingAndTheSessionGoesOn) {
    covers(req::MgmtPolicyMO_OSR_01);
    base::SeededRandom random{4};
    ServerSession server{server_config(), random};
    auto m = package1().build(); // Alert (CmdID 1) and the DevInfo Replace (CmdID 2)
    std::visit([](auto& x) { x.cmd_id = CmdId{1}; }, m.body[1].variant());

    const auto step = deliver(server, m);

    const auto repeated = std::count_if(step.findings.begin(), step.findings.end(), [](const Finding& f) {
        return f.evidence.location == "SyncBody/*/CmdID" && f.evidence.cmd_id == CmdId{1};
    });
    EXPECT_EQ(repeated, 1);
    ASSERT_FALSE(step.send.empty());
    EXPECT_EQ(status_at(step.send[0].message, 0).code, StatusCode::Ok); // answered, not refused
}

TEST(ServerSession, GenericAlertIsAnsweredWithTheConfiguredCode) {
    covers(req::MgmtPolicyMO_DMS_02);
    base::SeededRandom random(3);
    auto cfg = server_config();
    cfg.generic_alert_reply = StatusCode::Accepted;
    ServerSession server(cfg, random);
    syncml::Alert ga;
    ga.code = syncml::alert_code::kGenericAlert;
    syncml::Item item;
    item.meta = syncml::Meta{};
    item.meta->type = "Reversed-Domain-Name: org.example.policy";
    item.meta->format = "chr";
    item.data = "done";
    ga.items.push_back(item);

    const auto step = deliver(server, package1().command(ga).build());

    EXPECT_EQ(status_at(step.send.at(0).message, 3).code, StatusCode::Accepted);
    EXPECT_EQ(step.end->reason, EndReason::Completed);
}

TEST(ServerSession, GenericAlertGetsNoStatusWhenAcknowledgingIsOff) {
    covers(req::MgmtPolicyMO_DMS_02);
    base::SeededRandom random(3);
    auto cfg = server_config();
    cfg.acknowledge_generic_alerts = false;
    ServerSession server(cfg, random);
    syncml::Alert ga;
    ga.code = syncml::alert_code::kGenericAlert;
    syncml::Item item;
    item.data = "done";
    ga.items.push_back(item);

    const auto step = deliver(server, package1().command(ga).build());

    const auto& reply = step.send.at(0).message;
    for (const auto& c : reply.body) {
        const auto* s = std::get_if<syncml::Status>(&c.variant());
        EXPECT_TRUE(s == nullptr || s->cmd != "Alert" || s->cmd_ref != CmdId{3})
            << "the Generic Alert got a Status";
    }
}

TEST(ServerSession, ClientManagementCommandsAreRefusedWith405) {
    covers(req::MgmtPolicyMO_OSR_01);
    base::SeededRandom random(3);
    ServerSession server(server_config(), random);

    const auto step = deliver(server, package1().command(add("./Z", "1")).build());

    EXPECT_EQ(status_at(step.send.at(0).message, 3).code, StatusCode::CommandNotAllowed);
    EXPECT_EQ(step.findings.size(), 1U);
}

TEST(ServerSession, NoClientMessageBeforeTheDeadlineEndsWithTimeout) {
    covers(req::MgmtPolicyMO_OSR_01);
    ReplaceSent sent;
    auto& server = sent.server;

    const auto step = server.on_timeout(*server.next_deadline());

    ASSERT_TRUE(step.end.has_value());
    EXPECT_EQ(step.end->reason, EndReason::Timeout);
}

TEST(ServerSession, ResultsOverTheAdvertisedMaxObjSizeAreAnswered413) {
    covers(req::MgmtPolicyMO_OSR_01);
    base::SeededRandom random(3);
    auto cfg = server_config();
    cfg.max_obj_size = 100;
    ServerSession server(cfg, random);
    server.enqueue(get("./Log"));
    (void)deliver(server, package1().build());
    syncml::Results r;
    r.msg_ref = MsgId{1};
    r.cmd_ref = CmdId{4}; // the Get followed three statuses in the server message
    syncml::Item item;
    item.source = syncml::Location{"./Log", std::nullopt};
    item.data = std::string(500, 'l');
    r.items.push_back(item);

    const auto step = deliver(
        server,
        from_client(2)
            .hdr_status(1, StatusCode::Ok)
            .command(syncml::Status{
                CmdId{}, MsgId{1}, CmdId{4}, "Get", {}, {}, std::nullopt, std::nullopt, StatusCode::Ok, {}})
            .command(r)
            .build());

    EXPECT_EQ(status_at(step.send.at(0).message, 1).code, StatusCode::RequestEntityTooLarge);
    for (const auto& e : step.events)
        EXPECT_FALSE(std::holds_alternative<event::ResultsReceived>(e));
    ASSERT_EQ(step.findings.size(), 1U);
    EXPECT_EQ(step.findings[0].evidence.location, "SyncBody/Results/Item/Data");
}

} // namespace
} // namespace omadm::session
