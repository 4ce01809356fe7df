// POST /v1/devices/{dev}/notify: builds Package 0 (OMA-TS-DM_Notification-V1_2_1 §6) with the device
// account's server password and nonce and sends it over UDP on loopback
// (docs/protocol-notes.md#package0-loopback).
#include "omadm/auth/credentials.hpp"
#include "omadm/auth/package0.hpp"
#include "omadm/shell/log.hpp"
#include "omadm/shell/udp.hpp"
#include "route_support.hpp"

namespace omadm::server {
namespace {

Response notify(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    auto body = shell::parse_json_object(req);
    if (!body) return bad_request(req, "bad_json", body.error().detail);
    const auto udp_text = shell::json_string(*body, "udp");
    if (!udp_text)
        return bad_request(req, "bad_field", "udp: required (HOST:PORT of the device's Package 0 listener)");
    auto to = shell::parse_endpoint(*udp_text);
    if (!to) return bad_request(req, "bad_field", "udp: " + to.error().detail);
    const auto ui = shell::json_int(*body, "ui_mode").value_or(0);
    if (ui < 0 || ui > 3) return bad_request(req, "bad_field", "ui_mode: must be 0..3");
    auto account = d.store.account(m.param("dev"));
    if (!account) return store_error(req, account.error());
    if (!*account) {
        return shell::error_response(req, http::status::conflict, "no_account",
                                     "PUT /v1/devices/" + m.param("dev") + "/account first");
    }
    auth::Bytes nonce;
    if (!(*account)->server_nonce_b64.empty()) {
        auto decoded = auth::base64_decode((*account)->server_nonce_b64);
        if (!decoded) return bad_request(req, "bad_account", "server_nonce: " + decoded.error().detail);
        nonce = std::move(*decoded);
    }
    auth::Package0 p;
    p.version = static_cast<std::uint16_t>(shell::json_int(*body, "version").value_or(d.config.pkg0_version));
    p.ui_mode = static_cast<auth::UiMode>(ui);
    p.initiator = auth::Initiator::Server;
    p.session_id = d.next_session_id();
    p.server_id = d.config.server_id;
    auto bytes = auth::encode_package0(p, (*account)->server_password, nonce);
    if (!bytes) return bad_request(req, "bad_package0", bytes.error().detail);
    if (d.faults.bad_pkg0_digest) {
        // The digest (the first 16 bytes) no longer matches the server password, nonce and body.
        (*bytes)[0] ^= 0xFFU;
        report_fault(d.events, auth::session_id_hex(p.session_id), "bad_pkg0_digest", "Package 0 digest");
    }
    if (d.wire_trace != nullptr) {
        const std::string_view raw(reinterpret_cast<const char*>(bytes->data()), bytes->size());
        if (auto r = d.wire_trace->record(shell::WireDirection::Out, shell::WireFormat::Binary, raw); !r) {
            log::error(r.error().detail);
        }
    }
    if (auto r = shell::udp_send(*to, *bytes); !r) {
        return shell::error_response(req, http::status::bad_gateway, "udp_send_failed", r.error().detail);
    }
    const auto session_hex = auth::session_id_hex(p.session_id);
    d.events.publish("package0_sent", session_hex,
                     {{"device", m.param("dev")},
                      {"udp", *udp_text},
                      {"ui_mode", ui},
                      {"version", p.version},
                      {"server_id", p.server_id},
                      {"bytes", auth::hex_encode(*bytes)}});
    return shell::json_response(req, http::status::ok, json::object{{"session_id", session_hex}});
}

} // namespace

void add_notify_route(shell::Router& router, ControlDeps deps) {
    router.route(
        http::verb::post, "/v1/devices/{dev}/notify",
        [d = std::move(deps)](const Request& req, const RouteMatch& m) { return notify(d, req, m); });
}

} // namespace omadm::server
