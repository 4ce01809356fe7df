#include "dm_endpoint.hpp"
#include "engine_session.hpp"
#include "omadm/auth/credentials.hpp"
#include "omadm/base/requirements.hpp"
#include "omadm/syncml/builder.hpp"
#include "server_test_support.hpp"

#include <algorithm>
#include <gtest/gtest.h>

namespace omadm::server {
namespace {

namespace http = shell::http;

class EngineSessionTest : public testing::EndpointTest {
protected:
    EngineSessionTest() : EndpointTest("engine-session") {}

    syncml::Message package1(std::optional<syncml::Cred> cred = std::nullopt) {
        auto m = from_device(1, std::move(cred));
        syncml::Alert alert;
        alert.cmd_id = base::CmdId(1);
        alert.code = syncml::alert_code::kClientInitiatedMgmt;
        m.body.emplace_back(alert);
        return m;
    }

    /// md5 credentials of the account u / p on `nonce_b64` (base64 as issued).
    static syncml::Cred md5(std::string_view nonce_b64) {
        syncml::Cred c{syncml::Meta{},
                       auth::md5_credential("u", "p", auth::base64_decode(nonce_b64).value())};
        c.meta.type = "syncml:auth-md5";
        c.meta.format = "b64";
        return c;
    }

    syncml::Message exchange(DmEndpoint& ep, const syncml::Message& m) {
        shell::Request req{http::verb::post, "/", 11};
        req.set(http::field::content_type, syncml::kContentTypeXml);
        req.body() = syncml::encode_xml(m);
        req.prepare_payload();
        const auto res = ep.handle(req);
        EXPECT_EQ(res.result(), http::status::ok);
        return syncml::decode_xml(res.body()).value();
    }

    /// The device's md5 account (u / p, nonce "nonce") and a queued batch of one Replace of ./A.
    std::int64_t md5_account_with_a_batch() {
        EXPECT_TRUE(store_->put_account(kDevice, Account{"u", "p", "md5", "", "", "bm9uY2U=", ""}));
        return store_->queue_batch(kDevice, {R"({"cmd":"Replace","target":"./A","data":"1"})"}).value();
    }

    base::SeededRandom random_{7};
    ServerConfig config_;
};

TEST_F(EngineSessionTest, QueuedBatchGoesOutAndItsStatusesAreStored) {
    const auto batch =
        store_->queue_batch(kDevice, {R"({"cmd":"Replace","target":"./A","data":"1"})"}).value();
    EngineSessionFactory factory({*store_, events_, random_, config_});
    DmEndpoint ep({*store_, events_, clock_}, factory);

    const auto p2 = exchange(ep, package1());
    ASSERT_EQ(p2.body.size(), 3U); // SyncHdr and Alert statuses, then the queued Replace
    const auto& replace = std::get<syncml::Replace>(p2.body[2].variant());
    EXPECT_EQ(store_->batch(kDevice, batch).value()->state, BatchState::Sent);

    const auto p3 = syncml::MessageBuilder(from_device(2).hdr)
                        .status(p2.hdr.msg_id, base::CmdId(0), "SyncHdr", base::StatusCode::Ok)
                        .status(p2.hdr.msg_id, replace.cmd_id, "Replace", base::StatusCode::NotFound)
                        .build();
    (void)exchange(ep, p3);

    const auto stored = store_->batch(kDevice, batch).value();
    EXPECT_EQ(stored->state, BatchState::Done);
    ASSERT_EQ(stored->statuses.size(), 1U);
    EXPECT_EQ(stored->statuses[0].target, "./A");
    EXPECT_EQ(stored->statuses[0].code, 404);
    EXPECT_EQ(events_.events_after(0, "batch_done").size(), 1U);
}

TEST_F(EngineSessionTest, AnAbandonedSessionTimesOutAndItsUnansweredBatchIsQueuedAgain) {
    config_.session_timeout = std::chrono::seconds(5);
    const auto batch =
        store_->queue_batch(kDevice, {R"({"cmd":"Replace","target":"./A","data":"1"})"}).value();
    EngineSessionFactory factory({*store_, events_, random_, config_});
    DmEndpoint ep({*store_, events_, clock_}, factory);
    (void)exchange(ep, package1());
    ASSERT_TRUE(ep.next_deadline().has_value());
    EXPECT_EQ(*ep.next_deadline(), clock_.now() + std::chrono::seconds(5));

    clock_.advance(std::chrono::seconds(4));
    ep.expire(clock_.now());
    EXPECT_EQ(ep.active_sessions(), 1U);
    clock_.advance(std::chrono::seconds(1));
    ep.expire(clock_.now());
    EXPECT_EQ(ep.active_sessions(), 0U);
    EXPECT_FALSE(ep.next_deadline().has_value());

    const auto ended = events_.events_after(0, "session_ended");
    ASSERT_EQ(ended.size(), 1U);
    EXPECT_EQ(ended[0].fields.at("reason").as_string(), "timeout");
    const auto sessions = store_->sessions(kDevice).value();
    ASSERT_EQ(sessions.size(), 1U);
    EXPECT_EQ(sessions[0].end_reason, "timeout");
    EXPECT_EQ(store_->batch(kDevice, batch).value()->state, BatchState::Queued);
    EXPECT_EQ(events_.events_after(0, "batch_requeued").size(), 1U);
}

TEST_F(EngineSessionTest, ABatchPartlyAnsweredWhenItsSessionTimesOutIsFailed) {
    config_.session_timeout = std::chrono::seconds(5);
    const auto batch = store_
                           ->queue_batch(kDevice, {R"({"cmd":"Replace","target":"./A","data":"1"})",
                                                   R"({"cmd":"Replace","target":"./B","data":"2"})"})
                           .value();
    EngineSessionFactory factory({*store_, events_, random_, config_});
    DmEndpoint ep({*store_, events_, clock_}, factory);
    const auto p2 = exchange(ep, package1());
    ASSERT_EQ(p2.body.size(), 4U);
    const auto& first = std::get<syncml::Replace>(p2.body[2].variant());
    const auto& second = std::get<syncml::Replace>(p2.body[3].variant());

    // A non-last chunk's 213 is no final Status; the first command gets its 200.
    const auto p3 =
        syncml::MessageBuilder(from_device(2).hdr)
            .status(p2.hdr.msg_id, base::CmdId(0), "SyncHdr", base::StatusCode::Ok)
            .status(p2.hdr.msg_id, second.cmd_id, "Replace", base::StatusCode::ChunkedItemAccepted)
            .status(p2.hdr.msg_id, first.cmd_id, "Replace", base::StatusCode::Ok)
            .finality(syncml::Finality::NotFinal)
            .build();
    (void)exchange(ep, p3);
    EXPECT_EQ(store_->batch(kDevice, batch).value()->state, BatchState::Sent);
    EXPECT_EQ(events_.events_after(0, "chunk_accepted").size(), 1U);

    clock_.advance(std::chrono::seconds(5));
    ep.expire(clock_.now());
    const auto stored = store_->batch(kDevice, batch).value();
    EXPECT_EQ(stored->state, BatchState::Failed);
    ASSERT_EQ(stored->statuses.size(), 1U);
    EXPECT_EQ(stored->statuses[0].code, 200);
    EXPECT_EQ(events_.events_after(0, "batch_failed").size(), 1U);
}

TEST_F(EngineSessionTest, TwoSessionsOfOneDeviceNeverBothTakeABatch) {
    const auto batch = md5_account_with_a_batch();
    EngineSessionFactory factory({*store_, events_, random_, config_});
    DmEndpoint ep({*store_, events_, clock_}, factory);
    const auto replaces = [](const syncml::Message& m) {
        return std::count_if(m.body.begin(), m.body.end(), [](const auto& c) {
            return std::holds_alternative<syncml::Replace>(c.variant());
        });
    };
    // Session B opens first and is refused: it holds nothing back.
    auto b1 = package1(md5("d3Jvbmc="));
    b1.hdr.session_id = base::SessionId("B");
    const auto b_refused = exchange(ep, b1);
    ASSERT_EQ(std::get<syncml::Status>(b_refused.body[0].variant()).code,
              base::StatusCode::InvalidCredentials);
    EXPECT_EQ(replaces(b_refused), 0);
    const auto b_nonce = *std::get<syncml::Status>(b_refused.body[0].variant()).chal->meta.next_nonce;

    // Session A authenticates and takes the batch; B, authenticating afterwards, does not get it.
    const auto a2 = exchange(ep, package1(md5("bm9uY2U=")));
    EXPECT_EQ(replaces(a2), 1);
    auto b2 = from_device(2, md5(b_nonce));
    b2.hdr.session_id = base::SessionId("B");
    const auto b_accepted = exchange(ep, b2);
    EXPECT_EQ(std::get<syncml::Status>(b_accepted.body[0].variant()).code,
              base::StatusCode::AuthenticationAccepted);
    EXPECT_EQ(replaces(b_accepted), 0);
    EXPECT_EQ(store_->batch(kDevice, batch).value()->state, BatchState::Sent);
    EXPECT_EQ(events_.events_after(0, "batch_sent").size(), 1U);
}

TEST_F(EngineSessionTest, AnAtomicOverTheDevicesMaxMsgSizeFailsItsBatchWithAReason) {
    std::string atomic = R"({"cmd":"Atomic","commands":[)";
    for (int i = 0; i < 10; ++i) {
        if (i > 0) atomic += ',';
        atomic += R"({"cmd":"Replace","target":"./Big/)" + std::to_string(i) + R"(","data":")" +
                  std::string(300, 'a') + R"("})";
    }
    atomic += "]}";
    const auto big = store_->queue_batch(kDevice, {atomic}).value();
    const auto later =
        store_->queue_batch(kDevice, {R"({"cmd":"Replace","target":"./S","data":"s"})"}).value();
    EngineSessionFactory factory({*store_, events_, random_, config_});
    DmEndpoint ep({*store_, events_, clock_}, factory);
    auto p1 = package1();
    p1.hdr.meta = syncml::Meta{};
    p1.hdr.meta->max_msg_size = 2000;

    const auto p2 = exchange(ep, p1);

    // Only the later batch's Replace went out; the Atomic's batch ends failed, with the reason, and
    // is not queued again for the next session.
    ASSERT_EQ(p2.body.size(), 3U);
    EXPECT_TRUE(std::holds_alternative<syncml::Replace>(p2.body[2].variant()));
    const auto too_large = events_.events_after(0, "command_too_large");
    ASSERT_EQ(too_large.size(), 1U);
    EXPECT_EQ(too_large[0].fields.at("batch").as_string(), std::to_string(big));
    EXPECT_EQ(too_large[0].fields.at("max_msg_size").to_number<std::int64_t>(), 2000);
    const auto p3 =
        syncml::MessageBuilder(from_device(2).hdr)
            .status(p2.hdr.msg_id, base::CmdId(0), "SyncHdr", base::StatusCode::Ok)
            .status(p2.hdr.msg_id, syncml::command_id(p2.body[2]), "Replace", base::StatusCode::Ok)
            .build();
    (void)exchange(ep, p3);
    EXPECT_EQ(store_->batch(kDevice, big).value()->state, BatchState::Failed);
    EXPECT_EQ(store_->batch(kDevice, later).value()->state, BatchState::Done);
    const auto failed = events_.events_after(0, "batch_failed");
    ASSERT_EQ(failed.size(), 1U);
    EXPECT_TRUE(failed[0].fields.contains("reason"));
}

TEST_F(EngineSessionTest, RefusedCredentialsExecuteNothingAndLeaveTheDeviceItsNonce) {
    ASSERT_TRUE(store_->put_account(kDevice, Account{"u", "p", "md5", "", "", "bm9uY2U=", ""}));
    const auto batch = store_->queue_batch(kDevice, {R"({"cmd":"Delete","target":"./A"})"}).value();
    EngineSessionFactory factory({*store_, events_, random_, config_});
    DmEndpoint ep({*store_, events_, clock_}, factory);
    syncml::Cred wrong{syncml::Meta{}, "d3Jvbmc="};
    wrong.meta.type = "syncml:auth-md5";

    // Anyone may send this: it names the device and guesses.
    const auto reply = exchange(ep, package1(wrong));

    ASSERT_EQ(reply.body.size(), 2U); // SyncHdr status + Alert status, nothing else
    const auto& refused = std::get<syncml::Status>(reply.body[0].variant());
    EXPECT_EQ(refused.code, base::StatusCode::InvalidCredentials);
    EXPECT_EQ(store_->batch(kDevice, batch).value()->state, BatchState::Queued);
    const auto account = store_->account(kDevice).value().value();
    EXPECT_EQ(account.client_nonce_b64, "bm9uY2U=");
    ASSERT_TRUE(refused.chal && refused.chal->meta.next_nonce);
    EXPECT_EQ(account.challenged_nonce_b64, *refused.chal->meta.next_nonce);
    EXPECT_EQ(store_->sessions(kDevice).value().at(0).auth, "failed");

    // The device, which never saw that challenge, still authenticates on the nonce it holds.
    const auto accepted = exchange(ep, package1(md5("bm9uY2U=")));
    EXPECT_EQ(std::get<syncml::Status>(accepted.body[0].variant()).code,
              base::StatusCode::AuthenticationAccepted);
    const auto after = store_->account(kDevice).value().value();
    EXPECT_NE(after.client_nonce_b64, "bm9uY2U=");
    EXPECT_EQ(after.challenged_nonce_b64, "");
}

TEST_F(EngineSessionTest, AnUndecodableMessageOnTheRespUriEndsItsSessionAtOnce) {
    const auto batch = md5_account_with_a_batch();
    EngineSessionFactory factory({*store_, events_, random_, config_});
    DmEndpoint ep({*store_, events_, clock_}, factory);
    const auto p2 = exchange(ep, package1(md5("bm9uY2U=")));
    ASSERT_TRUE(p2.hdr.resp_uri.has_value());
    const std::string resp_uri = *p2.hdr.resp_uri;
    const std::string target = resp_uri.substr(resp_uri.find('/', resp_uri.find("//") + 2));
    ASSERT_NE(target.find('?'), std::string::npos) << target; // the session token

    // Package 3 whose Status code is not a number: what it acknowledges cannot be known.
    auto p3 = syncml::encode_xml(syncml::MessageBuilder(from_device(2).hdr)
                                     .status(p2.hdr.msg_id, base::CmdId(0), "SyncHdr", base::StatusCode::Ok)
                                     .build());
    const auto post = [&](std::string_view to) {
        shell::Request req{http::verb::post, to, 11};
        req.set(http::field::content_type, syncml::kContentTypeXml);
        std::string body = p3;
        body.replace(body.find("<Data>200</Data>"), 16, "<Data>2x0</Data>");
        req.body() = std::move(body);
        req.prepare_payload();
        return ep.handle(req).result();
    };
    // Posted elsewhere, or with another token, it names no session: the session goes on.
    EXPECT_EQ(post("/"), http::status::bad_request);
    EXPECT_EQ(post(target.substr(0, target.find('=') + 1) + "forged"), http::status::bad_request);
    EXPECT_EQ(ep.active_sessions(), 1U);

    EXPECT_EQ(post(target), http::status::bad_request);

    EXPECT_EQ(ep.active_sessions(), 0U);
    const auto ended = events_.events_after(0, "session_ended");
    ASSERT_EQ(ended.size(), 1U);
    EXPECT_EQ(ended[0].fields.at("reason").as_string(), "protocol_error");
    const auto findings = events_.events_after(0, "finding");
    ASSERT_FALSE(findings.empty());
    EXPECT_EQ(findings.back().fields.at("requirement").as_string(), omadm::req::MgmtPolicyMO_OSR_01.id);
    EXPECT_EQ(store_->sessions(kDevice).value().at(0).end_reason, "protocol_error");
    // No Status arrived for the Replace: its batch is queued again, exactly once.
    EXPECT_EQ(store_->batch(kDevice, batch).value()->state, BatchState::Queued);
    EXPECT_EQ(events_.events_after(0, "batch_requeued").size(), 1U);
}

TEST_F(EngineSessionTest, RequireAccountRefusesAnUnknownDeviceWithoutRecordingIt) {
    EngineSessionFactory factory({*store_, events_, random_, config_});
    DmEndpoint ep({*store_, events_, clock_, nullptr, {}, "http", {}, nullptr, true}, factory);
    shell::Request req{http::verb::post, "/", 11};
    req.set(http::field::content_type, syncml::kContentTypeXml);
    req.body() = syncml::encode_xml(package1());
    req.prepare_payload();

    EXPECT_EQ(ep.handle(req).result(), http::status::forbidden);

    EXPECT_EQ(ep.active_sessions(), 0U);
    EXPECT_TRUE(events_.events_after(0, "session_started").empty());
    const auto sessions = store_->sessions(kDevice);
    EXPECT_TRUE(!sessions || sessions->empty());
    const auto rejected = events_.events_after(0, "dm_request_rejected");
    ASSERT_EQ(rejected.size(), 1U);
    EXPECT_EQ(rejected[0].fields.at("error").as_string(), "unknown_device");

    // With an account the same device is served (and must authenticate).
    ASSERT_TRUE(store_->put_account(kDevice, Account{"u", "p", "md5", "", "", "bm9uY2U=", ""}));
    const auto reply = exchange(ep, package1(md5("bm9uY2U=")));
    EXPECT_EQ(std::get<syncml::Status>(reply.body[0].variant()).code,
              base::StatusCode::AuthenticationAccepted);
}

} // namespace
} // namespace omadm::server
