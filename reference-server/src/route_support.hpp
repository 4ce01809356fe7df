#pragma once
// What the server's control routes (control_routes.cpp, policy_routes.cpp, notify_route.cpp) share:
// the names they use, the error answers, binding a handler to the routes' dependencies and the JSON
// of the records they answer with.

#include "control_routes.hpp"
#include "omadm/shell/control_api.hpp"

#include <boost/json/object.hpp>
#include <memory>
#include <string_view>

namespace omadm::server {

namespace http = shell::http;
namespace json = boost::json;
using shell::Request;
using shell::Response;
using shell::RouteMatch;

/// 400 {"error": code, "detail": detail}.
[[nodiscard]] Response bad_request(const Request& req, std::string_view code, std::string_view detail);
/// 500 {"error": "store_error"}, logged: the store failed under a request.
[[nodiscard]] Response store_error(const Request& req, const base::Error& e);

/// A handler of the control routes: the request, its route match and the shared dependencies.
using ControlHandler = Response (*)(const ControlDeps&, const Request&, const RouteMatch&);
/// The route handler that calls `handler` with `deps`.
[[nodiscard]] shell::SyncHandler with_deps(std::shared_ptr<ControlDeps> deps, ControlHandler handler);

/// The string, or JSON null when absent.
[[nodiscard]] json::value optional_json(const std::optional<std::string>& v);
/// {"session","code","correlator","source","type","format","mark","data"}, absent fields null.
[[nodiscard]] json::object alert_json(const AlertRecord& alert);

} // namespace omadm::server
