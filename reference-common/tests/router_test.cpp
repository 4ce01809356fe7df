#include "omadm/shell/router.hpp"
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace omadm::shell {
namespace {

Response ok(const Request& req, const RouteMatch& m) {
    return make_response(req, http::status::ok, "text/plain", m.param("dev") + "/" + m.param("id"));
}

TEST(Router, CapturesPathSegments) {
    Router r;
    r.route(http::verb::get, "/v1/devices/{dev}/batches/{id}", ok);
    const auto found = r.find(http::verb::get, "/v1/devices/d%201/batches/7?x=1");
    ASSERT_NE(found.handler, nullptr);
    EXPECT_EQ(found.match.param("dev"), "d 1");
    EXPECT_EQ(found.match.param("id"), "7");
    EXPECT_EQ(found.match.query_value("x"), "1");
}

TEST(Router, AnswersNotFoundForAnUnknownPathAndMethodNotAllowedForAnotherMethod) {
    struct Case {
        http::verb method;
        std::string_view target;
        http::status failure;
    };
    const Case cases[] = {
        {http::verb::get, "/v1/health/extra", http::status::not_found},
        {http::verb::get, "/v2/health", http::status::not_found},
        {http::verb::post, "/v1/health", http::status::method_not_allowed},
    };
    Router r;
    r.route(http::verb::get, "/v1/health", ok);
    for (const auto& c : cases) {
        const auto found = r.find(c.method, c.target);
        EXPECT_EQ(found.handler, nullptr) << c.target;
        EXPECT_EQ(found.failure, c.failure) << c.target;
    }
}

TEST(Router, SelectsRouteByMethod) {
    Router r;
    r.route(http::verb::get, "/v1/x", [](const Request& req, const RouteMatch&) {
        return make_response(req, http::status::ok, "text/plain", "get");
    });
    r.route(http::verb::post, "/v1/x", [](const Request& req, const RouteMatch&) {
        return make_response(req, http::status::ok, "text/plain", "post");
    });
    Request req{http::verb::post, "/v1/x", 11};
    const auto res = testing::run_sync(r.dispatch(req));
    EXPECT_EQ(res.body(), "post");
}

TEST(Router, DispatchAnswersJsonNotFound) {
    Router r;
    Request req{http::verb::get, "/nowhere", 11};
    const auto res = testing::run_sync(r.dispatch(req));
    EXPECT_EQ(res.result(), http::status::not_found);
    EXPECT_NE(res.body().find("\"error\":\"not_found\""), std::string::npos);
}

TEST(ParseQuery, DecodesPairsAndBareKeys) {
    const auto q = parse_query("after=5&wait_ms=100&kind=a%2Bb&flag");
    EXPECT_EQ(q.at("after"), "5");
    EXPECT_EQ(q.at("kind"), "a+b");
    EXPECT_EQ(q.at("flag"), "");
}

TEST(PercentDecode, KeepsMalformedEscapes) {
    EXPECT_EQ(percent_decode("a%2x%41"), "a%2xA");
}

TEST(MediaType, DropsParametersAndCase) {
    EXPECT_EQ(media_type(" Application/VND.SyncML.DM+XML ; charset=utf-8"), "application/vnd.syncml.dm+xml");
}

} // namespace
} // namespace omadm::shell
