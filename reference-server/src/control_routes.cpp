#include "control_routes.hpp"

#include "omadm/auth/credentials.hpp"
#include "omadm/shell/command_json.hpp"
#include "omadm/shell/shell_errc.hpp"
#include "route_support.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace omadm::server {
namespace {

Response put_account(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    auto body = shell::parse_json_object(req);
    if (!body) return bad_request(req, "bad_json", body.error().detail);
    Account a;
    a.user = shell::json_string(*body, "user").value_or("");
    a.password = shell::json_string(*body, "password").value_or("");
    a.auth = shell::json_string(*body, "auth").value_or("basic");
    a.server_password = shell::json_string(*body, "server_password").value_or("");
    // Nonces are the state of the authentication between the two sides, not settings: a body that
    // names none leaves those the sessions reached as they are.
    auto current = d.store.account(m.param("dev"));
    if (!current) return store_error(req, current.error());
    const Account before = current->value_or(Account{});
    a.server_nonce_b64 = shell::json_string(*body, "server_nonce").value_or(before.server_nonce_b64);
    a.client_nonce_b64 = shell::json_string(*body, "client_nonce").value_or(before.client_nonce_b64);
    if (!body->contains("client_nonce")) a.challenged_nonce_b64 = before.challenged_nonce_b64;
    if (a.auth != "basic" && a.auth != "md5" && a.auth != "hmac") {
        return bad_request(req, "bad_field", "auth: must be basic, md5 or hmac");
    }
    if (a.user.empty()) return bad_request(req, "bad_field", "user: required");
    for (const auto& [field, nonce] :
         {std::pair{"server_nonce", &a.server_nonce_b64}, std::pair{"client_nonce", &a.client_nonce_b64}}) {
        if (!nonce->empty() && !auth::base64_decode(*nonce)) {
            return bad_request(req, "bad_field",
                               std::string(field) + ": must be base64 (RFC 4648), as NextNonce travels");
        }
    }
    if (auto r = d.store.put_account(m.param("dev"), a); !r) return store_error(req, r.error());
    d.events.publish("account_set", "", {{"device", m.param("dev")}, {"auth", a.auth}});
    return shell::json_response(req, http::status::ok, json::object{{"ok", true}});
}

Response post_commands(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    auto body = shell::parse_json_object(req);
    if (!body) return bad_request(req, "bad_json", body.error().detail);
    if (auto valid = shell::commands_from_json(*body); !valid) {
        const bool command = valid.error().code == shell::ShellErrc::bad_command;
        return bad_request(req, command ? "bad_command" : "bad_json", valid.error().detail);
    }
    std::vector<std::string> serialized;
    for (const auto& c : body->at("commands").as_array())
        serialized.push_back(json::serialize(c));
    auto id = d.store.queue_batch(m.param("dev"), serialized);
    if (!id) return store_error(req, id.error());
    d.events.publish(
        "batch_queued", "",
        {{"device", m.param("dev")}, {"batch", std::to_string(*id)}, {"commands", serialized.size()}});
    return shell::json_response(req, http::status::ok, json::object{{"batch", std::to_string(*id)}});
}

Response get_batch(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    const auto id = shell::parse_non_negative(m.param("id"));
    if (!id)
        return shell::error_response(req, http::status::not_found, "no_such_batch", "batch ids are integers");
    auto b = d.store.batch(m.param("dev"), *id);
    if (!b) return store_error(req, b.error());
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

Response delete_batch(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    const auto id = shell::parse_non_negative(m.param("id"));
    if (!id)
        return shell::error_response(req, http::status::not_found, "no_such_batch", "batch ids are integers");
    auto before = d.store.cancel_batch(m.param("dev"), *id);
    if (!before) return store_error(req, before.error());
    if (!*before)
        return shell::error_response(req, http::status::not_found, "no_such_batch",
                                     "no batch " + m.param("id"));
    if (**before != BatchState::Queued) {
        return shell::error_response(req, http::status::conflict, "batch_not_queued",
                                     "batch " + m.param("id") + " is " + to_string(**before) +
                                         ": only a queued batch can be cancelled");
    }
    d.events.publish("batch_cancelled", "", {{"device", m.param("dev")}, {"batch", m.param("id")}});
    return shell::json_response(req, http::status::ok,
                                json::object{{"batch", m.param("id")}, {"state", "cancelled"}});
}

Response get_alerts(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    auto alerts = d.store.alerts(m.param("dev"));
    if (!alerts) return store_error(req, alerts.error());
    json::array out;
    for (const auto& a : *alerts)
        out.push_back(alert_json(a));
    return shell::json_response(req, http::status::ok, out);
}

Response get_sessions(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    auto sessions = d.store.sessions(m.param("dev"));
    if (!sessions) return store_error(req, sessions.error());
    json::array out;
    for (const auto& s : *sessions) {
        out.push_back({{"id", std::to_string(s.id)},
                       {"session_id", s.session_id},
                       {"state", s.state},
                       {"auth", s.auth},
                       {"messages", s.messages},
                       {"end_reason", optional_json(s.end_reason)},
                       {"ver_proto", s.ver_proto}});
    }
    return shell::json_response(req, http::status::ok, out);
}

Response get_transcript(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    const auto id = shell::parse_non_negative(m.param("id"));
    if (!id)
        return shell::error_response(req, http::status::not_found, "no_such_session",
                                     "session ids are integers");
    auto session = d.store.session(*id);
    if (!session) return store_error(req, session.error());
    if (!*session)
        return shell::error_response(req, http::status::not_found, "no_such_session",
                                     "no session " + m.param("id"));
    auto entries = d.store.transcript(*id);
    if (!entries) return store_error(req, entries.error());
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

Response get_faults(const ControlDeps& d, const Request& req, const RouteMatch&) {
    return shell::json_response(req, http::status::ok, faults_json(d.faults));
}

Response put_faults(const ControlDeps& d, const Request& req, const RouteMatch&) {
    auto body = shell::parse_json_object(req);
    if (!body) return bad_request(req, "bad_request", body.error().detail);
    auto faults = apply_faults(d.faults, *body);
    if (!faults) return bad_request(req, "bad_request", faults.error().detail);
    d.faults = *faults;
    auto fields = faults_json(d.faults);
    d.events.publish("faults_set", "", fields);
    return shell::json_response(req, http::status::ok, std::move(fields));
}

} // namespace

void add_control_routes(shell::Router& router, ControlDeps deps) {
    auto d = std::make_shared<ControlDeps>(std::move(deps));
    router.route(http::verb::get, "/v1/health", [](const Request& req, const RouteMatch&) {
        return shell::json_response(req, http::status::ok, json::object{{"ok", true}});
    });
    router.route_async(http::verb::get, "/v1/events", [d](const Request& req, const RouteMatch& m) {
        return shell::events_response(d->events, req, m, "bad_query");
    });
    router.route(http::verb::post, "/v1/shutdown", [d](const Request& req, const RouteMatch&) {
        d->request_stop();
        return shell::json_response(req, http::status::ok, json::object{{"ok", true}});
    });
    router.route(http::verb::put, "/v1/devices/{dev}/account", with_deps(d, put_account));
    router.route(http::verb::post, "/v1/devices/{dev}/commands", with_deps(d, post_commands));
    router.route(http::verb::get, "/v1/devices/{dev}/batches/{id}", with_deps(d, get_batch));
    router.route(http::verb::delete_, "/v1/devices/{dev}/batches/{id}", with_deps(d, delete_batch));
    router.route(http::verb::get, "/v1/devices/{dev}/alerts", with_deps(d, get_alerts));
    router.route(http::verb::get, "/v1/devices/{dev}/sessions", with_deps(d, get_sessions));
    router.route(http::verb::get, "/v1/sessions/{id}/transcript", with_deps(d, get_transcript));
    router.route(http::verb::get, "/v1/faults", with_deps(d, get_faults));
    router.route(http::verb::put, "/v1/faults", with_deps(d, put_faults));
    add_policy_routes(router, *d);
    add_notify_route(router, *d);
}

} // namespace omadm::server
