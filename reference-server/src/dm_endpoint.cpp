#include "dm_endpoint.hpp"

#include "omadm/shell/control_api.hpp"
#include "omadm/shell/log.hpp"
#include "transcript_mask.hpp"

#include <algorithm>
#include <variant>

namespace omadm::server {

namespace http = shell::http;

namespace {

shell::WireFormat wire_format(syncml::Encoding enc) {
    return enc == syncml::Encoding::Wbxml ? shell::WireFormat::Wbxml : shell::WireFormat::Xml;
}

const char* encoding_name(syncml::Encoding enc) {
    return enc == syncml::Encoding::Wbxml ? "wbxml" : "xml";
}

} // namespace

std::string DmEndpoint::resp_uri_base(const shell::Request& req) const {
    // The client reached us at Host; the path without its query is this endpoint.
    const std::string_view target = req.target();
    std::string uri(deps_.scheme);
    uri += "://";
    uri += shell::header_value(req, "Host");
    uri += target.substr(0, target.find('?'));
    return uri;
}

shell::Response DmEndpoint::reject(const shell::Request& req, http::status status, std::string_view code,
                                   std::string detail) {
    deps_.events.publish("dm_request_rejected", "",
                         {{"http_status", static_cast<int>(status)}, {"error", code}, {"detail", detail}});
    log::warn("DM request rejected (" + std::string(code) + "): " + detail);
    return shell::error_response(req, status, code, detail);
}

void DmEndpoint::on_transport_rejected(const shell::TransportRejection& rejection) {
    std::string detail = rejection.detail;
    if (rejection.http_status != 0 && !rejection.answered) detail += " (the answer could not be sent)";
    deps_.events.publish(
        "dm_request_rejected", "",
        {{"http_status", rejection.http_status}, {"error", rejection.error}, {"detail", detail}});
    log::warn("DM request rejected (" + rejection.error + "): " + detail);
}

std::optional<base::TimePoint> DmEndpoint::next_deadline() const {
    std::optional<base::TimePoint> earliest;
    for (const auto& [key, s] : sessions_) {
        const auto d = s.handler->next_deadline();
        if (d && (!earliest || *d < *earliest)) earliest = d;
    }
    return earliest;
}

void DmEndpoint::expire(base::TimePoint now) {
    for (auto it = sessions_.begin(); it != sessions_.end();) {
        auto& [key, s] = *it;
        const auto deadline = s.handler->next_deadline();
        if (!deadline || now < *deadline) {
            ++it;
            continue;
        }
        const auto out = s.handler->on_timeout(now);
        if (out.disposition != DmOutbound::Disposition::End) {
            ++it;
            continue;
        }
        s.settle_record();
        const auto reason = out.end_reason.empty() ? std::string("timeout") : out.end_reason;
        end(key, s, reason);
        if (auto r = deps_.store.update_session(s.record); !r) log::error("store: " + r.error().detail);
        it = sessions_.erase(it);
    }
}

void DmEndpoint::end(const DmSessionKey& key, ActiveSession& s, const std::string& reason) {
    s.record.state = "ended";
    s.record.end_reason = reason;
    deps_.events.publish("session_ended", key.session_id.value(),
                         {{"device", key.device}, {"reason", reason}, {"messages", s.record.messages}});
}

namespace {

/// The x-syncml-hmac header of the request, when it has one.
std::optional<std::string_view> hmac_header(const shell::Request& req) {
    const auto h = shell::header_value(req, "x-syncml-hmac");
    return h.empty() ? std::nullopt : std::optional<std::string_view>(h);
}

/// MsgID 1 with Alert 1200 or 1201: a client opening a session (OMA DM Protocol, Package 1).
bool opens_session(const syncml::Message& m) {
    if (m.hdr.msg_id.value() != 1) return false;
    return std::any_of(m.body.begin(), m.body.end(), [](const syncml::Command& c) {
        const auto* a = std::get_if<syncml::Alert>(&c.variant());
        return a != nullptr && (a->code == syncml::alert_code::kClientInitiatedMgmt ||
                                a->code == syncml::alert_code::kServerInitiatedMgmt);
    });
}

} // namespace

DmEndpoint::ActiveSession* DmEndpoint::session_for(const DmSessionKey& key, bool package1) {
    if (auto it = sessions_.find(key); it != sessions_.end()) {
        if (!package1) return &it->second;
        // A new Package 1 with the SessionID of a session in progress: the client left that one
        // (deployed clients derive SessionIDs from the clock and reuse them). It ends, and the new
        // one authenticates from the start.
        close(it, it->second.handler->abandon("superseded by a new Package 1", deps_.clock.now()));
    }
    auto handler = factory_.create(key);
    if (!handler) return nullptr;
    auto id = deps_.store.open_session(key.device, key.session_id.value());
    if (!id) {
        log::error("store: " + id.error().detail);
        return nullptr;
    }
    SessionRecord rec;
    rec.id = *id;
    rec.device = key.device;
    rec.session_id = key.session_id.value();
    deps_.events.publish("session_started", key.session_id.value(),
                         {{"device", key.device}, {"store_id", *id}});
    auto [it, inserted] = sessions_.emplace(key, ActiveSession{std::move(handler), std::move(rec)});
    (void)inserted;
    return &it->second;
}

std::optional<shell::Response> DmEndpoint::refuse_unknown_device(const shell::Request& req,
                                                                 const std::string& device) {
    auto account = deps_.store.account(device);
    if (!account) {
        log::error("store: " + account.error().detail);
        return reject(req, http::status::service_unavailable, "store_failure", "the account store failed");
    }
    if (account->has_value()) return std::nullopt;
    return reject(req, http::status::forbidden, "unknown_device",
                  "device '" + shell::printable(device) + "' has no DM account on this server");
}

void DmEndpoint::close(std::map<DmSessionKey, ActiveSession>::iterator it, const DmOutbound& out) {
    it->second.settle_record();
    end(it->first, it->second, out.end_reason);
    if (auto r = deps_.store.update_session(it->second.record); !r) log::error("store: " + r.error().detail);
    sessions_.erase(it);
}

void DmEndpoint::end_addressed_session(const shell::Request& req, const std::string& detail) {
    const auto hmac = hmac_header(req);
    const auto it = std::find_if(sessions_.begin(), sessions_.end(), [&](const auto& s) {
        return s.second.handler->addressed_by(req.target(), req.body(), hmac);
    });
    if (it == sessions_.end()) return; // names no session of ours: that session waits for its timeout
    close(it, it->second.handler->on_undecodable(detail, deps_.clock.now()));
}

void DmEndpoint::record(ActiveSession& s, shell::WireDirection dir, syncml::Encoding enc,
                        std::string_view bytes, const syncml::Message& msg) {
    const bool in = dir == shell::WireDirection::In;
    const std::string xml = enc == syncml::Encoding::Xml ? std::string(bytes) : syncml::encode_xml(msg);
    if (deps_.wire_trace != nullptr) {
        std::optional<std::string_view> decoded;
        if (enc == syncml::Encoding::Wbxml) decoded = xml;
        if (auto r = deps_.wire_trace->record(dir, wire_format(enc), bytes, decoded); !r)
            log::error(r.error().detail);
    }
    ++s.record.messages;
    if (auto r = deps_.store.append_transcript(
            s.record.id, {in ? "in" : "out", msg.hdr.msg_id.value(), xml, masked_xml(msg)});
        !r) {
        log::error("store: " + r.error().detail);
    }
    deps_.events.publish("dm_message", s.record.session_id,
                         {{"dir", in ? "in" : "out"},
                          {"device", s.record.device},
                          {"msg_id", msg.hdr.msg_id.value()},
                          {"encoding", encoding_name(enc)},
                          {"bytes", bytes.size()},
                          {"commands", msg.body.size()},
                          {"final", msg.final}});
}

std::optional<base::TimePoint> DmEndpoint::blocked(const std::string& device, base::TimePoint now) const {
    const auto it = guesses_.find(device);
    if (it == guesses_.end() || now >= it->second.blocked_until) return std::nullopt;
    return it->second.blocked_until;
}

void DmEndpoint::count_guesses(const std::string& device, const DmOutbound& out, base::TimePoint now) {
    const auto& t = deps_.throttle;
    if (out.authenticated) {
        guesses_.erase(device);
        return;
    }
    if (out.auth_failures == 0) return;
    auto it = guesses_.find(device);
    if (it == guesses_.end()) {
        if (guesses_.size() >= t.max_devices) {
            std::erase_if(guesses_, [now](const auto& g) { return now >= g.second.blocked_until; });
        }
        if (guesses_.size() >= t.max_devices) return; // every tracked device is blocked: no room
        it = guesses_.emplace(device, Guesses{}).first;
    }
    auto& g = it->second;
    g.failures += out.auth_failures;
    if (g.failures < t.free_failures) return;
    const unsigned doublings = std::min(g.failures - t.free_failures, 16U);
    g.blocked_until = now + std::min(t.max_delay, t.first_delay * (1U << doublings));
}

base::Result<std::string> DmEndpoint::encode_wbxml_reply(const shell::Request& req,
                                                         const syncml::Message& reply,
                                                         const DmSessionKey& key) {
    // WBXML goes back in the request's version and public-id form.
    auto form = syncml::wbxml_form(std::as_bytes(std::span(req.body().data(), req.body().size())))
                    .value_or(syncml::WbxmlForm{});
    if (deps_.faults != nullptr && deps_.faults->wbxml_version_mismatch) {
        form.version = form.version == 0x03 ? 0x02 : 0x03;
        report_fault(deps_.events, key.session_id.value(), "wbxml_version_mismatch",
                     "WBXML version " + std::to_string(form.version));
    }
    return syncml::encode_wbxml(reply, form);
}

shell::Response DmEndpoint::handle(const shell::Request& req) {
    if (req.method() != http::verb::post) {
        return reject(req, http::status::method_not_allowed, "method_not_allowed",
                      "the DM endpoint takes POST");
    }
    const auto content_type = shell::header_value(req, "Content-Type");
    auto enc = syncml::encoding_from_content_type(content_type);
    if (!enc) {
        return reject(req, http::status::unsupported_media_type, "unsupported_media_type",
                      "Content-Type '" + shell::printable(content_type) + "' is not a SyncML DM type");
    }
    auto msg = syncml::decode(req.body(), *enc, deps_.limits);
    if (!msg) {
        if (deps_.wire_trace != nullptr)
            (void)deps_.wire_trace->record(shell::WireDirection::In, wire_format(*enc), req.body());
        end_addressed_session(req, msg.error().detail);
        return reject(req, http::status::bad_request, "undecodable_message", msg.error().detail);
    }
    const DmSessionKey key{msg->hdr.source.loc_uri, msg->hdr.session_id};
    const auto now = deps_.clock.now();
    // Throttled: what would open a session; a session in progress goes on (its engine allows a few
    // attempts of its own).
    const bool package1 = opens_session(*msg);
    if (const auto until = package1 || !sessions_.contains(key) ? blocked(key.device, now) : std::nullopt) {
        const auto wait_s = std::chrono::ceil<std::chrono::seconds>(*until - now).count();
        auto res = reject(req, http::status::too_many_requests, "auth_throttled",
                          "device '" + key.device + "' refused too many credentials; retry in " +
                              std::to_string(wait_s) + " s");
        res.set(http::field::retry_after, std::to_string(wait_s));
        return res;
    }
    if (deps_.require_account && !sessions_.contains(key)) {
        if (auto refused = refuse_unknown_device(req, key.device)) return std::move(*refused);
    }
    auto* session = session_for(key, package1);
    if (session == nullptr) {
        return reject(req, http::status::service_unavailable, "no_session_engine",
                      "no session handler for device '" + key.device + "'");
    }
    record(*session, shell::WireDirection::In, *enc, req.body(), *msg);
    std::optional<std::string> hmac;
    if (const auto h = hmac_header(req)) hmac = std::string(*h);
    const std::string base = resp_uri_base(req);
    const auto out =
        session->handler->on_message(DmInbound{*msg, *enc, req.body(), hmac, now, req.target(), base});
    shell::Response res{http::status::no_content, req.version()};
    res.keep_alive(req.keep_alive());
    if (out.reply) {
        auto bytes = *enc == syncml::Encoding::Wbxml ? encode_wbxml_reply(req, *out.reply, key)
                                                     : syncml::encode(*out.reply, *enc);
        if (!bytes) {
            log::error("cannot encode the reply: " + bytes.error().detail);
            return shell::error_response(req, http::status::internal_server_error, "encode_failed",
                                         bytes.error().detail);
        }
        record(*session, shell::WireDirection::Out, *enc, *bytes, *out.reply);
        for (const auto& h : session->handler->response_headers(*bytes))
            res.set(h.name, h.value);
        res.result(http::status::ok);
        res.set(http::field::content_type, syncml::content_type(*enc));
        res.body() = std::move(*bytes);
    }
    count_guesses(key.device, out, now);
    session->settle_record();
    if (out.disposition == DmOutbound::Disposition::End) end(key, *session, out.end_reason);
    if (auto r = deps_.store.update_session(session->record); !r) log::error("store: " + r.error().detail);
    if (out.disposition == DmOutbound::Disposition::End) sessions_.erase(key);
    res.prepare_payload();
    return res;
}

} // namespace omadm::server
