#include "engine_session.hpp"

#include "batch_tracker.hpp"
#include "omadm/session/server_session.hpp"
#include "omadm/shell/log.hpp"
#include "session_events.hpp"

#include <functional>
#include <optional>
#include <variant>

namespace omadm::server {

namespace {

using session::AuthScheme;

AuthScheme scheme_of(std::string_view auth) {
    if (auth == "md5") return AuthScheme::Md5;
    if (auth == "hmac") return AuthScheme::Hmac;
    return AuthScheme::Basic;
}

session::ServerConfig engine_config(const ServerConfig& server, const std::optional<Account>& account,
                                    syncml::Encoding encoding) {
    session::ServerConfig c;
    c.server_uri = server.server_id;
    c.sizer = session::encoded_size(encoding);
    c.response_timeout = std::chrono::duration_cast<base::Duration>(server.session_timeout);
    if (!account) return c;
    c.required_scheme = scheme_of(account->auth);
    c.client_user = account->user;
    c.client_password = account->password;
    c.client_nonce_b64 = account->client_nonce_b64;
    c.challenged_nonce_b64 = account->challenged_nonce_b64;
    c.accepted_nonce_forms = {auth::NonceForm::Decoded, auth::NonceForm::Text};
    // The server proves itself in the scheme it asks of the device (OMA-TS-DM_Security 5.1.3):
    // Cred in its first message for basic and md5, x-syncml-hmac on every message for HMAC.
    if (c.required_scheme == AuthScheme::Hmac || !account->server_password.empty()) {
        c.server_scheme = c.required_scheme;
        c.server_user = server.server_id;
        c.server_password = account->server_password;
        c.server_nonce_b64 = account->server_nonce_b64;
    }
    return c;
}

/// The scheme the device's first message authenticates with (what ignore_auth_type accepts).
std::optional<AuthScheme> scheme_used(const DmInbound& in) {
    if (in.hmac) return AuthScheme::Hmac;
    if (!in.message.hdr.cred) return std::nullopt;
    return session::auth_scheme_from_type(in.message.hdr.cred->meta.type.value_or(""));
}

/// The engine configuration as the session faults change it (reference-server/README.md, Faults):
/// each change is reported.
void apply_session_faults(const ServerFaults& f, const DmInbound& first, session::ServerConfig& c,
                          const std::function<void(std::string_view, std::string_view)>& report) {
    if (f.no_cred && c.server_scheme != AuthScheme::None) {
        c.server_scheme = AuthScheme::None;
        report("no_cred", "SyncHdr/Cred");
    }
    if (f.ignore_auth_type && c.required_scheme != AuthScheme::None) {
        if (const auto used = scheme_used(first); used && *used != c.required_scheme) {
            c.required_scheme = *used;
            report("ignore_auth_type", std::string("SyncHdr/Cred ") + std::string(auth_scheme_name(*used)));
        }
    }
    if (f.basic_challenge && c.required_scheme != AuthScheme::None &&
        c.required_scheme != AuthScheme::Basic) {
        // Credentials in the account's scheme are refused with a Chal for Basic (a downgrade).
        c.required_scheme = AuthScheme::Basic;
        report("basic_challenge", "SyncBody/Status/Chal basic");
    }
    if (f.replay_server_cred && c.server_scheme != AuthScheme::None) {
        c.follow_client_nonce = false;
        report("replay_server_cred", "SyncHdr/Cred");
    }
    if (f.never_ack_alert) c.acknowledge_generic_alerts = false;
    if (f.wrong_alert_ack) c.generic_alert_reply = base::StatusCode::CommandFailed;
}

class EngineSession final : public DmSessionHandler {
public:
    EngineSession(EngineDeps deps, DmSessionKey key)
        : deps_(deps), key_(std::move(key)), tracker_(deps.store, deps.events, key_.device),
          reporter_(SessionEventsDeps{deps.store, deps.events, tracker_, key_.device, key_.session_id.value(),
                                      deps.config.layout}) {}

    DmOutbound on_message(const DmInbound& in) override {
        if (!engine_) start(in);
        std::optional<std::string_view> hmac;
        if (in.hmac) hmac = *in.hmac;
        auto step = engine_->on_message(session::Inbound{in.message, in.raw_body, hmac, in.target}, in.now);
        if (step.awaiting_commands) {
            // The device authenticated: this session takes the queued batches now, in the same call
            // that marks them sent, so a concurrent session of the device cannot take them too.
            tracker_.enqueue_queued(*engine_);
            auto answer = engine_->commands_claimed(in.now);
            for (auto& e : answer.events)
                step.events.push_back(std::move(e));
            for (auto& f : answer.findings)
                step.findings.push_back(std::move(f));
            for (auto& o : answer.send)
                step.send.push_back(std::move(o));
            if (answer.end) step.end = std::move(answer.end);
        }
        reporter_.report(step);
        report_alert_faults(step);
        auto out = outbound(std::move(step));
        if (out.reply) apply_reply_faults(*out.reply, in.message.hdr.ver_proto);
        return out;
    }

    std::vector<HttpHeader> response_headers(std::string_view encoded_reply) override {
        if (!mac_) return {};
        std::string signed_bytes(encoded_reply);
        if (deps_.faults != nullptr && deps_.faults->bad_server_hmac) {
            // The MAC of other bytes than those sent: well formed, and wrong.
            signed_bytes.push_back(' ');
            report_fault(deps_.events, key_.session_id.value(), "bad_server_hmac", "x-syncml-hmac mac");
        }
        auto value = session::hmac_header_value(*mac_, signed_bytes);
        if (!value) {
            log::error("x-syncml-hmac: " + value.error().detail);
            return {};
        }
        return {HttpHeader{"x-syncml-hmac", std::move(*value)}};
    }

    [[nodiscard]] std::string auth_scheme() const override { return reporter_.auth_scheme(); }
    [[nodiscard]] std::string ver_proto() const override { return reporter_.ver_proto(); }

    [[nodiscard]] std::optional<base::TimePoint> next_deadline() const override {
        if (!engine_) return std::nullopt;
        return engine_->next_deadline();
    }

    DmOutbound abandon(std::string reason, base::TimePoint now) override {
        if (!engine_) return DmSessionHandler::abandon(std::move(reason), now);
        auto step = engine_->on_transport_error(reason, now);
        reporter_.report(step);
        auto out = outbound(std::move(step));
        out.reply.reset();
        out.disposition = DmOutbound::Disposition::End;
        out.end_reason = std::move(reason);
        return out;
    }

    bool addressed_by(std::string_view target, std::string_view body,
                      std::optional<std::string_view> hmac_header) const override {
        return engine_.has_value() && engine_->addressed_by(target, body, hmac_header);
    }

    DmOutbound on_undecodable(std::string detail, base::TimePoint now) override {
        if (!engine_) return DmSessionHandler::on_undecodable(std::move(detail), now);
        auto step = engine_->on_undecodable(std::move(detail), now);
        reporter_.report(step);
        auto out = outbound(std::move(step));
        out.reply.reset();
        out.disposition = DmOutbound::Disposition::End;
        return out;
    }

    DmOutbound on_timeout(base::TimePoint now) override {
        if (!engine_) return {};
        auto step = engine_->on_timeout(now);
        reporter_.report(step);
        auto out = outbound(std::move(step));
        out.reply.reset(); // nobody is waiting for it
        return out;
    }

private:
    void start(const DmInbound& first) {
        auto account = deps_.store.account(key_.device);
        if (!account) log::error("store: " + account.error().detail);
        const std::optional<Account> acc = account ? *account : std::nullopt;
        auto config = engine_config(deps_.config, acc, first.encoding);
        if (!first.resp_uri_base.empty()) config.resp_uri = std::string(first.resp_uri_base);
        if (deps_.faults != nullptr) {
            apply_session_faults(*deps_.faults, first, config,
                                 [this](std::string_view f, std::string_view t) {
                                     report_fault(deps_.events, key_.session_id.value(), f, t);
                                 });
        }
        config.claim_at_start = true; // the batches go to the session once it authenticated
        engine_.emplace(std::move(config), deps_.random);
        reporter_.set_account(acc);
    }

    /// never_ack_alert and wrong_alert_ack changed the answer to each Generic Alert received.
    void report_alert_faults(const session::Step& step) {
        if (deps_.faults == nullptr || !(deps_.faults->never_ack_alert || deps_.faults->wrong_alert_ack))
            return;
        const auto* fault = deps_.faults->never_ack_alert ? "never_ack_alert" : "wrong_alert_ack";
        for (const auto& e : step.events) {
            if (const auto* a = std::get_if<session::event::GenericAlertReceived>(&e)) {
                report_fault(deps_.events, key_.session_id.value(), fault,
                             "Alert " + std::to_string(a->cmd_id.value()) + " of message " +
                                 std::to_string(a->msg_id.value()));
            }
        }
    }

    /// reuse_cmd_ids: the second command of a message takes the CmdID of the first (in Package 2 the
    /// Status of Alert 1201 repeats the CmdID of the SyncHdr Status); wrong_ver_proto: VerProto is
    /// the other DM version than the device's.
    void apply_reply_faults(syncml::Message& reply, std::string_view device_ver_proto) {
        if (deps_.faults == nullptr) return;
        const auto& sid = key_.session_id.value();
        if (deps_.faults->reuse_cmd_ids && reply.body.size() >= 2) {
            const auto first = syncml::command_id(reply.body[0]);
            std::visit([first](auto& x) { x.cmd_id = first; }, reply.body[1].variant());
            report_fault(deps_.events, sid, "reuse_cmd_ids",
                         std::string(syncml::command_name(reply.body[1])) + " of message " +
                             std::to_string(reply.hdr.msg_id.value()));
        }
        if (deps_.faults->wrong_ver_proto) {
            reply.hdr.ver_proto =
                device_ver_proto == syncml::kVerProtoDm12 ? syncml::kVerProtoDm13 : syncml::kVerProtoDm12;
            report_fault(deps_.events, sid, "wrong_ver_proto", "SyncHdr/VerProto " + reply.hdr.ver_proto);
        }
    }

    DmOutbound outbound(session::Step step) {
        DmOutbound out;
        for (const auto& e : step.events) {
            if (std::holds_alternative<session::event::AuthFailed>(e)) ++out.auth_failures;
            if (std::holds_alternative<session::event::Authenticated>(e)) out.authenticated = true;
        }
        mac_.reset();
        if (!step.send.empty()) {
            if (step.send.size() > 1)
                log::warn("session engine produced more than one reply; sending the first");
            mac_ = step.send.front().mac;
            out.reply = std::move(step.send.front().message);
        }
        if (step.end) {
            out.disposition = DmOutbound::Disposition::End;
            out.end_reason = std::string(session::end_reason_name(step.end->reason));
        }
        return out;
    }

    EngineDeps deps_;
    DmSessionKey key_;
    BatchTracker tracker_;
    SessionEvents reporter_;
    std::optional<session::ServerSession> engine_;
    std::optional<session::MacKey> mac_;
};

} // namespace

std::unique_ptr<DmSessionHandler> EngineSessionFactory::create(const DmSessionKey& key) {
    return std::make_unique<EngineSession>(deps_, key);
}

} // namespace omadm::server
