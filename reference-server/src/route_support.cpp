#include "route_support.hpp"

#include "omadm/shell/log.hpp"

namespace omadm::server {
json::value optional_json(const std::optional<std::string>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

Response bad_request(const Request& req, std::string_view code, std::string_view detail) {
    return shell::error_response(req, http::status::bad_request, code, detail);
}

Response store_error(const Request& req, const base::Error& e) {
    log::error("store: " + e.detail);
    return shell::error_response(req, http::status::internal_server_error, "store_error", e.detail);
}

shell::SyncHandler with_deps(std::shared_ptr<ControlDeps> deps, ControlHandler handler) {
    return [deps = std::move(deps), handler](const Request& req, const RouteMatch& m) {
        return handler(*deps, req, m);
    };
}

json::object alert_json(const AlertRecord& a) {
    return {{"session", a.session},
            {"code", a.code},
            {"correlator", optional_json(a.correlator)},
            {"source", optional_json(a.source)},
            {"type", optional_json(a.type)},
            {"format", optional_json(a.format)},
            {"mark", optional_json(a.mark)},
            {"data", optional_json(a.data)}};
}

} // namespace omadm::server
