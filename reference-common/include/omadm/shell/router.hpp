#pragma once
// Request routing by method and path pattern. A pattern is a '/'-separated path whose segments are
// literals or `{name}` captures of one non-empty segment: "/v1/devices/{dev}/batches/{id}".
// A path that matches a pattern under another method answers 405; no match at all answers 404.

#include "omadm/shell/http_types.hpp"

#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omadm::shell {

/// What routing extracted from the request target.
struct RouteMatch {
    std::map<std::string, std::string, std::less<>> params; // path captures, percent-decoded
    std::map<std::string, std::string, std::less<>> query;  // query parameters, percent-decoded

    /// A path capture; empty when absent.
    [[nodiscard]] const std::string& param(std::string_view name) const;
    /// A query parameter, or nullopt.
    [[nodiscard]] std::optional<std::string> query_value(std::string_view name) const;
};

using AsyncHandler = std::function<boost::asio::awaitable<Response>(const Request&, const RouteMatch&)>;
using SyncHandler = std::function<Response(const Request&, const RouteMatch&)>;

/// Splits "a=1&b=x%20y" into decoded pairs; a key without '=' maps to "".
[[nodiscard]] std::map<std::string, std::string, std::less<>> parse_query(std::string_view query);
/// Decodes %XX escapes and '+' (as space); malformed escapes are kept as written.
[[nodiscard]] std::string percent_decode(std::string_view text);

class Router {
public:
    /// Registers a coroutine handler (it may wait, e.g. a long-poll).
    void route_async(http::verb method, std::string_view pattern, AsyncHandler handler);
    /// Registers a handler that answers at once.
    void route(http::verb method, std::string_view pattern, SyncHandler handler);

    /// Outcome of looking a request up.
    struct Lookup {
        const AsyncHandler* handler = nullptr; // null when nothing matched
        RouteMatch match;
        http::status failure = http::status::not_found; // 404 or 405 when handler is null
    };
    [[nodiscard]] Lookup find(http::verb method, std::string_view target) const;

    /// Finds the handler and runs it; answers 404/405 as JSON errors itself.
    boost::asio::awaitable<Response> dispatch(const Request& req) const;

private:
    struct Route {
        http::verb method;
        std::vector<std::string> segments;
        AsyncHandler handler;
    };
    std::vector<Route> routes_;
};

} // namespace omadm::shell
