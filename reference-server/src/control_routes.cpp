#include "control_routes.hpp"

#include "command_json.hpp"
#include "omadm/auth/credentials.hpp"
#include "omadm/shell/control_api.hpp"
#include "omadm/shell/log.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <charconv>

namespace omadm::server {

namespace http = shell::http;
namespace json = boost::json;
using shell::Request;
using shell::Response;
using shell::RouteMatch;

namespace {

constexpr std::int64_t kMaxWaitMs = 60'000;

Response internal_error(const Request& req, const base::Error& e) {
    log::error("store: " + e.detail);
    return shell::error_response(req, http::status::internal_server_error, "store_error", e.detail);
}

std::optional<std::int64_t> to_int(std::string_view text) {
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || p != text.data() + text.size() || v < 0) return std::nullopt;
    return v;
}

json::array events_json(const std::vector<shell::Event>& events) {
    json::array out;
    for (const auto& e : events)
        out.push_back(shell::event_to_json(e));
    return out;
}

boost::asio::awaitable<Response> get_events(shell::EventBus& bus, const Request& req, const RouteMatch& m) {
    const auto after = to_int(m.query_value("after").value_or("0"));
    const auto wait_ms = to_int(m.query_value("wait_ms").value_or("0"));
    if (!after || !wait_ms) {
        co_return shell::error_response(req, http::status::bad_request, "bad_query",
                                        "after and wait_ms must be non-negative integers");
    }
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(std::min(*wait_ms, kMaxWaitMs));
    auto events =
        co_await bus.wait(static_cast<std::uint64_t>(*after), m.query_value("kind").value_or(""), deadline);
    const std::uint64_t next = events.empty() ? static_cast<std::uint64_t>(*after) : events.back().seq;
    co_return shell::json_response(
        req, http::status::ok,
        json::object{{"events", events_json(events)}, {"next", next}, {"oldest", bus.oldest_seq()}});
}

Response put_account(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    auto body = shell::parse_json_object(req);
    if (!body) return shell::error_response(req, http::status::bad_request, "bad_json", body.error().detail);
    Account a;
    a.user = shell::json_string(*body, "user").value_or("");
    a.password = shell::json_string(*body, "password").value_or("");
    a.auth = shell::json_string(*body, "auth").value_or("basic");
    a.server_password = shell::json_string(*body, "server_password").value_or("");
    a.server_nonce_b64 = shell::json_string(*body, "server_nonce").value_or("");
    a.client_nonce_b64 = shell::json_string(*body, "client_nonce").value_or("");
    if (a.auth != "basic" && a.auth != "md5" && a.auth != "hmac") {
        return shell::error_response(req, http::status::bad_request, "bad_field",
                                     "auth: must be basic, md5 or hmac");
    }
    if (a.user.empty())
        return shell::error_response(req, http::status::bad_request, "bad_field", "user: required");
    for (const auto& [field, nonce] :
         {std::pair{"server_nonce", &a.server_nonce_b64}, std::pair{"client_nonce", &a.client_nonce_b64}}) {
        if (!nonce->empty() && !auth::base64_decode(*nonce)) {
            return shell::error_response(req, http::status::bad_request, "bad_field",
                                         std::string(field) +
                                             ": must be base64 (RFC 4648), as NextNonce travels");
        }
    }
    if (auto r = d.store.put_account(m.param("dev"), a); !r) return internal_error(req, r.error());
    d.events.publish("account_set", "", {{"device", m.param("dev")}, {"auth", a.auth}});
    return shell::json_response(req, http::status::ok, json::object{{"ok", true}});
}

Response post_commands(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    auto body = shell::parse_json_object(req);
    if (!body) return shell::error_response(req, http::status::bad_request, "bad_json", body.error().detail);
    const auto* cmds = body->if_contains("commands");
    if (cmds == nullptr || !cmds->is_array() || cmds->as_array().empty()) {
        return shell::error_response(req, http::status::bad_request, "bad_json",
                                     "commands: must be a non-empty array");
    }
    std::vector<std::string> serialized;
    for (std::size_t i = 0; i < cmds->as_array().size(); ++i) {
        const auto& c = cmds->as_array()[i];
        if (auto r = validate_command(c, "commands[" + std::to_string(i) + "]"); !r) {
            return shell::error_response(req, http::status::bad_request, "bad_command", r.error().detail);
        }
        serialized.push_back(json::serialize(c));
    }
    auto id = d.store.queue_batch(m.param("dev"), serialized);
    if (!id) return internal_error(req, id.error());
    d.events.publish(
        "batch_queued", "",
        {{"device", m.param("dev")}, {"batch", std::to_string(*id)}, {"commands", serialized.size()}});
    return shell::json_response(req, http::status::ok, json::object{{"batch", std::to_string(*id)}});
}

Response get_batch(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    const auto id = to_int(m.param("id"));
    if (!id)
        return shell::error_response(req, http::status::not_found, "no_such_batch", "batch ids are integers");
    auto b = d.store.batch(m.param("dev"), *id);
    if (!b) return internal_error(req, b.error());
    if (!*b)
        return shell::error_response(req, http::status::not_found, "no_such_batch",
                                     "no batch " + m.param("id"));
    json::array statuses;
    for (const auto& s : (*b)->statuses) {
        json::object o{{"cmd", s.cmd}, {"target", s.target}, {"code", s.code}};
        if (s.command) o["command"] = *s.command;
        if (s.member) o["member"] = *s.member;
        statuses.push_back(std::move(o));
    }
    json::array results;
    for (const auto& r : (*b)->results)
        results.push_back({{"source", r.source}, {"format", r.format}, {"data", r.data}});
    json::array commands;
    for (const auto& c : (*b)->commands_json)
        commands.push_back(json::parse(c));
    return shell::json_response(req, http::status::ok,
                                json::object{{"batch", m.param("id")},
                                             {"state", to_string((*b)->state)},
                                             {"flow", (*b)->flow},
                                             {"commands", std::move(commands)},
                                             {"statuses", std::move(statuses)},
                                             {"results", std::move(results)}});
}

json::value optional_json(const std::optional<std::string>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

Response get_alerts(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    auto alerts = d.store.alerts(m.param("dev"));
    if (!alerts) return internal_error(req, alerts.error());
    json::array out;
    for (const auto& a : *alerts) {
        out.push_back({{"session", a.session},
                       {"code", a.code},
                       {"correlator", optional_json(a.correlator)},
                       {"source", optional_json(a.source)},
                       {"type", optional_json(a.type)},
                       {"format", optional_json(a.format)},
                       {"mark", optional_json(a.mark)},
                       {"data", optional_json(a.data)}});
    }
    return shell::json_response(req, http::status::ok, out);
}

Response get_sessions(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    auto sessions = d.store.sessions(m.param("dev"));
    if (!sessions) return internal_error(req, sessions.error());
    json::array out;
    for (const auto& s : *sessions) {
        out.push_back({{"id", std::to_string(s.id)},
                       {"session_id", s.session_id},
                       {"state", s.state},
                       {"auth", s.auth},
                       {"messages", s.messages},
                       {"end_reason", optional_json(s.end_reason)}});
    }
    return shell::json_response(req, http::status::ok, out);
}

Response get_transcript(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    const auto id = to_int(m.param("id"));
    if (!id)
        return shell::error_response(req, http::status::not_found, "no_such_session",
                                     "session ids are integers");
    auto session = d.store.session(*id);
    if (!session) return internal_error(req, session.error());
    if (!*session)
        return shell::error_response(req, http::status::not_found, "no_such_session",
                                     "no session " + m.param("id"));
    auto entries = d.store.transcript(*id);
    if (!entries) return internal_error(req, entries.error());
    json::array messages;
    json::array masked;
    for (const auto& e : *entries) {
        messages.push_back({{"dir", e.dir}, {"msg_id", e.msg_id}, {"xml", e.xml}});
        masked.push_back({{"dir", e.dir}, {"msg_id", e.msg_id}, {"xml", e.masked.value_or(e.xml)}});
    }
    return shell::json_response(
        req, http::status::ok,
        json::object{{"messages", std::move(messages)}, {"masked", std::move(masked)}});
}

} // namespace

void add_control_routes(shell::Router& router, ControlDeps deps) {
    auto d = std::make_shared<ControlDeps>(std::move(deps));
    router.route(http::verb::get, "/v1/health", [](const Request& req, const RouteMatch&) {
        return shell::json_response(req, http::status::ok, json::object{{"ok", true}});
    });
    router.route_async(http::verb::get, "/v1/events", [d](const Request& req, const RouteMatch& m) {
        return get_events(d->events, req, m);
    });
    router.route(http::verb::post, "/v1/shutdown", [d](const Request& req, const RouteMatch&) {
        d->request_stop();
        return shell::json_response(req, http::status::ok, json::object{{"ok", true}});
    });
    router.route(http::verb::put, "/v1/devices/{dev}/account",
                 [d](const Request& req, const RouteMatch& m) { return put_account(*d, req, m); });
    router.route(http::verb::post, "/v1/devices/{dev}/commands",
                 [d](const Request& req, const RouteMatch& m) { return post_commands(*d, req, m); });
    router.route(http::verb::get, "/v1/devices/{dev}/batches/{id}",
                 [d](const Request& req, const RouteMatch& m) { return get_batch(*d, req, m); });
    router.route(http::verb::get, "/v1/devices/{dev}/alerts",
                 [d](const Request& req, const RouteMatch& m) { return get_alerts(*d, req, m); });
    router.route(http::verb::get, "/v1/devices/{dev}/sessions",
                 [d](const Request& req, const RouteMatch& m) { return get_sessions(*d, req, m); });
    router.route(http::verb::get, "/v1/sessions/{id}/transcript",
                 [d](const Request& req, const RouteMatch& m) { return get_transcript(*d, req, m); });
    add_policy_routes(router, *d);
    add_notify_route(router, *d);
}

} // namespace omadm::server
