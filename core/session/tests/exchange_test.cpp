// Client and server engines against each other: full sessions, auth schemes, multi-message
// packages, large objects, abort, version refusal, Generic Alerts, failure at every step.
#include "builders.hpp"
#include "exchange.hpp"
#include "fake_handler.hpp"
#include "omadm/auth/credentials.hpp"
#include "omadm/session/client_session.hpp"
#include "omadm/session/server_session.hpp"
#include "omadm/syncml/codec.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>
#include <tuple>

namespace omadm::session {
namespace {

using namespace omadm::session::testing; // NOLINT(google-build-using-namespace): test DSL
using omadm::testing::covers;

/// Statuses for queued commands (not those answering a 1222 Alert) with this code.
std::size_t count_code(const std::vector<event::CommandStatusReceived>& v, StatusCode code) {
    std::size_t n = 0;
    for (const auto& e : v)
        n += (e.ticket && e.code == code) ? 1U : 0U;
    return n;
}

std::vector<event::CommandStatusReceived> ticketed(const std::vector<event::CommandStatusReceived>& v) {
    std::vector<event::CommandStatusReceived> out;
    for (const auto& e : v) {
        if (e.ticket) out.push_back(e);
    }
    return out;
}

bool has_alert(const syncml::Message& m, std::uint16_t code) {
    for (const auto& c : m.body) {
        if (const auto* a = std::get_if<syncml::Alert>(&c.variant()); a != nullptr && a->code == code)
            return true;
    }
    return false;
}

/// The tampering a man in the middle could do without breaking the encoding: one byte of the
/// device id (in every client SyncHdr) changes.
void corrupt(std::string& body) {
    const auto at = body.find("IMEI:493005100592800");
    ASSERT_NE(at, std::string::npos);
    body[at + 19] = '1';
}

std::size_t encoded_bytes(const syncml::Message& m, syncml::Encoding enc) {
    return syncml::encode(m, enc).value().size();
}

class SessionExchange : public ::testing::TestWithParam<syncml::Encoding> {
protected:
    [[nodiscard]] static syncml::Encoding encoding() { return GetParam(); }
    /// What the receiving shell hands its engine: the message decoded from the encoded bytes.
    struct Received {
        Wire wire;
        [[nodiscard]] Inbound inbound() const { return Inbound{wire.message, wire.body, std::nullopt, {}}; }
    };
    [[nodiscard]] static Received over_the_wire(const Step& step) {
        return Received{on_the_wire(step.send.at(0).message, GetParam())};
    }
};

std::string encoding_name(const ::testing::TestParamInfo<syncml::Encoding>& info) {
    return info.param == syncml::Encoding::Xml ? "Xml" : "Wbxml";
}

INSTANTIATE_TEST_SUITE_P(Encodings, SessionExchange,
                         ::testing::Values(syncml::Encoding::Xml, syncml::Encoding::Wbxml), encoding_name);

TEST_P(SessionExchange, PlainSessionRunsEveryCommandKind) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    device.values["./DevDetail/SwV"] = "4.2";
    ClientSession client(client_config(), device);
    base::SeededRandom random(1);
    ServerSession server(server_config(), random);
    const auto get = server.enqueue(testing::get("./DevDetail/SwV"));
    server.enqueue(replace("./MgmtPolicy/p1/Name", "n"));
    server.enqueue(add("./MgmtPolicy/p2", "x"));
    server.enqueue(del("./MgmtPolicy/p3"));
    server.enqueue(exec("./MgmtPolicy/p1/Operations/Activate", "corr-1"));
    const auto at = server.enqueue(atomic({add("./A/1", "a"), replace("./A/2", "b")}));
    server.enqueue(sequence({del("./B/1"), exec("./B/Run")}));

    Exchange ex(client, server, encoding());
    ex.run();

    ASSERT_TRUE(ex.client_end && ex.server_end);
    EXPECT_EQ(ex.client_end->reason, EndReason::Completed);
    EXPECT_EQ(ex.server_end->reason, EndReason::Completed);
    EXPECT_EQ(device.executed.size(), 7U);
    const auto statuses = ex.server_events<event::CommandStatusReceived>();
    EXPECT_EQ(statuses.size(), 11U); // 7 commands + 4 members
    EXPECT_EQ(count_code(statuses, StatusCode::Ok), 11U);
    std::size_t atomic_members = 0;
    for (const auto& s : statuses)
        atomic_members += (s.ticket == at && s.member) ? 1U : 0U;
    EXPECT_EQ(atomic_members, 2U);
    const auto results = ex.server_events<event::ResultsReceived>();
    ASSERT_EQ(results.size(), 1U);
    EXPECT_EQ(results[0].ticket, get);
    EXPECT_EQ(results[0].items.at(0).data, "4.2");
    EXPECT_TRUE(ex.server_findings().empty());
    EXPECT_TRUE(ex.client_findings().empty());
    ASSERT_EQ(ex.to_server.size(), 2U); // Package 1 and Package 3; Package 4 closes the session
    EXPECT_EQ(ex.to_server[1].hdr.msg_id, MsgId{2});
}

TEST_P(SessionExchange, SessionStartedCarriesDevInfo) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    ClientSession client(client_config(), device);
    base::SeededRandom random(1);
    ServerSession server(server_config(), random);

    Exchange ex(client, server, encoding());
    ex.run();

    const auto started = ex.server_events<event::SessionStarted>();
    ASSERT_EQ(started.size(), 1U);
    EXPECT_EQ(started[0].alert_code, syncml::alert_code::kClientInitiatedMgmt);
    EXPECT_EQ(started[0].dev_info.size(), 5U);
    EXPECT_EQ(started[0].client_uri, "IMEI:493005100592800");
    EXPECT_EQ(ex.client_end->reason, EndReason::Completed);
    EXPECT_EQ(ex.to_server.size(), 1U);
}

struct SchemeCase {
    AuthScheme scheme;
    StatusCode expected_hdr;
};

class ExchangeAuth : public ::testing::TestWithParam<std::tuple<SchemeCase, syncml::Encoding>> {
protected:
    [[nodiscard]] static const SchemeCase& scheme() { return std::get<0>(GetParam()); }
};

TEST_P(ExchangeAuth, AuthenticatesAndRunsCommands) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    FakeHandler device;
    auto cc = client_config(scheme().scheme);
    auto sc = server_config(scheme().scheme);
    cc.account.nonce_b64 = "MDEyMzQ1Njc4OUFCQ0RFRg==";
    sc.client_nonce_b64 = cc.account.nonce_b64;
    ClientSession client(cc, device);
    base::SeededRandom random(7);
    ServerSession server(sc, random);
    server.enqueue(replace("./X", "1"));

    Exchange ex(client, server, std::get<1>(GetParam()));
    ex.run();

    EXPECT_EQ(ex.server_end->reason, EndReason::Completed);
    EXPECT_EQ(device.executed.size(), 1U);
    const auto auth = ex.server_events<event::Authenticated>();
    ASSERT_EQ(auth.size(), 1U);
    EXPECT_EQ(auth[0].code, scheme().expected_hdr);
    EXPECT_TRUE(ex.server_events<event::AuthFailed>().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Schemes, ExchangeAuth,
    ::testing::Combine(::testing::Values(SchemeCase{AuthScheme::Basic, StatusCode::AuthenticationAccepted},
                                         SchemeCase{AuthScheme::Md5, StatusCode::AuthenticationAccepted},
                                         SchemeCase{AuthScheme::Hmac, StatusCode::Ok}),
                       ::testing::Values(syncml::Encoding::Xml, syncml::Encoding::Wbxml)));

class ExchangeWrongPassword : public ::testing::TestWithParam<std::tuple<AuthScheme, syncml::Encoding>> {
protected:
    [[nodiscard]] static AuthScheme scheme() { return std::get<0>(GetParam()); }
};

TEST_P(ExchangeWrongPassword, RefusesWith401AndExecutesNothing) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    FakeHandler device;
    auto cc = client_config(scheme());
    cc.account.password = "wrong";
    ClientSession client(cc, device);
    base::SeededRandom random(7);
    ServerSession server(server_config(scheme()), random);
    server.enqueue(replace("./X", "1"));

    Exchange ex(client, server, std::get<1>(GetParam()));
    ex.run();

    EXPECT_EQ(ex.server_end->reason, EndReason::AuthFailed);
    EXPECT_EQ(ex.client_end->reason, EndReason::AuthFailed);
    EXPECT_TRUE(device.executed.empty());
    for (const auto& reply : ex.to_client) {
        for (const auto& c : reply.body)
            EXPECT_TRUE(std::holds_alternative<syncml::Status>(c.variant()));
        const auto& hdr = std::get<syncml::Status>(reply.body.front().variant());
        EXPECT_EQ(hdr.code, StatusCode::InvalidCredentials);
    }
    EXPECT_EQ(ex.server_events<event::AuthFailed>().size(), 3U);
    EXPECT_TRUE(ex.server_events<event::SessionStarted>().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Schemes, ExchangeWrongPassword,
    ::testing::Combine(::testing::Values(AuthScheme::Basic, AuthScheme::Md5, AuthScheme::Hmac),
                       ::testing::Values(syncml::Encoding::Xml, syncml::Encoding::Wbxml)));

TEST_P(SessionExchange, MissingCredentialsGets407ThenRetriesWithRequestedScheme) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    FakeHandler device;
    ClientSession client(client_config(AuthScheme::None), device);
    base::SeededRandom random(7);
    ServerSession server(server_config(AuthScheme::Md5), random);
    server.enqueue(replace("./X", "1"));

    Exchange ex(client, server, encoding());
    ex.run();

    ASSERT_GE(ex.to_client.size(), 2U);
    const auto& first = std::get<syncml::Status>(ex.to_client[0].body.front().variant());
    EXPECT_EQ(first.code, StatusCode::MissingCredentials);
    ASSERT_TRUE(first.chal.has_value());
    EXPECT_EQ(first.chal->meta.type, "syncml:auth-md5");
    EXPECT_EQ(first.chal->meta.format, "b64");
    EXPECT_TRUE(first.chal->meta.next_nonce.has_value());
    EXPECT_EQ(ex.to_server[1].hdr.session_id, ex.to_server[0].hdr.session_id);
    EXPECT_EQ(ex.to_server[1].hdr.msg_id, MsgId{2});
    EXPECT_EQ(ex.to_server[1].hdr.cred->meta.type, "syncml:auth-md5");
    EXPECT_EQ(ex.server_end->reason, EndReason::Completed);
    EXPECT_EQ(device.executed.size(), 1U);
}

TEST_P(SessionExchange, StaleNonceIsChallengedAndRetriedWithTheNewOne) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    FakeHandler device;
    auto cc = client_config(AuthScheme::Md5);
    cc.account.nonce_b64 = "c3RhbGU=";
    ClientSession client(cc, device);
    base::SeededRandom random(7);
    ServerSession server(server_config(AuthScheme::Md5), random);

    Exchange ex(client, server, encoding());
    ex.run();

    const auto& first = std::get<syncml::Status>(ex.to_client[0].body.front().variant());
    EXPECT_EQ(first.code, StatusCode::InvalidCredentials);
    const auto& second = std::get<syncml::Status>(ex.to_client[1].body.front().variant());
    EXPECT_EQ(second.code, StatusCode::AuthenticationAccepted);
    EXPECT_EQ(ex.client_end->reason, EndReason::Completed);
    EXPECT_EQ(ex.client_events<event::NonceIssued>().size(), 2U); // challenge + next-session nonce
}

TEST_P(SessionExchange, HmacTamperedBodyIsRefusedThenRetriedCleanly) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    FakeHandler device;
    ClientSession client(client_config(AuthScheme::Hmac), device);
    base::SeededRandom random(7);
    ServerSession server(server_config(AuthScheme::Hmac), random);
    server.enqueue(replace("./X", "1"));

    Exchange ex(client, server, encoding());
    ex.tamper = [](const Delivery& d, std::string& body, std::optional<std::string>&) {
        if (d.index == 0) corrupt(body);
    };
    ex.run();

    const auto& first = std::get<syncml::Status>(ex.to_client[0].body.front().variant());
    EXPECT_EQ(first.code, StatusCode::InvalidCredentials);
    EXPECT_EQ(ex.server_events<event::AuthFailed>().size(), 1U);
    EXPECT_EQ(ex.server_end->reason, EndReason::Completed);
    EXPECT_EQ(device.executed.size(), 1U);
    // Every accepted HMAC message answered 200 with a new NextNonce.
    const auto& later = std::get<syncml::Status>(ex.to_client[1].body.front().variant());
    EXPECT_EQ(later.code, StatusCode::Ok);
    ASSERT_TRUE(later.chal && later.chal->meta.next_nonce);
    EXPECT_NE(later.chal->meta.next_nonce, first.chal->meta.next_nonce);
}

TEST_P(SessionExchange, HmacMissingHeaderGets407) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    FakeHandler device;
    ClientSession client(client_config(AuthScheme::Hmac), device);
    base::SeededRandom random(7);
    ServerSession server(server_config(AuthScheme::Hmac), random);

    Exchange ex(client, server, encoding());
    ex.tamper = [](const Delivery& d, std::string&, std::optional<std::string>& hmac) {
        if (d.index == 0) hmac.reset();
    };
    ex.run();

    const auto& first = std::get<syncml::Status>(ex.to_client[0].body.front().variant());
    EXPECT_EQ(first.code, StatusCode::MissingCredentials);
    EXPECT_EQ(ex.client_end->reason, EndReason::Completed);
}

TEST_P(SessionExchange, ServerCredentialsAreVerifiedByTheClient) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    FakeHandler device;
    auto cc = verifying_client_config(AuthScheme::Md5);
    cc.account.server_nonce_b64 = "c2VydmVybm9uY2U=";
    auto sc = presenting_server_config(AuthScheme::Md5);
    sc.server_nonce_b64 = cc.account.server_nonce_b64;
    ClientSession client(cc, device);
    base::SeededRandom random(7);
    ServerSession server(sc, random);
    server.enqueue(replace("./X", "1"));

    Exchange ex(client, server, encoding());
    ex.run();

    EXPECT_EQ(ex.client_end->reason, EndReason::Completed);
    EXPECT_EQ(device.executed.size(), 1U);
    EXPECT_TRUE(ex.client_findings().empty());
}

TEST_P(SessionExchange, WrongServerCredentialsAreRefusedByTheClient) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    FakeHandler device;
    ClientSession client(verifying_client_config(AuthScheme::Basic), device);
    base::SeededRandom random(7);
    ServerSession server(presenting_server_config(AuthScheme::Basic, "guess"), random);
    server.enqueue(replace("./X", "1"));

    Exchange ex(client, server, encoding());
    ex.run();

    EXPECT_EQ(ex.client_end->reason, EndReason::AuthFailed);
    EXPECT_TRUE(device.executed.empty());
    EXPECT_FALSE(ex.client_findings().empty());
}

TEST_P(SessionExchange, MultiMessagePackageUsesNextMessageAlerts) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    auto cc = client_config();
    cc.max_msg_size = 1500;
    ClientSession client(cc, device);
    base::SeededRandom random(1);
    auto sc = server_config();
    sc.sizer = encoded_size(encoding());
    ServerSession server(sc, random);
    for (int i = 0; i < 60; ++i)
        server.enqueue(replace("./Node/" + std::to_string(i), "value"));

    Exchange ex(client, server, encoding());
    ex.run();

    EXPECT_EQ(ex.server_end->reason, EndReason::Completed);
    EXPECT_EQ(device.executed.size(), 60U);
    EXPECT_GT(ex.to_client.size(), 2U);
    EXPECT_FALSE(ex.to_client[0].final);
    EXPECT_TRUE(has_alert(ex.to_server[1], syncml::alert_code::kNextMessage) || !ex.to_server[1].final);
    EXPECT_EQ(count_code(ex.server_events<event::CommandStatusReceived>(), StatusCode::Ok), 60U);
    for (const auto& m : ex.to_client)
        EXPECT_LE(encoded_bytes(m, encoding()), 1500U);
    EXPECT_TRUE(ex.server_findings().empty());
}

TEST_P(SessionExchange, LargeObjectFromServerIsChunkedAndReassembled) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    auto cc = client_config();
    cc.max_msg_size = 3000;
    ClientSession client(cc, device);
    base::SeededRandom random(1);
    auto sc = server_config();
    sc.sizer = encoded_size(encoding());
    ServerSession server(sc, random);
    const std::string big(12000, 'z');
    const auto t = server.enqueue(replace("./Big", big));

    Exchange ex(client, server, encoding());
    ex.run();

    ASSERT_EQ(device.executed.size(), 1U);
    const auto& r = std::get<syncml::Replace>(device.executed[0].variant());
    EXPECT_EQ(r.items.at(0).data, big);
    const auto statuses = ticketed(ex.server_events<event::CommandStatusReceived>());
    EXPECT_GE(count_code(statuses, StatusCode::ChunkedItemAccepted), 4U);
    EXPECT_EQ(statuses.back().code, StatusCode::Ok);
    EXPECT_EQ(statuses.back().ticket, t);
    EXPECT_EQ(ex.server_end->reason, EndReason::Completed);
    const auto& first_chunk = std::get<syncml::Replace>(ex.to_client[0].body.back().variant());
    EXPECT_TRUE(first_chunk.items.at(0).more_data);
    EXPECT_EQ(first_chunk.items.at(0).meta->size, 12000U);
    for (const auto& m : ex.to_client)
        EXPECT_LE(encoded_bytes(m, encoding()), 3000U);
}

TEST(LargeObject, RefusedChunkEndsTheObjectWithItsStatus) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    auto cc = client_config();
    cc.max_msg_size = 3000;
    ClientSession client(cc, device);
    base::SeededRandom random(1);
    auto sc = server_config();
    sc.sizer = encoded_size(syncml::Encoding::Xml);
    ServerSession server(sc, random);
    const auto t = server.enqueue(replace("./Big", std::string(12000, 'z')));
    const auto after = server.enqueue(replace("./Small", "1"));

    Exchange ex(client, server, syncml::Encoding::Xml);
    ex.tamper = [](const Delivery& d, std::string& body, std::optional<std::string>&) {
        // The device refuses the first chunk (as a deployed client does with 425).
        if (d.to_server && d.index == 2) {
            const auto at = body.find("<Data>213</Data>");
            ASSERT_NE(at, std::string::npos) << body;
            body.replace(at, 16, "<Data>425</Data>");
        }
    };
    ex.run();

    const auto statuses = ticketed(ex.server_events<event::CommandStatusReceived>());
    std::vector<StatusCode> for_big;
    for (const auto& e : statuses) {
        if (e.ticket == t) for_big.push_back(e.code);
    }
    EXPECT_EQ(for_big, std::vector<StatusCode>{StatusCode::PermissionDenied});
    std::size_t chunks_sent = 0;
    for (const auto& m : ex.to_client) {
        for (const auto& c : m.body) {
            const auto* r = std::get_if<syncml::Replace>(&c.variant());
            if (r != nullptr && r->items.at(0).target->loc_uri == "./Big") ++chunks_sent;
        }
    }
    EXPECT_EQ(chunks_sent, 1U);
    ASSERT_FALSE(statuses.empty());
    EXPECT_EQ(statuses.back().ticket, after);
    EXPECT_EQ(ex.server_end->reason, EndReason::Completed);
}

TEST_P(SessionExchange, LargeResultsFromClientAreChunkedAndReassembled) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    const std::string big(10000, 'r');
    device.values["./Log"] = big;
    auto cc = client_config();
    cc.sizer = encoded_size(encoding());
    ClientSession client(cc, device);
    base::SeededRandom random(1);
    auto sc = server_config();
    sc.max_msg_size = 3000;
    ServerSession server(sc, random);
    const auto t = server.enqueue(testing::get("./Log"));

    Exchange ex(client, server, encoding());
    ex.run();

    const auto results = ex.server_events<event::ResultsReceived>();
    ASSERT_EQ(results.size(), 1U);
    EXPECT_EQ(results[0].ticket, t);
    EXPECT_EQ(results[0].items.at(0).data, big);
    EXPECT_EQ(ex.server_end->reason, EndReason::Completed);
    for (const auto& m : ex.to_server)
        EXPECT_LE(encoded_bytes(m, encoding()), 3000U);
}

TEST_P(SessionExchange, ClientAbortIsAcknowledged) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    ClientSession client(client_config(), device);
    base::SeededRandom random(1);
    ServerSession server(server_config(), random);
    server.enqueue(replace("./X", "1"));
    const base::TimePoint now{};
    auto p1 = client.start(now);
    auto p2 = server.on_message(over_the_wire(p1).inbound(), now);

    auto abort = client.abort(now);
    auto reply = server.on_message(over_the_wire(abort).inbound(), now);

    EXPECT_EQ(abort.end->reason, EndReason::AbortedLocally);
    ASSERT_TRUE(reply.end.has_value());
    EXPECT_EQ(reply.end->reason, EndReason::AbortedByPeer);
    EXPECT_EQ(reply.send.at(0).message.body.size(), 2U); // Status for SyncHdr and for the 1223 Alert
    EXPECT_EQ(client.state(), ClientState::Ended);
    EXPECT_EQ(server.state(), ServerState::Ended);
}

TEST_P(SessionExchange, ServerAbortEndsTheClientWithoutReply) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    ClientSession client(client_config(), device);
    base::SeededRandom random(1);
    ServerSession server(server_config(), random);
    (void)server.abort(base::TimePoint{});

    Exchange ex(client, server, encoding());
    ex.run();

    EXPECT_EQ(ex.server_end->reason, EndReason::AbortedLocally);
    EXPECT_EQ(ex.client_end->reason, EndReason::AbortedByPeer);
    EXPECT_EQ(ex.to_server.size(), 1U);
}

TEST_P(SessionExchange, UnknownVerProtoIsAnswered513) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    auto cc = client_config();
    cc.ver_proto = "DM/1.1";
    cc.fallback_ver_proto.clear(); // no retry: the session ends on the 513
    ClientSession client(cc, device);
    base::SeededRandom random(1);
    ServerSession server(server_config(), random);
    server.enqueue(replace("./X", "1"));

    Exchange ex(client, server, encoding());
    ex.run();

    const auto& hdr = std::get<syncml::Status>(ex.to_client.at(0).body.front().variant());
    EXPECT_EQ(hdr.code, StatusCode::ProtocolVersionNotSupported);
    EXPECT_EQ(ex.server_end->reason, EndReason::VersionNotSupported);
    EXPECT_EQ(ex.client_end->reason, EndReason::VersionNotSupported);
    EXPECT_TRUE(device.executed.empty());
}

TEST_P(SessionExchange, ServerAnswersInTheVersionTheClientOpenedWith) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    auto cc = client_config();
    cc.ver_proto = syncml::kVerProtoDm13;
    ClientSession client(cc, device);
    base::SeededRandom random(1);
    ServerSession server(server_config(), random);
    server.enqueue(replace("./X", "1"));

    Exchange ex(client, server, encoding());
    ex.run();

    for (const auto& m : ex.to_client)
        EXPECT_EQ(m.hdr.ver_proto, syncml::kVerProtoDm13);
    EXPECT_EQ(ex.server_end->reason, EndReason::Completed);
}

TEST_P(SessionExchange, GenericAlertWithCorrelatorIsAcknowledged) {
    covers(req::MgmtPolicyMO_Device_01, req::MgmtPolicyMO_DMS_02);
    FakeHandler device;
    ClientSession client(client_config(), device);
    const auto ticket = client.queue_generic_alert(GenericAlert{
        "corr-42",
        {GenericAlertItem{"./MgmtPolicy/p1", std::nullopt, "urn:oma:at:mgmtpolicy:1.0:ActionResult", "int",
                          "critical", "1200"}}});
    base::SeededRandom random(1);
    ServerSession server(server_config(), random);

    Exchange ex(client, server, encoding());
    ex.run();

    const auto received = ex.server_events<event::GenericAlertReceived>();
    ASSERT_EQ(received.size(), 1U);
    EXPECT_EQ(received[0].correlator, "corr-42");
    EXPECT_EQ(received[0].item.source, "./MgmtPolicy/p1");
    EXPECT_EQ(received[0].item.type, "urn:oma:at:mgmtpolicy:1.0:ActionResult");
    EXPECT_EQ(received[0].item.format, "int");
    EXPECT_EQ(received[0].item.mark, "critical");
    EXPECT_EQ(received[0].item.data, "1200");
    const auto acks = ex.client_events<event::AlertAcknowledged>();
    ASSERT_EQ(acks.size(), 1U);
    EXPECT_EQ(acks[0].ticket, ticket);
    EXPECT_TRUE(acks[0].accepted());
}

TEST_P(SessionExchange, GenericAlertQueuedMidSessionRidesInPackage3) {
    covers(req::MgmtPolicyMO_Device_01, req::MgmtPolicyMO_DMS_02);
    FakeHandler device;
    ClientSession client(client_config(), device);
    base::SeededRandom random(1);
    ServerSession server(server_config(), random);
    server.enqueue(exec("./MgmtPolicy/p1/Operations/Activate", "c-7"));
    const base::TimePoint now{};
    auto p1 = client.start(now);
    auto p2 = server.on_message(over_the_wire(p1).inbound(), now);
    (void)client.queue_generic_alert(
        GenericAlert{"c-7",
                     {GenericAlertItem{"./MgmtPolicy/p1", std::nullopt, "urn:oma:at:mgmtpolicy:1.0:Activated",
                                       "int", std::nullopt, "1200"}}});
    auto p3 = client.on_message(over_the_wire(p2).inbound(), now);
    auto p4 = server.on_message(over_the_wire(p3).inbound(), now);

    ASSERT_EQ(p4.end->reason, EndReason::Completed);
    std::size_t generic = 0;
    for (const auto& e : p4.events)
        generic += std::holds_alternative<event::GenericAlertReceived>(e) ? 1U : 0U;
    EXPECT_EQ(generic, 1U);
}

TEST_P(SessionExchange, FailEachStepEndsBothEnginesWithTransportFailure) {
    covers(req::MgmtPolicyMO_OSR_01);
    for (std::size_t k = 0; k < 4; ++k) {
        FakeHandler device;
        ClientSession client(client_config(AuthScheme::Md5), device);
        base::SeededRandom random(1);
        ServerSession server(server_config(AuthScheme::Md5), random);
        server.enqueue(replace("./X", "1"));
        Exchange ex(client, server, encoding());
        ex.fail_at = k;

        ex.run();

        SCOPED_TRACE(k);
        ASSERT_TRUE(ex.client_end.has_value());
        EXPECT_EQ(ex.client_end->reason, EndReason::TransportFailure);
        ASSERT_TRUE(ex.server_end.has_value());
        // The server ends with its last package (k == 3), before the failed delivery of that package.
        EXPECT_EQ(ex.server_end->reason, k < 3 ? EndReason::TransportFailure : EndReason::Completed);
        EXPECT_EQ(client.state(), ClientState::Ended);
        EXPECT_EQ(server.state(), ServerState::Ended);
        EXPECT_FALSE(client.next_deadline().has_value());
    }
}

TEST_P(SessionExchange, FailEachStepWithBadCredentialsEndsWithAuthFailure) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    for (std::size_t k = 0; k < 6; k += 2) {
        FakeHandler device;
        ClientSession client(client_config(AuthScheme::Hmac), device);
        base::SeededRandom random(1);
        auto sc = server_config(AuthScheme::Hmac);
        sc.max_auth_attempts = 1;
        ServerSession server(sc, random);
        server.enqueue(replace("./X", "1"));
        server.enqueue(replace("./Y", "2"));
        Exchange ex(client, server, encoding());
        ex.tamper = [k](const Delivery& d, std::string& body, std::optional<std::string>&) {
            if (d.index == k && d.to_server) corrupt(body);
        };

        ex.run();

        SCOPED_TRACE(k);
        ASSERT_TRUE(ex.server_end.has_value());
        if (k < 4) {
            EXPECT_EQ(ex.server_end->reason, EndReason::AuthFailed);
            EXPECT_EQ(ex.client_end->reason, EndReason::AuthFailed);
        }
        EXPECT_EQ(server.state(), ServerState::Ended);
    }
}

TEST_P(SessionExchange, ServerStatusesSplitAcrossMessagesUnderTheClientMaxMsgSize) {
    covers(req::MgmtPolicyMO_OSR_01, req::MgmtPolicyMO_DMS_02);
    FakeHandler device;
    auto cc = client_config();
    cc.max_msg_size = 1200;
    cc.sizer = encoded_size(encoding());
    ClientSession client(cc, device);
    for (int i = 0; i < 40; ++i) {
        (void)client.queue_generic_alert(GenericAlert{
            "c-" + std::to_string(i),
            {GenericAlertItem{"./MgmtPolicy/p" + std::to_string(i), std::nullopt,
                              "urn:oma:at:mgmtpolicy:1.0:ActionResult", "int", std::nullopt, "1200"}}});
    }
    base::SeededRandom random(1);
    auto sc = server_config();
    sc.sizer = encoded_size(encoding());
    ServerSession server(sc, random);

    Exchange ex(client, server, encoding());
    ex.run();

    EXPECT_EQ(ex.server_end->reason, EndReason::Completed);
    EXPECT_EQ(ex.client_end->reason, EndReason::Completed);
    EXPECT_GT(ex.to_client.size(), 1U);
    for (const auto& m : ex.to_client) {
        EXPECT_LE(encoded_bytes(m, encoding()), 1200U);
        const auto& first = std::get<syncml::Status>(m.body.front().variant());
        EXPECT_EQ(first.cmd, "SyncHdr");
    }
    const auto acks = ex.client_events<event::AlertAcknowledged>();
    EXPECT_EQ(acks.size(), 40U);
    EXPECT_TRUE(ex.client_findings().empty());
    EXPECT_TRUE(ex.server_findings().empty());
}

TEST_P(SessionExchange, ObjectOverTheClientMaxObjSizeIsNotSent) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    auto cc = client_config();
    cc.max_obj_size = 5000;
    ClientSession client(cc, device);
    base::SeededRandom random(1);
    ServerSession server(server_config(), random);
    const auto big = server.enqueue(replace("./Big", std::string(12000, 'z')));
    server.enqueue(replace("./Small", "s"));

    Exchange ex(client, server, encoding());
    ex.run();

    const auto refused = ex.server_events<event::ObjectTooLarge>();
    ASSERT_EQ(refused.size(), 1U);
    EXPECT_EQ(refused[0].ticket, big);
    EXPECT_EQ(refused[0].size, 12000U);
    EXPECT_EQ(refused[0].max_obj_size, 5000U);
    ASSERT_EQ(device.executed.size(), 1U);
    EXPECT_EQ(ex.server_end->reason, EndReason::Completed);
}

TEST_P(SessionExchange, AnAtomicOverTheClientMaxMsgSizeIsNotSentAndHoldsNothingBack) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    auto cc = client_config();
    cc.max_msg_size = 2000;
    ClientSession client(cc, device);
    base::SeededRandom random(1);
    ServerSession server(server_config(), random);
    std::vector<syncml::Command> members;
    for (int i = 0; i < 10; ++i)
        members.push_back(replace("./Big/" + std::to_string(i), std::string(300, 'a')));
    const auto big = server.enqueue(atomic(std::move(members)));
    server.enqueue(replace("./Small", "s"));

    Exchange ex(client, server, encoding());
    ex.run();

    // An Atomic cannot travel in pieces: it is not sent rather than sent over the client's limit,
    // and the command queued after it still goes.
    const auto refused = ex.server_events<event::CommandTooLarge>();
    ASSERT_EQ(refused.size(), 1U);
    EXPECT_EQ(refused[0].ticket, big);
    EXPECT_EQ(refused[0].cmd, "Atomic");
    EXPECT_GT(refused[0].size, 2000U);
    EXPECT_EQ(refused[0].max_msg_size, 2000U);
    ASSERT_EQ(device.executed.size(), 1U);
    EXPECT_LE(ex.to_client.size(), 2U);
    EXPECT_EQ(ex.server_end->reason, EndReason::Completed);
}

TEST_P(SessionExchange, ResultsOverTheServerMaxObjSizeAnswerTheGet413) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    device.values["./Log"] = std::string(3000, 'r');
    ClientSession client(client_config(), device);
    base::SeededRandom random(1);
    auto sc = server_config();
    sc.max_obj_size = 1000;
    ServerSession server(sc, random);
    const auto t = server.enqueue(testing::get("./Log"));

    Exchange ex(client, server, encoding());
    ex.run();

    EXPECT_TRUE(ex.server_events<event::ResultsReceived>().empty());
    const auto statuses = ex.server_events<event::CommandStatusReceived>();
    ASSERT_EQ(statuses.size(), 1U);
    EXPECT_EQ(statuses[0].ticket, t);
    EXPECT_EQ(statuses[0].code, StatusCode::RequestEntityTooLarge);
    EXPECT_EQ(ex.client_events<event::ObjectTooLarge>().size(), 1U);
    EXPECT_EQ(ex.server_end->reason, EndReason::Completed);
}

TEST_P(SessionExchange, Refused13IsRetriedOnceAsANew12Session) {
    covers(req::MgmtPolicyMO_OSR_01);
    FakeHandler device;
    auto cc = client_config();
    cc.ver_proto = syncml::kVerProtoDm13;
    ClientSession client(cc, device);
    base::SeededRandom random(1);
    auto sc = server_config();
    sc.accepted_versions = {syncml::kVerProtoDm12};
    ServerSession first(sc, random);
    ServerSession second(sc, random);
    second.enqueue(replace("./X", "1"));

    Exchange ex(client, first, encoding());
    ex.next_server = [&second]() -> ServerSession& { return second; };
    ex.run();

    EXPECT_EQ(first.state(), ServerState::Ended);
    ASSERT_GE(ex.to_server.size(), 2U);
    EXPECT_EQ(ex.to_server[0].hdr.ver_proto, syncml::kVerProtoDm13);
    EXPECT_EQ(ex.to_server[1].hdr.ver_proto, syncml::kVerProtoDm12);
    EXPECT_EQ(ex.to_server[1].hdr.msg_id, MsgId{1});
    const auto fallback = ex.client_events<event::VersionFallback>();
    ASSERT_EQ(fallback.size(), 1U);
    EXPECT_EQ(fallback[0].to, syncml::kVerProtoDm12);
    EXPECT_EQ(ex.client_end->reason, EndReason::Completed);
    EXPECT_EQ(device.executed.size(), 1U);
}

TEST_P(SessionExchange, HmacFailureMidSessionReturnsToPackage1) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    FakeHandler device;
    ClientSession client(client_config(AuthScheme::Hmac), device);
    base::SeededRandom random(7);
    ServerSession server(server_config(AuthScheme::Hmac), random);
    server.enqueue(replace("./X", "1"));

    Exchange ex(client, server, encoding());
    ex.tamper = [](const Delivery& d, std::string& body, std::optional<std::string>&) {
        if (d.index == 2) corrupt(body); // Package 3
    };
    ex.run();

    ASSERT_GE(ex.to_server.size(), 3U);
    const auto& refused = std::get<syncml::Status>(ex.to_client.at(1).body.front().variant());
    EXPECT_EQ(refused.code, StatusCode::InvalidCredentials);
    EXPECT_TRUE(has_alert(ex.to_server[2], syncml::alert_code::kClientInitiatedMgmt));
    EXPECT_EQ(ex.to_server[2].hdr.msg_id, MsgId{3});
    EXPECT_EQ(ex.client_events<event::AuthFailed>().size(), 1U);
    EXPECT_EQ(ex.server_end->reason, EndReason::Completed);
    EXPECT_EQ(ex.client_end->reason, EndReason::Completed);
    EXPECT_EQ(ex.server_findings().size(), 1U); // the refused message itself
}

TEST_P(SessionExchange, HmacIsComputedOverTheEncodedBytes) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    FakeHandler device;
    ClientSession client(client_config(AuthScheme::Hmac), device);
    const auto p1 = client.start(base::TimePoint{});
    const auto& out = p1.send.at(0);
    const std::string body = syncml::encode(out.message, encoding()).value();

    const auto header = hmac_header_value(*out.mac, body).value();

    const auto parsed = auth::parse_hmac_header(header);
    ASSERT_TRUE(parsed.has_value());
    EXPECT_TRUE(auth::verify_hmac_mac(parsed->mac, "dmclient", "secret", "", body,
                                      std::vector<auth::NonceForm>{auth::NonceForm::Decoded}));
}

} // namespace
} // namespace omadm::session
