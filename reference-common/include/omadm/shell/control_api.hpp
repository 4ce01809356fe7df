#pragma once
// Control API framework (docs/control-api.md): JSON bodies, the bearer token check and the error
// body {"error": "<code>", "detail": "..."}.

#include "omadm/base/result.hpp"
#include "omadm/shell/event_bus.hpp"
#include "omadm/shell/http_types.hpp"
#include "omadm/shell/router.hpp"

#include <boost/json/value.hpp>
#include <string>
#include <string_view>

namespace omadm::shell {

inline constexpr std::string_view kJsonContentType = "application/json";

/// A JSON response (serialized compactly).
[[nodiscard]] Response json_response(const Request& req, http::status status, const boost::json::value& body);
/// An error response: {"error": code, "detail": detail}.
[[nodiscard]] Response error_response(const Request& req, http::status status, std::string_view code,
                                      std::string_view detail);

/// Parses the request body as JSON; an empty body is an empty object. Error bad_json with the
/// parser's message.
[[nodiscard]] base::Result<boost::json::value> parse_json_body(const Request& req);
/// Parses the body and requires a JSON object.
[[nodiscard]] base::Result<boost::json::object> parse_json_object(const Request& req);

/// True when the request carries "Authorization: Bearer <token>" (scheme case-insensitive) and the
/// token matches (compared in constant time).
[[nodiscard]] bool bearer_token_ok(const Request& req, std::string_view token);

/// Wraps a router so that every request must carry the bearer token: without it, 401 with
/// WWW-Authenticate: Bearer and the error body "unauthorized".
class ControlApi {
public:
    explicit ControlApi(std::string token) : token_(std::move(token)) {}

    [[nodiscard]] Router& router() noexcept { return router_; }
    [[nodiscard]] const std::string& token() const noexcept { return token_; }

    /// Checks the token, then dispatches.
    boost::asio::awaitable<Response> handle(const Request& req) const;

private:
    std::string token_;
    Router router_;
};

/// A non-negative decimal integer spanning all of `text` (a path id, a query value); nullopt otherwise.
[[nodiscard]] std::optional<std::int64_t> parse_non_negative(std::string_view text);

/// GET /v1/events?after=<seq>&wait_ms=<n>&kind=<k> (docs/control-api.md): the events of `bus` after
/// `after` (of that kind), waiting up to wait_ms (at most 60 s) for one; 400 with the error code
/// `bad_query_code` when after or wait_ms is no non-negative integer.
[[nodiscard]] boost::asio::awaitable<Response>
events_response(EventBus& bus, const Request& req, const RouteMatch& m, std::string_view bad_query_code);

/// Reading typed fields of a JSON object: nullopt when absent or of another type.
[[nodiscard]] std::optional<std::string> json_string(const boost::json::object& o, std::string_view key);
[[nodiscard]] std::optional<std::int64_t> json_int(const boost::json::object& o, std::string_view key);

} // namespace omadm::shell
