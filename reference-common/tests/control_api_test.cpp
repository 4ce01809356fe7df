#include "omadm/shell/control_api.hpp"
#include "test_support.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace omadm::shell {
namespace {

Request with_auth(std::string_view value) {
    Request req{http::verb::get, "/v1/health", 11};
    if (!value.empty()) req.set(http::field::authorization, value);
    return req;
}

TEST(BearerToken, AcceptsMatchingTokenAnySchemeCase) {
    EXPECT_TRUE(bearer_token_ok(with_auth("Bearer s3cret"), "s3cret"));
    EXPECT_TRUE(bearer_token_ok(with_auth("bearer s3cret"), "s3cret"));
}

TEST(BearerToken, RejectsMissingWrongOrOtherScheme) {
    EXPECT_FALSE(bearer_token_ok(with_auth(""), "s3cret"));
    EXPECT_FALSE(bearer_token_ok(with_auth("Bearer s3cre"), "s3cret"));
    EXPECT_FALSE(bearer_token_ok(with_auth("Basic s3cret"), "s3cret"));
    EXPECT_FALSE(bearer_token_ok(with_auth("Bearer "), ""));
}

/// A control API with the token "tok" answering GET /v1/health.
std::unique_ptr<ControlApi> health_api() {
    auto api = std::make_unique<ControlApi>("tok");
    api->router().route(http::verb::get, "/v1/health", [](const Request& req, const RouteMatch&) {
        return json_response(req, http::status::ok, boost::json::object{{"ok", true}});
    });
    return api;
}

TEST(ControlApi, AnswersUnauthorizedWithoutToken) {
    const auto api = health_api();
    const auto res = testing::run_sync(api->handle(with_auth("")));
    EXPECT_EQ(res.result(), http::status::unauthorized);
    const auto body = boost::json::parse(res.body()).as_object();
    EXPECT_EQ(body.at("error").as_string(), "unauthorized");
    EXPECT_TRUE(body.contains("detail"));
}

TEST(ControlApi, DispatchesWithToken) {
    const auto api = health_api();
    const auto res = testing::run_sync(api->handle(with_auth("Bearer tok")));
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(res.body(), R"({"ok":true})");
}

TEST(ErrorResponse, HasErrorAndDetail) {
    const auto res = error_response(with_auth(""), http::status::bad_request, "bad_json", "oops");
    EXPECT_EQ(res.body(), R"({"error":"bad_json","detail":"oops"})");
    EXPECT_EQ(res[http::field::content_type], "application/json");
}

TEST(ParseJsonObject, RejectsNonObjectAndMalformed) {
    Request req{http::verb::post, "/", 11};
    req.body() = "[1]";
    EXPECT_FALSE(parse_json_object(req).has_value());
    req.body() = "{";
    EXPECT_FALSE(parse_json_object(req).has_value());
    req.body() = "";
    EXPECT_TRUE(parse_json_object(req).has_value());
}

TEST(ParseNonNegative, AcceptsWholeDecimalNumbersOnly) {
    EXPECT_EQ(parse_non_negative("0"), 0);
    EXPECT_EQ(parse_non_negative("42"), 42);
    for (const std::string_view bad : {"", "-1", "4x", " 4", "1.5", "99999999999999999999"})
        EXPECT_FALSE(parse_non_negative(bad).has_value()) << bad;
}

class EventsResponse : public ::testing::Test {
protected:
    /// GET /v1/events?after=&wait_ms= answered on the bus's own io_context.
    Response get(std::string after, std::string wait_ms) {
        RouteMatch m;
        m.query = {{"after", std::move(after)}, {"wait_ms", std::move(wait_ms)}};
        const Request req{http::verb::get, "/v1/events", 11};
        auto fut =
            boost::asio::co_spawn(ioc_, events_response(bus_, req, m, "bad_query"), boost::asio::use_future);
        ioc_.run();
        return fut.get();
    }

    boost::asio::io_context ioc_;
    base::ManualClock clock_;
    EventBus bus_{ioc_.get_executor(), clock_, nullptr};
};

TEST_F(EventsResponse, ListsTheEventsAfterTheGivenSeq) {
    (void)bus_.publish("a", "");
    (void)bus_.publish("b", "");

    const auto res = get("1", "0");

    EXPECT_EQ(res.result(), http::status::ok);
    const auto body = boost::json::parse(res.body()).as_object();
    ASSERT_EQ(body.at("events").as_array().size(), 1U);
    EXPECT_EQ(body.at("events").as_array()[0].at("kind").as_string(), "b");
    EXPECT_EQ(body.at("next").as_int64(), 2);
    EXPECT_EQ(body.at("oldest").as_int64(), 1);
}

TEST_F(EventsResponse, RefusesAQueryThatIsNoNumberWithTheGivenCode) {
    const auto res = get("x", "0");

    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(boost::json::parse(res.body()).as_object().at("error").as_string(), "bad_query");
}

} // namespace
} // namespace omadm::shell
