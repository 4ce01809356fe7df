#pragma once
// Turns what the session engine reports in each Step into store records and events
// (docs/events.md): authentication, nonces (persisted in the account so the next session uses
// them), statuses and results (through the BatchTracker), Generic Alerts, findings, the end.

#include "batch_tracker.hpp"
#include "omadm/policy/policy_layout.hpp"
#include "omadm/session/event.hpp"
#include "omadm/shell/event_bus.hpp"
#include "server_store.hpp"

#include <optional>
#include <string>

namespace omadm::server {

struct SessionEventsDeps {
    ServerStore& store;
    shell::EventBus& events;
    BatchTracker& tracker;
    std::string device;
    std::string session_id;
    const policy::PolicyLayout& layout;
};

class SessionEvents {
public:
    explicit SessionEvents(SessionEventsDeps deps) : d_(std::move(deps)) {}

    /// The account the session runs with (nullopt: none required).
    void set_account(std::optional<Account> account);
    void report(const session::Step& step);
    /// For the sessions listing: the scheme once authenticated ("none" without an account),
    /// "pending" before, "failed" after a refused attempt.
    [[nodiscard]] std::string auth_scheme() const { return auth_; }
    /// The VerProto of the Package 1 the session accepted; empty before.
    [[nodiscard]] std::string ver_proto() const { return ver_proto_; }

private:
    void on(const session::event::SessionStarted& e);
    void on(const session::event::Authenticated& e);
    void on(const session::event::AuthFailed& e);
    void on(const session::event::NonceIssued& e);
    void on(const session::event::CommandStatusReceived& e) { d_.tracker.on_status(e, d_.session_id); }
    void on(const session::event::ResultsReceived& e) { d_.tracker.on_results(e, d_.session_id); }
    void on(const session::event::GenericAlertReceived& e);
    void on(const session::event::AlertAcknowledged&) {}
    void on(const session::event::CommandExecuted&) {}
    void on(const session::event::ObjectTooLarge& e) { d_.tracker.on_too_large(e, d_.session_id); }
    void on(const session::event::CommandTooLarge& e) { d_.tracker.on_too_large(e, d_.session_id); }
    void on(const session::event::VersionFallback&) {}
    void on(const session::event::SessionEnded& e);
    void finding(const session::Finding& f);
    void exercised(std::string_view label, std::string detail);

    SessionEventsDeps d_;
    std::optional<Account> account_;
    std::string auth_ = "pending";
    std::string ver_proto_;
};

} // namespace omadm::server
