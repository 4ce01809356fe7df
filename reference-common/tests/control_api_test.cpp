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

TEST(ControlApi, AnswersUnauthorizedWithoutToken) {
    ControlApi api("tok");
    api.router().route(http::verb::get, "/v1/health", [](const Request& req, const RouteMatch&) {
        return json_response(req, http::status::ok, boost::json::object{{"ok", true}});
    });
    const auto res = testing::run_sync(api.handle(with_auth("")));
    EXPECT_EQ(res.result(), http::status::unauthorized);
    const auto body = boost::json::parse(res.body()).as_object();
    EXPECT_EQ(body.at("error").as_string(), "unauthorized");
    EXPECT_TRUE(body.contains("detail"));
}

TEST(ControlApi, DispatchesWithToken) {
    ControlApi api("tok");
    api.router().route(http::verb::get, "/v1/health", [](const Request& req, const RouteMatch&) {
        return json_response(req, http::status::ok, boost::json::object{{"ok", true}});
    });
    const auto res = testing::run_sync(api.handle(with_auth("Bearer tok")));
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

} // namespace
} // namespace omadm::shell
