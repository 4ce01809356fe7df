#include "dm_endpoint.hpp"
#include "omadm/shell/control_api.hpp"
#include "omadm/testing/covers.hpp"
#include "server_test_support.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace omadm::server {
namespace {

namespace http = shell::http;

syncml::Message package1(std::string_view device, std::string_view session) {
    syncml::Message m;
    m.hdr.session_id = base::SessionId(std::string(session));
    m.hdr.msg_id = base::MsgId(1);
    m.hdr.target.loc_uri = "http://127.0.0.1/";
    m.hdr.source.loc_uri = std::string(device);
    syncml::Alert alert;
    alert.cmd_id = base::CmdId(1);
    alert.code = syncml::alert_code::kClientInitiatedMgmt;
    m.body.emplace_back(alert);
    return m;
}

/// Answers every message with an empty package and ends the session on the second one.
class EchoHandler final : public DmSessionHandler {
public:
    DmOutbound on_message(const DmInbound& in) override {
        ++seen_;
        syncml::Message reply;
        reply.hdr.session_id = in.message.hdr.session_id;
        reply.hdr.msg_id = base::MsgId(static_cast<std::uint32_t>(seen_));
        reply.hdr.target = in.message.hdr.source;
        reply.hdr.source = in.message.hdr.target;
        DmOutbound out{reply, DmOutbound::Disposition::Continue, {}};
        if (seen_ == 2) {
            out.disposition = DmOutbound::Disposition::End;
            out.end_reason = "completed";
        }
        return out;
    }
    std::vector<HttpHeader> response_headers(std::string_view) override { return {{"x-test", "1"}}; }

private:
    int seen_ = 0;
};

/// Refuses the credentials of every message (one attempt each) and ends the session.
class RefusingHandler final : public DmSessionHandler {
public:
    DmOutbound on_message(const DmInbound& in) override {
        syncml::Message reply;
        reply.hdr.session_id = in.message.hdr.session_id;
        reply.hdr.msg_id = base::MsgId(1);
        DmOutbound out{reply, DmOutbound::Disposition::End, "auth_failed"};
        out.auth_failures = 1;
        return out;
    }
};

class RefusingFactory final : public DmSessionHandlerFactory {
public:
    std::unique_ptr<DmSessionHandler> create(const DmSessionKey&) override {
        ++created;
        return std::make_unique<RefusingHandler>();
    }
    int created = 0;
};

class EchoFactory final : public DmSessionHandlerFactory {
public:
    std::unique_ptr<DmSessionHandler> create(const DmSessionKey&) override {
        return std::make_unique<EchoHandler>();
    }
};

class DmEndpointTest : public testing::EndpointTest {
protected:
    DmEndpointTest() : EndpointTest("dm-endpoint") {}
    shell::Request post(std::string_view content_type, std::string body) {
        shell::Request req{http::verb::post, "/", 11};
        req.set(http::field::content_type, content_type);
        req.body() = std::move(body);
        req.prepare_payload();
        return req;
    }
};

TEST_F(DmEndpointTest, RejectsOtherContentTypesWith415) {
    NoSessionEngine none;
    DmEndpoint ep({*store_, events_, clock_}, none);
    const auto res = ep.handle(post("text/xml", "<SyncML/>"));
    EXPECT_EQ(res.result(), http::status::unsupported_media_type);
    EXPECT_EQ(events_.events_after(0, "dm_request_rejected").size(), 1U);
}

TEST_F(DmEndpointTest, AContentTypeOfNonAsciiBytesIsEscapedInTheAnswerAndTheEvent) {
    NoSessionEngine none;
    DmEndpoint ep({*store_, events_, clock_}, none);
    const auto res = ep.handle(post("text/\xff\x80x\x01", "<SyncML/>"));
    EXPECT_EQ(res.result(), http::status::unsupported_media_type);
    boost::system::error_code ec;
    (void)boost::json::parse(res.body(), ec);
    ASSERT_FALSE(ec) << "the 415 answer is not valid JSON: " << res.body();
    EXPECT_NE(res.body().find(R"(text/\\xFF\\x80x\\x01)"), std::string::npos) << res.body();
    const auto seen = events_.events_after(0, "dm_request_rejected");
    ASSERT_EQ(seen.size(), 1U);
    const std::string detail(seen[0].fields.at("detail").as_string());
    EXPECT_NE(detail.find(R"(text/\xFF\x80x\x01)"), std::string::npos) << detail;
}

TEST_F(DmEndpointTest, PublishesTransportRejections) {
    NoSessionEngine none;
    DmEndpoint ep({*store_, events_, clock_}, none);
    ep.on_transport_rejected({413, "payload_too_large", "body limit exceeded", true});
    ep.on_transport_rejected(
        {0, "tls_handshake_failed", "TLS handshake failed: wrong version number", false});
    const auto seen = events_.events_after(0, "dm_request_rejected");
    ASSERT_EQ(seen.size(), 2U);
    EXPECT_EQ(seen[0].fields.at("http_status").as_uint64(), 413U);
    EXPECT_EQ(seen[0].fields.at("error").as_string(), "payload_too_large");
    EXPECT_EQ(seen[1].fields.at("http_status").as_uint64(), 0U);
    EXPECT_EQ(seen[1].fields.at("error").as_string(), "tls_handshake_failed");
}

TEST_F(DmEndpointTest, RejectsUndecodableBodiesWith400) {
    NoSessionEngine none;
    DmEndpoint ep({*store_, events_, clock_}, none);
    const auto res = ep.handle(post(syncml::kContentTypeXml, "<notsyncml"));
    EXPECT_EQ(res.result(), http::status::bad_request);
}

TEST_F(DmEndpointTest, AnswersServiceUnavailableWithoutSessionEngine) {
    NoSessionEngine none;
    DmEndpoint ep({*store_, events_, clock_}, none);
    const auto res = ep.handle(post(syncml::kContentTypeXml, syncml::encode_xml(package1("IMEI:1", "1"))));
    EXPECT_EQ(res.result(), http::status::service_unavailable);
}

TEST_F(DmEndpointTest, HandsMessagesToTheSessionHandlerAndRecordsThem) {
    EchoFactory factory;
    DmEndpoint ep({*store_, events_, clock_}, factory);
    const auto body = syncml::encode_xml(package1("IMEI:1", "1A"));
    const auto first = ep.handle(post("application/vnd.syncml.dm+xml; charset=utf-8", body));
    EXPECT_EQ(first.result(), http::status::ok);
    EXPECT_EQ(first[http::field::content_type], syncml::kContentTypeXml);
    EXPECT_EQ(first["x-test"], "1");
    EXPECT_EQ(ep.active_sessions(), 1U);
    auto second = package1("IMEI:1", "1A");
    second.hdr.msg_id = base::MsgId(2);
    second.body.clear();
    (void)ep.handle(post(syncml::kContentTypeXml, syncml::encode_xml(second)));
    EXPECT_EQ(ep.active_sessions(), 0U);
    const auto sessions = store_->sessions("IMEI:1").value();
    ASSERT_EQ(sessions.size(), 1U);
    EXPECT_EQ(sessions[0].state, "ended");
    EXPECT_EQ(sessions[0].messages, 4);
    EXPECT_EQ(sessions[0].end_reason, "completed");
    EXPECT_EQ(store_->transcript(sessions[0].id).value().size(), 4U);
    EXPECT_EQ(events_.events_after(0, "session_ended").size(), 1U);
}

TEST_F(DmEndpointTest, NewPackage1WithTheSessionIdOfALiveSessionStartsANewOne) {
    EchoFactory factory;
    DmEndpoint ep({*store_, events_, clock_}, factory);
    const auto body = syncml::encode_xml(package1("IMEI:1", "7FC"));
    (void)ep.handle(post(syncml::kContentTypeXml, body));
    (void)ep.handle(post(syncml::kContentTypeXml, body)); // the client left and opens again

    EXPECT_EQ(ep.active_sessions(), 1U);
    const auto sessions = store_->sessions("IMEI:1").value();
    ASSERT_EQ(sessions.size(), 2U);
    EXPECT_EQ(sessions[0].state, "ended");
    EXPECT_EQ(sessions[0].end_reason, "superseded by a new Package 1");
    EXPECT_EQ(sessions[1].state, "active");
    EXPECT_EQ(events_.events_after(0, "session_started").size(), 2U);
}

TEST_F(DmEndpointTest, ThrottlesCredentialGuessesPerDevice) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    RefusingFactory factory;
    DmEndpointDeps deps{*store_, events_, clock_};
    deps.throttle.free_failures = 3;
    DmEndpoint ep(deps, factory);
    const auto guess = [&](std::string_view device, int n) {
        return ep.handle(
            post(syncml::kContentTypeXml, syncml::encode_xml(package1(device, "G" + std::to_string(n)))));
    };
    for (int i = 0; i < 3; ++i)
        EXPECT_EQ(guess("IMEI:1", i).result(), http::status::ok);

    const auto throttled = guess("IMEI:1", 3);
    const auto other = guess("IMEI:2", 4); // another device is not held back

    EXPECT_EQ(throttled.result(), http::status::too_many_requests);
    EXPECT_EQ(throttled[http::field::retry_after], "1");
    EXPECT_EQ(other.result(), http::status::ok);
    EXPECT_EQ(factory.created, 4); // the throttled request reached no session
    clock_.advance(std::chrono::seconds(1));
    EXPECT_EQ(guess("IMEI:1", 5).result(), http::status::ok); // one more guess, then 2 s
    EXPECT_EQ(guess("IMEI:1", 6).result(), http::status::too_many_requests);
    clock_.advance(std::chrono::milliseconds(1999));
    EXPECT_EQ(guess("IMEI:1", 7).result(), http::status::too_many_requests);
    const auto rejected = events_.events_after(0, "dm_request_rejected");
    ASSERT_FALSE(rejected.empty());
    EXPECT_EQ(rejected.back().fields.at("error").as_string(), "auth_throttled");
}

} // namespace
} // namespace omadm::server
