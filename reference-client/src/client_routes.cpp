#include "client_routes.hpp"

#include "omadm/base/requirements.hpp"
#include "omadm/shell/command_json.hpp"
#include "omadm/shell/control_api.hpp"
#include "outcome_json.hpp"

#include <algorithm>
#include <boost/json/serialize.hpp>
#include <ctime>

namespace omadm::client {

namespace {

namespace json = boost::json;
using shell::Request;
using shell::Response;
using shell::RouteMatch;
namespace http = shell::http;

Response bad_request(const Request& req, std::string_view detail) {
    return shell::error_response(req, http::status::bad_request, "bad_request", detail);
}

Response get_tree(Device& d, const Request& req, const RouteMatch& m) {
    auto uri = tree::NodeUri::parse(m.query_value("uri").value_or("."));
    if (!uri) return bad_request(req, uri.error().detail);
    return shell::json_response(req, http::status::ok, d.tree_json(*uri));
}

Response post_commands(Device& d, const Request& req) {
    auto body = shell::parse_json_object(req);
    if (!body) return bad_request(req, body.error().detail);
    const auto server = shell::json_string(*body, "server_id").value_or("local");
    const tree::Principal who = server.empty() || server == "local"
                                    ? tree::Principal::device()
                                    : tree::Principal::server(base::ServerId{server});
    auto commands = shell::commands_from_json(*body);
    if (!commands) return bad_request(req, commands.error().detail);
    json::array statuses;
    const auto outcomes = d.run_local(*commands, who);
    for (std::size_t i = 0; i < outcomes.size(); ++i)
        statuses.push_back(outcome_to_json((*commands)[i], outcomes[i]));
    d.exercised(omadm::req::MgmtPolicyMO_Device_02.id, "local commands applied");
    return shell::json_response(req, http::status::ok, json::object{{"statuses", statuses}});
}

Response post_properties(Device& d, const Request& req) {
    auto body = shell::parse_json_object(req);
    if (!body) return bad_request(req, body.error().detail);
    std::map<std::string, std::string> values;
    for (const auto& [k, v] : *body) {
        values[std::string(k)] = v.is_string() ? std::string(v.as_string()) : json::serialize(v);
    }
    if (auto r = d.set_properties(values); !r) return bad_request(req, r.error().detail);
    return shell::json_response(req, http::status::ok, json::object{{"ok", true}});
}

Response post_clock(const ClientRouteDeps& d, const Request& req) {
    auto body = shell::parse_json_object(req);
    if (!body) return bad_request(req, body.error().detail);
    if (auto ms = shell::json_int(*body, "advance_ms")) {
        if (*ms < 0) return bad_request(req, "advance_ms must not be negative");
        d.clock.advance(base::Duration{*ms});
    } else if (auto at = shell::json_string(*body, "set")) {
        auto t = parse_rfc3339_utc(*at);
        if (!t) return bad_request(req, "set must be an RFC 3339 UTC time such as 2026-01-01T00:00:00Z");
        d.clock.set(*t);
    } else {
        return bad_request(req, "give advance_ms or set");
    }
    d.events.publish("clock_moved", d.sessions.current_session(),
                     {{"now", shell::format_rfc3339_ms(d.clock.now())}});
    d.device.on_time();
    d.clock_moved();
    return shell::json_response(req, http::status::ok,
                                json::object{{"now", shell::format_rfc3339_ms(d.clock.now())}});
}

Response put_faults(Device& d, const Request& req) {
    auto body = shell::parse_json_object(req);
    if (!body) return bad_request(req, body.error().detail);
    Faults f = d.faults();
    for (const auto& [k, v] : *body) {
        const auto fields = fault_fields();
        const auto it =
            std::find_if(fields.begin(), fields.end(), [&](const FaultField& x) { return x.name == k; });
        if (it == fields.end()) return bad_request(req, "unknown fault '" + std::string(k) + "'");
        if (!v.is_bool()) return bad_request(req, std::string(it->name) + " must be true or false");
        it->field(f) = v.as_bool();
    }
    d.set_faults(f);
    return shell::json_response(req, http::status::ok, faults_json(f));
}

} // namespace

std::optional<base::TimePoint> parse_rfc3339_utc(std::string_view text) {
    std::tm tm{};
    int ms = 0;
    if (text.size() < 20 || text.back() != 'Z') return std::nullopt;
    const std::string s(text);
    if (std::sscanf(s.c_str(), "%4d-%2d-%2dT%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour,
                    &tm.tm_min, &tm.tm_sec) != 6) {
        return std::nullopt;
    }
    if (s.size() > 20 && s[19] == '.') ms = std::atoi(s.substr(20, 3).c_str());
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    const std::time_t t = timegm(&tm);
    if (t == -1) return std::nullopt;
    return base::TimePoint{std::chrono::duration_cast<base::Duration>(std::chrono::seconds(t)) +
                           base::Duration{ms}};
}

void add_client_routes(shell::Router& router, ClientRouteDeps deps) {
    auto d = std::make_shared<ClientRouteDeps>(std::move(deps));
    router.route(http::verb::get, "/v1/health", [](const Request& req, const RouteMatch&) {
        return shell::json_response(req, http::status::ok, json::object{{"ok", true}});
    });
    router.route(http::verb::post, "/v1/shutdown", [d](const Request& req, const RouteMatch&) {
        d->request_stop();
        return shell::json_response(req, http::status::ok, json::object{{"ok", true}});
    });
    router.route_async(http::verb::get, "/v1/events", [d](const Request& req, const RouteMatch& m) {
        return shell::events_response(d->events, req, m, "bad_request");
    });
    router.route(http::verb::get, "/v1/tree",
                 [d](const Request& req, const RouteMatch& m) { return get_tree(d->device, req, m); });
    router.route(http::verb::post, "/v1/tree/commands",
                 [d](const Request& req, const RouteMatch&) { return post_commands(d->device, req); });
    router.route(http::verb::post, "/v1/properties",
                 [d](const Request& req, const RouteMatch&) { return post_properties(d->device, req); });
    router.route(http::verb::post, "/v1/clock",
                 [d](const Request& req, const RouteMatch&) { return post_clock(*d, req); });
    router.route(http::verb::get, "/v1/policies", [d](const Request& req, const RouteMatch&) {
        return shell::json_response(req, http::status::ok,
                                    json::object{{"policies", d->device.policies_json()}});
    });
    router.route(http::verb::put, "/v1/faults",
                 [d](const Request& req, const RouteMatch&) { return put_faults(d->device, req); });
    router.route(http::verb::post, "/v1/session", [d](const Request& req, const RouteMatch&) {
        // An absent or empty body is allowed (parse_json_object reads it as {}); anything else must be an
        // object.
        auto body = shell::parse_json_object(req);
        if (!body) return bad_request(req, body.error().detail);
        const std::string reason = shell::json_string(*body, "reason").value_or("user");
        // `server_id` picks the account of another DM server; absent, the bootstrap server's.
        std::string server_id = shell::json_string(*body, "server_id").value_or("");
        if (!server_id.empty() && d->device.config().account_of(server_id) == nullptr)
            return bad_request(req, "no account for server_id '" + server_id + "'");
        const auto id = d->sessions.request(session::SessionTrigger::ClientInitiated, std::nullopt, reason,
                                            std::move(server_id));
        return shell::json_response(req, http::status::ok, json::object{{"session_id", id}});
    });
}

} // namespace omadm::client
