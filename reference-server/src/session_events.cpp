#include "session_events.hpp"

#include "omadm/base/requirements.hpp"
#include "omadm/policy/policy_layout.hpp"
#include "omadm/shell/finding_json.hpp"
#include "omadm/shell/log.hpp"

namespace omadm::server {

namespace json = boost::json;

namespace {

json::value optional_json(const std::optional<std::string>& v) {
    return v ? json::value(*v) : json::value(nullptr);
}

} // namespace

void SessionEvents::set_account(std::optional<Account> account) {
    account_ = std::move(account);
    if (!account_) auth_ = "none";
}

void SessionEvents::report(const session::Step& step) {
    for (const auto& e : step.events)
        std::visit([this](const auto& ev) { on(ev); }, e);
    for (const auto& f : step.findings)
        finding(f);
    d_.tracker.complete_answered(d_.session_id);
}

void SessionEvents::exercised(std::string_view label, std::string detail) {
    d_.events.publish("requirement_exercised", d_.session_id,
                      {{"label", label}, {"detail", std::move(detail)}});
}

void SessionEvents::on(const session::event::SessionStarted& e) {
    ver_proto_ = e.ver_proto;
    d_.events.publish("session_accepted", d_.session_id,
                      {{"device", d_.device}, {"ver_proto", e.ver_proto}, {"alert", e.alert_code}});
    d_.tracker.on_session_started(d_.session_id);
}

void SessionEvents::on(const session::event::Authenticated& e) {
    auth_ = std::string(session::auth_scheme_name(e.scheme));
    d_.events.publish(
        "authenticated", d_.session_id,
        {{"device", d_.device}, {"auth", auth_}, {"user", e.user}, {"code", static_cast<int>(e.code)}});
    exercised(req::MgmtPolicyMO_ATHEN_1.id, "client authenticated with " + auth_);
}

void SessionEvents::on(const session::event::AuthFailed& e) {
    auth_ = "failed";
    d_.events.publish("auth_failed", d_.session_id,
                      {{"device", d_.device},
                       {"auth", session::auth_scheme_name(e.scheme)},
                       {"code", static_cast<int>(e.code)},
                       {"attempt", e.attempt},
                       {"detail", e.detail}});
    exercised(req::MgmtPolicyMO_ATHEN_1.id, "client refused: " + e.detail);
}

void SessionEvents::on(const session::event::NonceIssued& e) {
    const bool client = e.role == session::NonceRole::ClientCredential;
    d_.events.publish(
        "nonce_issued", d_.session_id,
        {{"device", d_.device}, {"role", client ? "client" : "server"}, {"nonce", e.nonce_b64}});
    if (!account_) return;
    if (!client) {
        account_->server_nonce_b64 = e.nonce_b64;
    } else if (e.with_refusal) {
        account_->challenged_nonce_b64 = e.nonce_b64;
    } else {
        account_->client_nonce_b64 = e.nonce_b64;
        account_->challenged_nonce_b64.clear();
    }
    if (auto r = d_.store.put_account(d_.device, *account_); !r) log::error("store: " + r.error().detail);
}

void SessionEvents::on(const session::event::GenericAlertReceived& e) {
    AlertRecord a;
    a.session = d_.session_id;
    a.correlator = e.correlator;
    a.source = e.item.source;
    a.type = e.item.type;
    a.format = e.item.format;
    a.mark = e.item.mark;
    a.data = e.item.data;
    if (auto r = d_.store.add_alert(d_.device, a); !r) log::error("store: " + r.error().detail);
    d_.events.publish("generic_alert", d_.session_id,
                      {{"device", d_.device},
                       {"correlator", optional_json(a.correlator)},
                       {"source", optional_json(a.source)},
                       {"type", optional_json(a.type)},
                       {"format", optional_json(a.format)},
                       {"mark", optional_json(a.mark)},
                       {"data", optional_json(a.data)},
                       {"answered", static_cast<int>(e.answered)}});
    const auto& layout = d_.layout;
    const bool about_policy = e.item.source && e.item.source->starts_with(layout.root.str() + "/");
    if (about_policy || e.item.type.starts_with(layout.alert_type_prefix)) {
        exercised(req::MgmtPolicyMO_DMS_02.id, "Generic Alert about " + e.item.source.value_or(e.item.type));
    }
}

void SessionEvents::on(const session::event::SessionEnded& e) {
    d_.tracker.on_session_ended(d_.session_id); // completes the answered batches first
    if (e.end.reason == session::EndReason::Completed)
        exercised(req::MgmtPolicyMO_OSR_01.id, "session completed");
}

void SessionEvents::finding(const session::Finding& f) {
    d_.events.publish("finding", d_.session_id, shell::finding_json(f));
    log::warn("finding " + std::string(f.requirement.id) + ": " + f.detail);
}

} // namespace omadm::server
