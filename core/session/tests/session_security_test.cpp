// Who may speak inside a session: a server session bound to its RespURI once the client has
// authenticated under basic or md5 (no message without credentials from elsewhere is taken), every
// message verified under HMAC, a refused request that cannot take away the client's nonce, and a
// client that never gives its password for a weaker scheme nor keeps what an unverified server
// hands it (OMA-TS-DM_Security 5.1.3).
#include "builders.hpp"
#include "exchange.hpp"
#include "fake_handler.hpp"
#include "omadm/auth/credentials.hpp"
#include "omadm/session/client_session.hpp"
#include "omadm/session/server_session.hpp"
#include "omadm/testing/covers.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <stdexcept>
#include <string>

namespace omadm::session {
namespace {

using namespace omadm::session::testing; // NOLINT(google-build-using-namespace): test DSL
using omadm::testing::covers;

constexpr const char* kDevice = "IMEI:1";
const std::string kTokenPrefix = std::string(kServerUri) + "?s=";

MessageBuilder from_client(std::uint32_t msg_id) {
    MessageBuilder b("7", msg_id);
    b.from(kDevice).to(kServerUri);
    return b;
}

/// md5 credentials of server_config()'s client for the nonce it starts with (none).
void sign(syncml::Message& m) {
    m.hdr.source.loc_name = "dmclient";
    m.hdr.cred = syncml::Cred{syncml::Meta{}, auth::md5_credential("dmclient", "secret", {})};
    m.hdr.cred->meta.type = "syncml:auth-md5";
    m.hdr.cred->meta.format = "b64";
}

syncml::Message package1() {
    auto m = from_client(1).alert(syncml::alert_code::kClientInitiatedMgmt).build();
    sign(m);
    return m;
}

/// Message 2 of the device: the Status of the server's Replace and a Generic Alert.
syncml::Message device_message2(CmdId replace, StatusCode replace_code) {
    syncml::Status s;
    s.msg_ref = MsgId{1};
    s.cmd_ref = replace;
    s.cmd = "Replace";
    s.code = replace_code;
    syncml::Alert generic;
    generic.code = syncml::alert_code::kGenericAlert;
    syncml::Item item;
    item.source = syncml::Location{"./MgmtPolicy/p1", std::nullopt};
    item.meta = syncml::Meta{};
    item.meta->type = "urn:oma:at:mgmtpolicy:1.0:ActionResult";
    item.data = "1200";
    generic.items.push_back(item);
    return from_client(2)
        .hdr_status(1, StatusCode::Ok)
        .command(std::move(s))
        .command(std::move(generic))
        .build();
}

Step deliver(ServerSession& server, const syncml::Message& m, std::string_view target) {
    const Wire wire = on_the_wire(m, syncml::Encoding::Xml);
    return server.on_message(Inbound{wire.message, wire.body, std::nullopt, target}, base::TimePoint{});
}

const syncml::Status& status_at(const Step& step, std::size_t i) {
    return std::get<syncml::Status>(step.send.at(0).message.body.at(i).variant());
}

template <class E> std::size_t count(const Step& step) {
    return static_cast<std::size_t>(std::count_if(
        step.events.begin(), step.events.end(), [](const Event& e) { return std::holds_alternative<E>(e); }));
}

class SessionBinding : public ::testing::Test {
protected:
    SessionBinding() : server_(server_config(AuthScheme::Md5), random_) {
        server_.enqueue(replace("./X", "1"));
        opened_ = deliver(server_, package1(), kServerUri);
    }
    [[nodiscard]] std::string resp_uri() const {
        return opened_.send.at(0).message.hdr.resp_uri.value_or("");
    }
    [[nodiscard]] syncml::Message package3(StatusCode replace_code) const {
        for (const auto& c : opened_.send.at(0).message.body) {
            if (std::holds_alternative<syncml::Replace>(c.variant())) {
                return device_message2(syncml::command_id(c), replace_code);
            }
        }
        ADD_FAILURE() << "the server sent no Replace";
        return {};
    }

    base::SeededRandom random_{11};
    ServerSession server_;
    Step opened_;
};

TEST_F(SessionBinding, AuthenticatedSessionAnswersWithATokenInItsRespUri) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    EXPECT_EQ(status_at(opened_, 0).code, StatusCode::AuthenticationAccepted);
    ASSERT_EQ(resp_uri().rfind(kTokenPrefix, 0), 0U) << resp_uri();
    const std::string token = resp_uri().substr(kTokenPrefix.size());
    EXPECT_EQ(token.size(), 32U);
    EXPECT_EQ(token.find_first_not_of("0123456789abcdef"), std::string::npos) << token;
}

TEST_F(SessionBinding, MessageWithoutCredentialsOutsideTheRespUriChangesNothing) {
    covers(req::MgmtPolicyMO_ATHEN_1);

    const auto forged = deliver(server_, package3(StatusCode::Ok), kServerUri);

    EXPECT_EQ(status_at(forged, 0).code, StatusCode::MissingCredentials);
    ASSERT_TRUE(status_at(forged, 0).chal.has_value());
    EXPECT_EQ(status_at(forged, 1).code, StatusCode::MissingCredentials); // the Generic Alert
    EXPECT_EQ(count<event::CommandStatusReceived>(forged), 0U);
    EXPECT_EQ(count<event::GenericAlertReceived>(forged), 0U);
    EXPECT_EQ(count<event::AuthFailed>(forged), 1U);
    ASSERT_EQ(forged.findings.size(), 1U);
    EXPECT_EQ(forged.findings[0].requirement.id, req::MgmtPolicyMO_ATHEN_1.id);
    EXPECT_EQ(server_.state(), ServerState::AwaitingPackage3);

    // The genuine message 2 still finds the session as it was: MsgID in sequence, Replace pending.
    const auto genuine = deliver(server_, package3(StatusCode::NotFound), resp_uri());
    EXPECT_EQ(status_at(genuine, 0).code, StatusCode::Ok);
    EXPECT_EQ(genuine.send.at(0).message.hdr.msg_id, MsgId{2});
    ASSERT_EQ(count<event::CommandStatusReceived>(genuine), 1U);
    EXPECT_EQ(count<event::GenericAlertReceived>(genuine), 1U);
    EXPECT_TRUE(genuine.findings.empty());
    for (const auto& e : genuine.events) {
        if (const auto* s = std::get_if<event::CommandStatusReceived>(&e)) {
            EXPECT_EQ(s->code, StatusCode::NotFound);
        }
    }
}

TEST_F(SessionBinding, AnUndecodableBodyIsTheSessionsOnlyOnItsRespUri) {
    covers(req::MgmtPolicyMO_OSR_01);
    constexpr std::string_view kGarbage = "<SyncML><SyncHdr>";
    EXPECT_TRUE(server_.addressed_by(resp_uri(), kGarbage, std::nullopt));
    EXPECT_FALSE(server_.addressed_by(kServerUri, kGarbage, std::nullopt));
    EXPECT_FALSE(server_.addressed_by(kTokenPrefix + std::string(32, '0'), kGarbage, std::nullopt));

    const auto ended = server_.on_undecodable("Status Data '2x0' is not a number", base::TimePoint{});

    ASSERT_TRUE(ended.end.has_value());
    EXPECT_EQ(ended.end->reason, EndReason::ProtocolError);
    ASSERT_EQ(ended.findings.size(), 1U);
    EXPECT_EQ(ended.findings[0].requirement.id, req::MgmtPolicyMO_OSR_01.id);
    EXPECT_EQ(server_.state(), ServerState::Ended);
}

TEST_F(SessionBinding, WrongTokenIsNotTheSession) {
    covers(req::MgmtPolicyMO_ATHEN_1);

    const auto forged = deliver(server_, package3(StatusCode::Ok), kTokenPrefix + std::string(32, '0'));

    EXPECT_EQ(status_at(forged, 0).code, StatusCode::MissingCredentials);
    EXPECT_EQ(count<event::CommandStatusReceived>(forged), 0U);
}

TEST_F(SessionBinding, LaterMessageWithValidCredentialsIsTakenFromAnyUri) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    auto m = package3(StatusCode::Ok);
    sign(m);

    const auto step = deliver(server_, m, kServerUri);

    EXPECT_TRUE(base::is_success(status_at(step, 0).code));
    EXPECT_EQ(count<event::CommandStatusReceived>(step), 1U);
    EXPECT_EQ(count<event::GenericAlertReceived>(step), 1U);
}

TEST_F(SessionBinding, WrongCredentialsOutsideTheRespUriAre401) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    auto m = package3(StatusCode::Ok);
    sign(m);
    m.hdr.cred->data = auth::md5_credential("dmclient", "guess", {});

    const auto step = deliver(server_, m, kServerUri);

    EXPECT_EQ(status_at(step, 0).code, StatusCode::InvalidCredentials);
    EXPECT_EQ(count<event::GenericAlertReceived>(step), 0U);
}

TEST(Md5Verification, NeedsNoLocNameButRefusesAnotherUser) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    base::SeededRandom random(3);
    ServerSession without(server_config(AuthScheme::Md5), random);
    ServerSession other(server_config(AuthScheme::Md5), random);
    auto no_loc_name = package1();
    no_loc_name.hdr.source.loc_name.reset();
    auto wrong_user = package1();
    wrong_user.hdr.source.loc_name = "someone-else";

    const auto accepted = deliver(without, no_loc_name, kServerUri);
    const auto refused = deliver(other, wrong_user, kServerUri);

    EXPECT_EQ(status_at(accepted, 0).code, StatusCode::AuthenticationAccepted);
    EXPECT_EQ(status_at(refused, 0).code, StatusCode::InvalidCredentials);
    ASSERT_EQ(refused.findings.size(), 1U);
    EXPECT_NE(refused.findings[0].detail.find("LocName 'someone-else'"), std::string::npos)
        << refused.findings[0].detail;
}

syncml::Status status_of(MsgId msg_ref, CmdId cmd_ref, std::string cmd, StatusCode code) {
    syncml::Status s;
    s.msg_ref = msg_ref;
    s.cmd_ref = cmd_ref;
    s.cmd = std::move(cmd);
    s.code = code;
    return s;
}

/// The first Replace of a server message (its CmdID), or nullopt.
std::optional<CmdId> replace_in(const syncml::Message& m) {
    for (const auto& c : m.body) {
        if (std::holds_alternative<syncml::Replace>(c.variant())) return syncml::command_id(c);
    }
    return std::nullopt;
}

TEST(ServerCredentials, RefusedCredentialsGoAgainOnTheClientsNonceWithTheCommandsTheyHeldBack) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    base::SeededRandom random(9);
    ServerSession server(presenting_server_config(AuthScheme::Md5), random);
    const auto ticket = server.enqueue(replace("./X", "1"));
    const auto opened = deliver(server, package1(), kServerUri);
    const auto& p2 = opened.send.at(0).message;
    ASSERT_TRUE(p2.hdr.cred.has_value());
    const auto first_replace = replace_in(p2);
    ASSERT_TRUE(first_replace.has_value());

    // A deployed client that wants another nonce: 407 with a Chal on the SyncHdr, 407 on the Replace.
    const std::string fresh = "ZnJlc2gtbm9uY2U=";
    auto hdr = status_of(MsgId{1}, CmdId{0}, "SyncHdr", StatusCode::MissingCredentials);
    hdr.chal = syncml::Chal{};
    hdr.chal->meta.type = "syncml:auth-md5";
    hdr.chal->meta.format = "b64";
    hdr.chal->meta.next_nonce = fresh;
    const auto refused =
        deliver(server,
                from_client(2)
                    .command(hdr)
                    .command(status_of(MsgId{1}, *first_replace, "Replace", StatusCode::MissingCredentials))
                    .build(),
                opened.send.at(0).message.hdr.resp_uri.value_or(""));

    EXPECT_EQ(count<event::CommandStatusReceived>(refused), 0U); // a 407 is not the Replace's outcome
    EXPECT_FALSE(refused.findings.empty());
    bool kept = false;
    for (const auto& e : refused.events) {
        const auto* n = std::get_if<event::NonceIssued>(&e);
        kept = kept || (n != nullptr && n->role == NonceRole::ServerCredential && n->nonce_b64 == fresh);
    }
    EXPECT_TRUE(kept);
    const auto& p4 = refused.send.at(0).message;
    ASSERT_TRUE(p4.hdr.cred.has_value());
    EXPECT_TRUE(auth::verify_md5_credential(p4.hdr.cred->data, "dmserver", "srvsecret", fresh));
    const auto again = replace_in(p4);
    ASSERT_TRUE(again.has_value());

    const auto answered = deliver(server,
                                  from_client(3)
                                      .hdr_status(2, StatusCode::Ok)
                                      .command(status_of(MsgId{2}, *again, "Replace", StatusCode::Ok))
                                      .build(),
                                  refused.send.at(0).message.hdr.resp_uri.value_or(""));
    ASSERT_EQ(count<event::CommandStatusReceived>(answered), 1U);
    for (const auto& e : answered.events) {
        if (const auto* st = std::get_if<event::CommandStatusReceived>(&e)) {
            EXPECT_EQ(st->ticket, ticket);
            EXPECT_EQ(st->code, StatusCode::Ok);
        }
    }
}

/// A device and a server with one Replace of ./X queued, run against each other over XML.
struct OneReplaceSession {
    OneReplaceSession(ClientConfig client_cfg, ServerConfig server_cfg)
        : client(std::move(client_cfg), device), server(std::move(server_cfg), random) {
        server.enqueue(replace("./X", "1"));
        ex.run();
    }
    FakeHandler device;
    base::SeededRandom random{5};
    ClientSession client;
    ServerSession server;
    Exchange ex{client, server, syncml::Encoding::Xml};
};

bool carries_cred_of_type(const syncml::Message& m, std::string_view type) {
    return m.hdr.cred && m.hdr.cred->meta.type.value_or("") == type;
}

TEST(ClientAuthentication, NeverAnswersAChallengeForAWeakerScheme) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    OneReplaceSession run(client_config(AuthScheme::Md5),
                          server_config(AuthScheme::Basic)); // challenges md5 Cred for basic
    auto& ex = run.ex;
    const auto& device = run.device;

    ASSERT_TRUE(ex.client_end.has_value());
    EXPECT_EQ(ex.client_end->reason, EndReason::AuthFailed);
    EXPECT_TRUE(std::none_of(ex.to_server.begin(), ex.to_server.end(),
                             [](const auto& m) { return carries_cred_of_type(m, auth::kAuthBasic); }));
    EXPECT_TRUE(device.executed.empty());
    const auto findings = ex.client_findings();
    EXPECT_TRUE(std::any_of(findings.begin(), findings.end(), [](const Finding& f) {
        return f.requirement.id == req::MgmtPolicyMO_ATHEN_1.id;
    }));
}

TEST(ClientAuthentication, AnswersAWeakerChallengeOnlyAsADeliberateDeviation) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    auto config = client_config(AuthScheme::Md5);
    config.answer_weaker_challenge = true; // the reference device's answer_weaker_challenge fault
    OneReplaceSession run(std::move(config), server_config(AuthScheme::Basic));
    auto& ex = run.ex;

    EXPECT_TRUE(std::any_of(ex.to_server.begin(), ex.to_server.end(),
                            [](const auto& m) { return carries_cred_of_type(m, auth::kAuthBasic); }));
    EXPECT_EQ(ex.client_end->reason, EndReason::Completed);
}

TEST(ClientAuthentication, UpgradesWhenChallengedForAStrongerScheme) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    OneReplaceSession run(client_config(AuthScheme::Basic), server_config(AuthScheme::Md5));
    auto& ex = run.ex;
    const auto& device = run.device;

    EXPECT_EQ(ex.client_end->reason, EndReason::Completed);
    EXPECT_EQ(device.executed.size(), 1U);
}

TEST(ClientAuthentication, KeepsNoNonceFromAnUnverifiedServer) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    // Accepts the device and rotates its nonce, but has no right to the device's trust.
    OneReplaceSession run(verifying_client_config(AuthScheme::Md5),
                          presenting_server_config(AuthScheme::Md5, "not-the-server-secret"));
    auto& ex = run.ex;
    const auto& device = run.device;

    ASSERT_FALSE(ex.server_events<event::NonceIssued>().empty()); // the server did hand one out
    EXPECT_TRUE(ex.client_events<event::NonceIssued>().empty());
    EXPECT_TRUE(device.executed.empty());
    EXPECT_EQ(ex.client_end->reason, EndReason::AuthFailed);
}

TEST(ClientAuthentication, KeepsTheNonceOfAVerifiedServer) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    OneReplaceSession run(verifying_client_config(AuthScheme::Md5),
                          presenting_server_config(AuthScheme::Md5));
    auto& ex = run.ex;
    const auto& device = run.device;

    EXPECT_EQ(ex.client_events<event::NonceIssued>().size(), 1U);
    EXPECT_EQ(device.executed.size(), 1U);
    EXPECT_EQ(ex.client_end->reason, EndReason::Completed);
}

/// The nonce the client handed the server for its next credentials, if it did (its Status on the
/// server's SyncHdr carries a Chal with NextNonce).
std::optional<std::string> nonce_handed_out(const Exchange& ex) {
    for (const auto& m : ex.to_server) {
        for (const auto& c : m.body) {
            const auto* st = std::get_if<syncml::Status>(&c.variant());
            if (st != nullptr && st->cmd_ref.value() == 0 && st->chal && st->chal->meta.next_nonce)
                return st->chal->meta.next_nonce;
        }
    }
    return std::nullopt;
}

TEST(ServerNonce, IssuedFreshOnceTheServersMd5CredVerified) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    const std::string next = "bmV4dC1zZXJ2ZXItbm9uY2U=";
    auto device_cfg = verifying_client_config(AuthScheme::Md5);
    device_cfg.account.next_server_nonce_b64 = next;
    OneReplaceSession run(std::move(device_cfg), presenting_server_config(AuthScheme::Md5));
    auto& ex = run.ex;

    EXPECT_EQ(ex.client_end->reason, EndReason::Completed);
    EXPECT_EQ(nonce_handed_out(ex), next);
    const auto kept = ex.client_events<event::NonceIssued>();
    EXPECT_TRUE(std::any_of(kept.begin(), kept.end(), [&](const auto& n) {
        return n.role == NonceRole::ServerCredential && n.nonce_b64 == next;
    }));
    const auto taken = ex.server_events<event::NonceIssued>();
    EXPECT_TRUE(std::any_of(taken.begin(), taken.end(), [&](const auto& n) {
        return n.role == NonceRole::ServerCredential && n.nonce_b64 == next;
    }));
}

/// The device holds the nonce it issued last session and issues "dGhpcmQtbm9uY2U=" next; the server
/// presents its Cred on an older one.
OneReplaceSession on_a_stale_server_nonce(bool follow_client_nonce) {
    auto device_cfg = verifying_client_config(AuthScheme::Md5);
    device_cfg.account.server_nonce_b64 = "bmV4dC1zZXJ2ZXItbm9uY2U=";
    device_cfg.account.next_server_nonce_b64 = "dGhpcmQtbm9uY2U=";
    auto server_cfg = presenting_server_config(AuthScheme::Md5);
    server_cfg.server_nonce_b64 = "b2xkLW5vbmNl";
    server_cfg.follow_client_nonce = follow_client_nonce;
    return OneReplaceSession(std::move(device_cfg), std::move(server_cfg));
}

TEST(ServerNonce, ACredOnAnEarlierNonceIsRefusedWithAFreshChallenge) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    auto run = on_a_stale_server_nonce(false);
    auto& ex = run.ex;

    EXPECT_EQ(ex.client_end->reason, EndReason::AuthFailed);
    EXPECT_TRUE(run.device.executed.empty());
    EXPECT_EQ(nonce_handed_out(ex), "dGhpcmQtbm9uY2U=");       // the 401 carries a Chal with a fresh nonce
    const auto taken = ex.server_events<event::NonceIssued>(); // follow_client_nonce off: ignored
    EXPECT_TRUE(std::none_of(taken.begin(), taken.end(),
                             [](const auto& n) { return n.role == NonceRole::ServerCredential; }));
}

TEST(ServerNonce, ARefusedServerIsToldAtOnceAndTakesTheFreshNonceForItsNextSession) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    auto run = on_a_stale_server_nonce(true);
    auto& ex = run.ex;

    EXPECT_EQ(ex.client_end->reason, EndReason::AuthFailed);
    EXPECT_TRUE(run.device.executed.empty());
    // The refusal carries Alert 1223: the server ends now instead of waiting for its timeout.
    ASSERT_FALSE(ex.to_server.empty());
    const auto& last = ex.to_server.back().body;
    EXPECT_TRUE(std::any_of(last.begin(), last.end(), [](const syncml::Command& c) {
        const auto* a = std::get_if<syncml::Alert>(&c.variant());
        return a != nullptr && a->code == syncml::alert_code::kSessionAbort;
    }));
    ASSERT_TRUE(ex.server_end.has_value());
    EXPECT_EQ(ex.server_end->reason, EndReason::AbortedByPeer);
    EXPECT_EQ(ex.server_events<event::AuthFailed>().size(), 1U);
    const auto taken = ex.server_events<event::NonceIssued>();
    EXPECT_TRUE(std::any_of(taken.begin(), taken.end(), [](const auto& n) {
        return n.role == NonceRole::ServerCredential && n.nonce_b64 == "dGhpcmQtbm9uY2U=";
    }));
}

// --- A refused request keeps the client's nonce (OMA-TS-DM_Security 5.1.3) ---------------------

/// Package 1 with md5 credentials on `nonce_b64` (base64 as issued).
syncml::Message package1_on(const std::string& nonce_b64, std::string_view password = "secret") {
    auto m = package1();
    const auto nonce = auth::base64_decode(nonce_b64).value();
    m.hdr.cred->data = auth::md5_credential("dmclient", password, nonce);
    return m;
}

/// The nonce a refusal or an acceptance issued (the NonceIssued for the client's credentials).
const event::NonceIssued& issued(const Step& step) {
    for (const auto& e : step.events) {
        if (const auto* n = std::get_if<event::NonceIssued>(&e); n && n->role == NonceRole::ClientCredential)
            return *n;
    }
    throw std::logic_error("no NonceIssued");
}

TEST(RefusedRequests, DoNotTakeAwayTheNonceTheClientHolds) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    base::SeededRandom random(5);
    auto cfg = server_config(AuthScheme::Md5);
    cfg.client_nonce_b64 = auth::make_nonce_b64(random);
    // Anyone can send a Package 1 that is refused; its challenge issues a nonce marked as such.
    ServerSession attacked(cfg, random);
    const auto refused = deliver(attacked, package1_on(cfg.client_nonce_b64, "guess"), kServerUri);
    ASSERT_EQ(status_at(refused, 0).code, StatusCode::InvalidCredentials);
    const auto challenge = issued(refused);
    EXPECT_TRUE(challenge.with_refusal);

    // The next session knows both nonces: the device, which never saw that challenge, still
    // authenticates on the nonce it holds, and one that did, on the challenge's.
    auto next = cfg;
    next.challenged_nonce_b64 = challenge.nonce_b64;
    ServerSession holder(next, random);
    ServerSession challenged(next, random);
    const auto by_holder = deliver(holder, package1_on(cfg.client_nonce_b64), kServerUri);
    const auto by_challenged = deliver(challenged, package1_on(challenge.nonce_b64), kServerUri);
    EXPECT_EQ(status_at(by_holder, 0).code, StatusCode::AuthenticationAccepted);
    EXPECT_EQ(status_at(by_challenged, 0).code, StatusCode::AuthenticationAccepted);
    EXPECT_FALSE(issued(by_holder).with_refusal); // the accepted one replaces both
}

/// Delivers `m` with an x-syncml-hmac of server_config()'s client over its exact body on
/// `nonce_b64`; without a header when the nonce is nullopt.
Step deliver_hmac(ServerSession& server, const syncml::Message& m,
                  const std::optional<std::string>& nonce_b64) {
    const Wire wire = on_the_wire(m, syncml::Encoding::Xml);
    std::optional<std::string> header;
    if (nonce_b64) header = hmac_header_value(MacKey{"dmclient", "secret", *nonce_b64}, wire.body).value();
    std::optional<std::string_view> view;
    if (header) view = *header;
    return server.on_message(Inbound{wire.message, wire.body, view, kServerUri}, base::TimePoint{});
}

TEST(RefusedRequests, AnEarlierNonceIsNotTakenOnceTheSessionAuthenticated) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    base::SeededRandom seed(6);
    auto cfg = server_config(AuthScheme::Hmac);
    cfg.client_nonce_b64 = auth::make_nonce_b64(seed);
    cfg.challenged_nonce_b64 = auth::make_nonce_b64(seed);
    const auto message2 = from_client(2).hdr_status(1, StatusCode::Ok).build();
    // Two sessions alike: each opens on the challenge's nonce, then message 2 comes on the nonce
    // the first answer issued (the control) or on the one the session began with (spent by then).
    std::vector<std::size_t> refusals;
    for (const bool replay : {false, true}) {
        base::SeededRandom random(7);
        ServerSession server(cfg, random);
        server.enqueue(replace("./X", "1")); // keeps the session open after its first answer
        const auto opened =
            deliver_hmac(server, from_client(1).alert(syncml::alert_code::kClientInitiatedMgmt).build(),
                         cfg.challenged_nonce_b64);
        ASSERT_EQ(count<event::AuthFailed>(opened), 0U);
        const auto next = replay ? cfg.client_nonce_b64 : issued(opened).nonce_b64;
        refusals.push_back(count<event::AuthFailed>(deliver_hmac(server, message2, next)));
    }
    EXPECT_EQ(refusals, (std::vector<std::size_t>{0U, 1U}));
}

/// An HMAC session (seeded with `seed`) with a Replace of ./X queued, before and after Package 1.
struct HmacSessionOpened {
    explicit HmacSessionOpened(std::uint64_t seed) : random(seed) {
        cfg.client_nonce_b64 = auth::make_nonce_b64(random);
        server.emplace(cfg, random);
        server->enqueue(replace("./X", "1"));
    }
    Step open() {
        return deliver_hmac(*server, from_client(1).alert(syncml::alert_code::kClientInitiatedMgmt).build(),
                            cfg.client_nonce_b64);
    }
    base::SeededRandom random;
    ServerConfig cfg = server_config(AuthScheme::Hmac);
    std::optional<ServerSession> server;
};

TEST(HmacSession, AMessageWithoutAValidMacChangesNothing) {
    covers(req::MgmtPolicyMO_ATHEN_1);
    HmacSessionOpened s(8);
    ServerSession& server = *s.server;
    const auto opened = s.open();
    ASSERT_EQ(status_at(opened, 0).code, StatusCode::Ok);
    const auto replace_id = replace_in(opened.send.at(0).message).value();

    // Under HMAC every message carries its own credentials: an injected message 2, without the
    // header or with a MAC (on the right nonce) of other bytes, records no Status and no alert.
    const auto bare = deliver_hmac(server, device_message2(replace_id, StatusCode::Ok), std::nullopt);
    EXPECT_EQ(status_at(bare, 0).code, StatusCode::MissingCredentials);
    auto other_body = device_message2(replace_id, StatusCode::Ok);
    other_body.hdr.msg_id = MsgId{3};
    const Wire signed_wire = on_the_wire(other_body, syncml::Encoding::Xml);
    const auto mac =
        hmac_header_value(MacKey{"dmclient", "secret", issued(bare).nonce_b64}, signed_wire.body).value();
    const Wire forged_wire = on_the_wire(device_message2(replace_id, StatusCode::Ok), syncml::Encoding::Xml);
    const auto forged = server.on_message(
        Inbound{forged_wire.message, forged_wire.body, std::string_view(mac), kServerUri}, base::TimePoint{});
    EXPECT_EQ(status_at(forged, 0).code, StatusCode::InvalidCredentials);
    for (const Step* step : {&bare, &forged}) {
        EXPECT_EQ(count<event::CommandStatusReceived>(*step), 0U);
        EXPECT_EQ(count<event::GenericAlertReceived>(*step), 0U);
    }

    // The genuine message 2, on the nonce of the last challenge, is taken.
    const auto genuine =
        deliver_hmac(server, device_message2(replace_id, StatusCode::Ok), issued(forged).nonce_b64);
    EXPECT_EQ(status_at(genuine, 0).code, StatusCode::Ok);
    EXPECT_EQ(count<event::CommandStatusReceived>(genuine), 1U);
    EXPECT_EQ(count<event::GenericAlertReceived>(genuine), 1U);
}

TEST(HmacSession, AnUndecodableBodyIsTheSessionsOnlyWithAMacOnTheLastNonce) {
    covers(req::MgmtPolicyMO_OSR_01);
    HmacSessionOpened s(9);
    ServerSession& server = *s.server;
    EXPECT_FALSE(server.addressed_by(kServerUri, "x", std::nullopt)); // nobody authenticated yet
    const auto opened = s.open();
    ASSERT_EQ(status_at(opened, 0).code, StatusCode::Ok);
    constexpr std::string_view kGarbage = "<SyncML><SyncHdr>";
    const auto mac_on = [&](const std::string& nonce) {
        return hmac_header_value(MacKey{"dmclient", "secret", nonce}, kGarbage).value();
    };

    EXPECT_TRUE(server.addressed_by(kServerUri, kGarbage, mac_on(issued(opened).nonce_b64)));
    EXPECT_FALSE(server.addressed_by(kServerUri, kGarbage, mac_on(s.cfg.client_nonce_b64))); // spent
    EXPECT_FALSE(server.addressed_by(kServerUri, "<SyncML>", mac_on(issued(opened).nonce_b64)));
    EXPECT_FALSE(server.addressed_by(kServerUri, kGarbage, std::nullopt));
}

} // namespace
} // namespace omadm::session
