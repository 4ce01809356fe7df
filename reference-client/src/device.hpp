#pragma once
// The reference device: storage (its DM tree and alerts in SQLite), the agent of core/agent that runs
// commands and policies over the tree, the simulated system properties, the deliberately faulty
// modes, and the agent's outputs turned into events. Single-threaded: every call comes from the
// shell's I/O thread. Facts are reported through the EventSink.

#include "client_config.hpp"
#include "faults.hpp"
#include "omadm/agent/agent.hpp"
#include "omadm/session/client_session.hpp"
#include "sqlite_alert_store.hpp"
#include "sqlite_tree_store.hpp"

#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <span>

namespace omadm::client {

/// Receives every fact the device reports: kind and fields of one event.
using EventSink = std::function<void(std::string kind, boost::json::object fields)>;

class Device final : public session::CommandHandler {
public:
    /// Loads (or bootstraps) the tree from the database and restores the persisted policies.
    [[nodiscard]] static base::Result<std::unique_ptr<Device>>
    open(ClientFileConfig config, shell::sqlite::Database& db, const base::Clock& clock, EventSink sink);
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;
    ~Device() override;

    [[nodiscard]] tree::Tree& tree() noexcept { return tree_; }
    [[nodiscard]] const ClientFileConfig& config() const noexcept { return config_; }
    /// A DM session runs server commands through the device (the agent, then its events published).
    session::CommandOutcome handle(const syncml::Command& command,
                                   const session::CommandContext& context) override;
    [[nodiscard]] std::vector<session::PackageRefusal> end_package(base::TimePoint now) override;
    void end_batch(base::TimePoint now) override;

    /// Local commands (control API) as `who`, as one batch.
    std::vector<session::CommandOutcome> run_local(std::span<const syncml::Command> commands,
                                                   const tree::Principal& who);

    /// Sets simulated system properties by control-API name (datetime, location, device_type,
    /// network_type, battery); the error names the property that was refused.
    [[nodiscard]] base::Result<void> set_properties(const std::map<std::string, std::string>& values);

    /// The device clock moved (or a timer expired): due periodic triggers and windows run.
    void on_time();
    [[nodiscard]] std::optional<base::TimePoint> next_deadline() const { return agent_.next_deadline(); }

    /// Alerts to send (none with the never_alert fault), to every server.
    [[nodiscard]] std::vector<policy::QueuedAlert> alerts_to_send() const;
    /// The alerts to send to the server of `account` (one of config().accounts()): those of the
    /// policies its server owns (MgmtPolicyMO-Device-01), and for the first account also those whose
    /// owner has no account here (a local command's, or a server's account since removed).
    [[nodiscard]] std::vector<policy::QueuedAlert> alerts_for(const AccountConfig& account) const;
    [[nodiscard]] session::GenericAlert to_session_alert(const policy::QueuedAlert& alert) const;
    /// The server answered an alert: 200/202 removes it from the outbox.
    void alert_answered(policy::AlertId id, base::StatusCode code);
    /// A session carrying these alerts ended before the server answered them: they stay queued
    /// (dropped with the drop_undelivered_alert fault).
    void alerts_undelivered(std::span<const policy::AlertId> ids);
    /// Called when the engine queued an alert (the shell starts a session to deliver it).
    void on_alert_queued(std::function<void()> fn) { alert_queued_ = std::move(fn); }

    [[nodiscard]] const Faults& faults() const noexcept { return faults_; }
    /// What the wire faults (status_out_of_range, repeat_cmd_id) change in a message about to be sent.
    void apply_wire_faults(syncml::Message& message) const;
    void set_faults(const Faults& faults);
    /// The process stops: with the forget_policies_on_stop fault, every policy is deleted first.
    void on_stop();

    /// The configuration of a session with the server of `account` (one of config().accounts()),
    /// nonces as persisted in its DMAcc node; `fresh_server_nonce` is the nonce the session issues
    /// to the server (none when empty).
    [[nodiscard]] session::ClientConfig session_config(const AccountConfig& account,
                                                       session::SessionTrigger trigger,
                                                       base::SessionId session_id,
                                                       std::string fresh_server_nonce = {}) const;
    /// Persists a nonce issued during a session with the server of `account` into its AAuthData.
    void store_nonce(const AccountConfig& account, session::NonceRole role, const std::string& nonce_b64);
    /// The SRVCRED nonce of `account` (for Package 0 digests), base64 text as stored.
    [[nodiscard]] std::string server_nonce_b64(const AccountConfig& account) const;

    /// Records that the device exercised behaviour tied to a requirement label.
    void exercised(std::string_view label, std::string detail);

    /// JSON views for the control API.
    [[nodiscard]] boost::json::object tree_json(const tree::NodeUri& uri) const;
    [[nodiscard]] boost::json::array policies_json() const;

private:
    Device(ClientFileConfig config, shell::sqlite::Database& db, const base::Clock& clock, EventSink sink,
           std::unique_ptr<SqliteTreeStore> tree_store, std::unique_ptr<SqliteAlertStore> alert_store);
    [[nodiscard]] base::Result<void> start();
    /// Runs one input of the agent as one SQLite transaction: what it writes (the command, the
    /// policy runs it caused with their Results, and their alerts) persists together or not at all.
    void durably(const std::function<void()>& input);
    /// Turns what the agent reported since the last call into events.
    void publish();
    void report(const policy::PolicyEvent& event);
    void report_fired(const policy::PolicyFired& fired);

    ClientFileConfig config_;
    shell::sqlite::Database& db_;
    const base::Clock& clock_;
    EventSink sink_;
    policy::PolicyLayout layout_;
    policy::SystemPropertiesLayout props_;
    tree::Tree tree_;
    std::unique_ptr<SqliteTreeStore> tree_store_;
    std::unique_ptr<SqliteAlertStore> alert_store_;
    agent::Agent agent_;
    Faults faults_;
    std::set<tree::NodeUri> ever_installed_; ///< to tell an update from a download
    std::function<void()> alert_queued_;
};

} // namespace omadm::client
