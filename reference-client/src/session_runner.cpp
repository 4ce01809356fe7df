#include "session_runner.hpp"

#include "omadm/auth/credentials.hpp"
#include "omadm/base/overloaded.hpp"
#include "omadm/base/requirements.hpp"
#include "omadm/shell/finding_json.hpp"
#include "omadm/shell/log.hpp"
#include "omadm/shell/shell_errc.hpp"
#include "omadm/syncml/codec.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>

namespace omadm::client {

namespace {

using base::Overloaded;

struct Url {
    bool tls = false;
    shell::Endpoint endpoint;
    std::string host;
    std::string target = "/";
};

base::Result<Url> parse_url(std::string_view text) {
    Url u;
    std::string_view rest = text;
    if (rest.starts_with("https://")) {
        u.tls = true;
        rest.remove_prefix(8);
    } else if (rest.starts_with("http://")) {
        rest.remove_prefix(7);
    } else {
        return base::make_error(shell::ShellErrc::bad_config,
                                "server URL '" + std::string(text) + "' is not http(s)");
    }
    const auto slash = rest.find('/');
    std::string hostport(rest.substr(0, slash));
    if (slash != std::string_view::npos) u.target = std::string(rest.substr(slash));
    if (hostport.find(':') == std::string::npos || hostport.back() == ']') hostport += u.tls ? ":443" : ":80";
    if (hostport.starts_with("localhost:")) hostport = "127.0.0.1" + hostport.substr(9);
    u.host = hostport.substr(0, hostport.rfind(':'));
    auto ep = shell::parse_endpoint(hostport);
    if (!ep) return ep.error();
    u.endpoint = *ep;
    return u;
}

std::string hex_id(std::uint32_t v) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%X", v);
    return buf;
}

} // namespace

SessionRunner::SessionRunner(boost::asio::any_io_executor executor, Device& device, shell::EventBus& events,
                             shell::WireTrace* trace, const base::Clock& clock)
    : executor_(std::move(executor)), device_(device), events_(events), trace_(trace), clock_(clock) {}

std::string SessionRunner::request(session::SessionTrigger trigger, std::optional<std::string> session_id,
                                   std::string reason, std::string server_id) {
    return enqueue(Request{trigger, session_id.value_or(hex_id(next_id_++)), std::move(reason), false,
                           std::move(server_id)});
}

std::string SessionRunner::enqueue(Request r) {
    std::string id = r.session_id;
    queue_.push_back(std::move(r));
    // co_spawn may run drain() at once, up to its first suspension: queue_ is final before it.
    if (!running_) {
        running_ = true;
        boost::asio::co_spawn(executor_, drain(), boost::asio::detached);
    }
    return id;
}

void SessionRunner::deliver_alerts(const std::string& reason) {
    for (const AccountConfig* account : device_.config().accounts()) {
        const bool waiting = std::any_of(queue_.begin(), queue_.end(),
                                         [&](const Request& r) { return account_of(r) == account; });
        if (waiting || device_.alerts_for(*account).empty()) continue;
        (void)enqueue(Request{session::SessionTrigger::ClientInitiated, hex_id(next_id_++), reason, true,
                              account == &device_.config().account ? std::string{} : account->server_id});
    }
}

const AccountConfig* SessionRunner::account_of(const Request& r) const {
    return r.server_id.empty() ? &device_.config().account : device_.config().account_of(r.server_id);
}

boost::asio::awaitable<void> SessionRunner::drain() {
    while (!queue_.empty()) {
        const Request r = queue_.front();
        queue_.erase(queue_.begin());
        if (r.alerts_only && (account_of(r) == nullptr || device_.alerts_for(*account_of(r)).empty()))
            continue;
        const auto reason = co_await run_one(r);
        current_.clear();
        if (reason == session::EndReason::TransportFailure && !device_.alerts_to_send().empty()) {
            schedule_retry();
        } else if (reason == session::EndReason::Completed) {
            backoff_ = std::chrono::milliseconds(500);
        }
    }
    running_ = false;
}

void SessionRunner::schedule_retry() {
    retry_ = std::make_shared<boost::asio::steady_timer>(executor_, backoff_);
    events_.publish("session_retry_scheduled", "", {{"in_ms", backoff_.count()}});
    backoff_ = std::min(backoff_ * 2, std::chrono::milliseconds(30'000));
    retry_->async_wait([this, timer = retry_](const boost::system::error_code& ec) {
        if (ec || device_.alerts_to_send().empty()) return;
        deliver_alerts("alert_retry");
    });
}

boost::asio::awaitable<session::EndReason> SessionRunner::run_one(const Request& r) {
    current_ = r.session_id;
    account_ = account_of(r);
    if (account_ == nullptr) {
        events_.publish("device_fault", current_, {{"detail", "no account for server " + r.server_id}});
        co_return session::EndReason::ProtocolError;
    }
    session::ClientSession s(device_.session_config(*account_, r.trigger, base::SessionId{r.session_id},
                                                    auth::make_nonce_b64(random_)),
                             device_);
    std::map<std::uint64_t, policy::AlertId> tickets;
    // The Generic Alerts of the policies this server owns (MgmtPolicyMO-Device-01).
    for (const auto& a : device_.alerts_for(*account_)) {
        tickets.emplace(s.queue_generic_alert(device_.to_session_alert(a)).value(), a.id);
    }
    events_.publish("session_requested", current_,
                    {{"reason", r.reason},
                     {"trigger", r.trigger == session::SessionTrigger::ServerInitiated ? "server" : "client"},
                     {"alerts", tickets.size()}});
    if (!tickets.empty())
        device_.exercised(req::MgmtPolicyMO_Device_01.id, "Generic Alert sent in session " + current_);
    session::Step step = s.start(clock_.now());
    for (int guard = 0; guard < 1000; ++guard) {
        report(step, tickets);
        if (step.end && !step.send.empty()) {
            // The session's last word (a refusal of the server's credentials, an abort): sent, and
            // whatever the server answers is not read, since the session is over.
            (void)co_await exchange(s, step.send.front());
        }
        if (step.end) {
            if (step.end->reason != session::EndReason::Completed && !tickets.empty()) {
                std::vector<policy::AlertId> undelivered;
                for (const auto& [ticket, id] : tickets)
                    undelivered.push_back(id);
                device_.alerts_undelivered(undelivered);
            }
            co_return step.end->reason;
        }
        if (step.send.empty()) {
            step = s.on_timeout(clock_.now());
            continue;
        }
        step = co_await exchange(s, step.send.front());
    }
    co_return session::EndReason::ProtocolError;
}

boost::asio::awaitable<session::Step> SessionRunner::exchange(session::ClientSession& s,
                                                              const session::Outbound& out) {
    const auto enc = account_->encoding;
    syncml::Message message = out.message;
    device_.apply_wire_faults(message);
    auto body = syncml::encode(message, enc);
    if (!body) co_return s.on_transport_error("cannot encode: " + body.error().detail, clock_.now());
    auto url = parse_url(out.destination.empty() ? account_->server_url : out.destination);
    if (!url) co_return s.on_transport_error(url.error().detail, clock_.now());
    const auto wire = enc == syncml::Encoding::Xml ? shell::WireFormat::Xml : shell::WireFormat::Wbxml;
    if (trace_ != nullptr) (void)trace_->record(shell::WireDirection::Out, wire, *body);
    auto req = shell::make_request(shell::http::verb::post, url->target, url->endpoint,
                                   syncml::content_type(enc), *body);
    if (out.mac) {
        auto header = session::hmac_header_value(*out.mac, *body);
        if (!header) co_return s.on_transport_error(header.error().detail, clock_.now());
        req.set("x-syncml-hmac", *header);
    }
    shell::HttpClientOptions opts;
    if (url->tls) {
        auto ctx = shell::make_client_tls_context(
            device_.config().tls_verify ? shell::PeerVerification::Verify : shell::PeerVerification::None,
            device_.config().tls_ca);
        if (!ctx) co_return s.on_transport_error(ctx.error().detail, clock_.now());
        opts.tls = std::move(*ctx);
        opts.tls_server_name = url->host;
    }
    auto resp = co_await shell::http_exchange(executor_, url->endpoint, std::move(req), opts);
    if (!resp) co_return s.on_transport_error(resp.error().detail, clock_.now());
    if (resp->result() != shell::http::status::ok) {
        co_return s.on_transport_error("HTTP status " + std::to_string(resp->result_int()), clock_.now());
    }
    auto in_enc = syncml::encoding_from_content_type(std::string((*resp)[shell::http::field::content_type]));
    const auto used = in_enc ? *in_enc : enc;
    if (trace_ != nullptr) {
        (void)trace_->record(
            shell::WireDirection::In,
            used == syncml::Encoding::Xml ? shell::WireFormat::Xml : shell::WireFormat::Wbxml, resp->body());
    }
    auto msg = syncml::decode(resp->body(), used);
    if (!msg) co_return s.on_transport_error("undecodable response: " + msg.error().detail, clock_.now());
    std::optional<std::string_view> hmac;
    if (auto it = resp->find("x-syncml-hmac"); it != resp->end()) hmac = it->value();
    co_return s.on_message(session::Inbound{*msg, resp->body(), hmac, {}}, clock_.now());
}

void SessionRunner::report(const session::Step& step, std::map<std::uint64_t, policy::AlertId>& tickets) {
    for (const auto& e : step.events) {
        std::visit(
            Overloaded{
                [&](const session::event::SessionStarted& x) {
                    events_.publish("session_started", current_,
                                    {{"alert_code", x.alert_code}, {"ver_proto", x.ver_proto}});
                },
                [&](const session::event::Authenticated& x) {
                    events_.publish(
                        "session_authenticated", current_,
                        {{"scheme", session::auth_scheme_name(x.scheme)}, {"code", base::to_int(x.code)}});
                    device_.exercised(req::MgmtPolicyMO_ATHEN_1.id,
                                      "authenticated with " +
                                          std::string(session::auth_scheme_name(x.scheme)));
                },
                [&](const session::event::AuthFailed& x) {
                    events_.publish(
                        "session_auth_failed", current_,
                        {{"code", base::to_int(x.code)}, {"attempt", x.attempt}, {"detail", x.detail}});
                },
                [&](const session::event::NonceIssued& x) {
                    device_.store_nonce(*account_, x.role, x.nonce_b64);
                },
                [&](const session::event::CommandStatusReceived& x) {
                    events_.publish("session_status_received", current_,
                                    {{"cmd", x.cmd}, {"code", base::to_int(x.code)}});
                },
                [&](const session::event::ResultsReceived&) {},
                [&](const session::event::GenericAlertReceived&) {},
                [&](const session::event::AlertAcknowledged& x) {
                    const auto it = tickets.find(x.ticket.value());
                    if (it == tickets.end()) return;
                    device_.alert_answered(it->second, x.code);
                    tickets.erase(it); // answered: delivered, whatever the session does next
                },
                [&](const session::event::CommandExecuted& x) {
                    events_.publish("session_command", current_,
                                    {{"cmd", x.cmd}, {"code", base::to_int(x.code)}});
                },
                [&](const session::event::ObjectTooLarge& x) {
                    events_.publish("session_object_too_large", current_, {{"cmd", x.cmd}, {"size", x.size}});
                },
                [&](const session::event::CommandTooLarge&) {}, // server side only
                [&](const session::event::VersionFallback& x) {
                    events_.publish("session_version_fallback", current_, {{"from", x.from}, {"to", x.to}});
                },
                [&](const session::event::SessionEnded& x) {
                    events_.publish(
                        "session_end", current_,
                        {{"reason", session::end_reason_name(x.end.reason)}, {"detail", x.end.detail}});
                },
            },
            e);
    }
    for (const auto& f : step.findings) {
        events_.publish("finding", current_, shell::finding_json(f));
    }
}

} // namespace omadm::client
