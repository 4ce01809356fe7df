#pragma once
// The reference device: its DM tree (persisted), the command handler servers and the control API
// use, the policy engine hosted continuously over the tree, the outbox of Generic Alerts, the
// simulated system properties and the deliberately faulty modes. Single-threaded: every call comes
// from the shell's I/O thread. Facts are reported through the EventSink.

#include "client_config.hpp"
#include "omadm/policy/policy_engine.hpp"
#include "omadm/session/client_session.hpp"
#include "sqlite_alert_store.hpp"
#include "sqlite_tree_store.hpp"
#include "tree_command_handler.hpp"
#include "tree_policy_host.hpp"

#include <boost/json/object.hpp>
#include <functional>
#include <map>
#include <memory>
#include <set>

namespace omadm::client {

/// Deliberately faulty behaviour, for testing the harness (reference-client/README.md).
struct Faults {
    bool ignore_deactivate = false; ///< Exec Deactivate answers 200 but the policy stays active
    bool never_alert = false;       ///< no Generic Alert is ever sent
    bool wrong_result_code = false; ///< alerts carry a wrong result code
    bool skip_acl = false;          ///< policy actions ignore ACLs
};

/// Receives every fact the device reports: kind and fields of one event.
using EventSink = std::function<void(std::string kind, boost::json::object fields)>;

class Device {
public:
    /// Loads (or bootstraps) the tree from the database and restores the persisted policies.
    [[nodiscard]] static base::Result<std::unique_ptr<Device>>
    open(ClientFileConfig config, shell::sqlite::Database& db, const base::Clock& clock, EventSink sink);
    Device(const Device&) = delete;
    Device& operator=(const Device&) = delete;
    ~Device();

    [[nodiscard]] tree::Tree& tree() noexcept { return tree_; }
    [[nodiscard]] const ClientFileConfig& config() const noexcept { return config_; }
    /// The handler a DM session runs server commands through.
    [[nodiscard]] TreeCommandHandler& handler() noexcept { return handler_; }

    /// A local command (control API) as `who`.
    session::CommandOutcome apply_local(const syncml::Command& command, const tree::Principal& who);
    /// End of a batch of commands (a session or a local request): policies added piece by piece
    /// are installed now, or removed when invalid.
    void finish_batch();

    /// Sets simulated system properties by control-API name (datetime, location, device_type,
    /// network_type, battery); the error names the property that was refused.
    [[nodiscard]] base::Result<void> set_properties(const std::map<std::string, std::string>& values);

    /// The device clock moved (or a timer expired): due periodic triggers and windows run.
    void on_time();
    [[nodiscard]] std::optional<base::TimePoint> next_deadline() const { return engine_.next_deadline(); }

    /// Alerts to send in the next session (none with the never_alert fault).
    [[nodiscard]] std::vector<policy::QueuedAlert> alerts_to_send() const;
    [[nodiscard]] session::GenericAlert to_session_alert(const policy::QueuedAlert& alert) const;
    /// The server answered an alert: 200/202 removes it from the outbox.
    void alert_answered(policy::AlertId id, base::StatusCode code);
    /// Called when the engine queued an alert (the shell starts a session to deliver it).
    void on_alert_queued(std::function<void()> fn) { alert_queued_ = std::move(fn); }

    [[nodiscard]] const Faults& faults() const noexcept { return faults_; }
    void set_faults(const Faults& faults);

    /// The session configuration from the DMAcc account (nonces as persisted).
    [[nodiscard]] session::ClientConfig session_config(session::SessionTrigger trigger,
                                                       base::SessionId session_id) const;
    /// Persists a nonce issued during a session into DMAcc AAuthData.
    void store_nonce(session::NonceRole role, const std::string& nonce_b64);
    /// Current SRVCRED nonce (for Package 0 digests), base64 text as stored.
    [[nodiscard]] std::string server_nonce_b64() const;

    /// Records that the device exercised behaviour tied to a requirement label.
    void exercised(std::string_view label, std::string detail);

    /// JSON views for the control API.
    [[nodiscard]] boost::json::object tree_json(const tree::NodeUri& uri) const;
    [[nodiscard]] boost::json::array policies_json() const;

private:
    Device(ClientFileConfig config, shell::sqlite::Database& db, const base::Clock& clock, EventSink sink,
           std::unique_ptr<SqliteTreeStore> tree_store, std::unique_ptr<SqliteAlertStore> alert_store);
    [[nodiscard]] base::Result<void> start();
    void restore_policies();
    void on_change(const tree::Change& change);
    base::StatusCode before_commit(const tree::Principal& who);
    /// ATHOR-1: a server changes (Add, Replace, Delete, Copy onto) no policy another server owns,
    /// neither inside it nor by a Delete of the MO root or an ancestor; 425 otherwise.
    base::StatusCode may_write(const tree::NodeUri& target, const tree::Principal& who);
    void after_rollback();
    void command_executed(const syncml::Command& command, const tree::Principal& who,
                          const session::CommandOutcome& out);
    base::StatusCode on_exec(const tree::ExecContext& ctx, bool activate);
    base::StatusCode install(const std::string& policy_uri, const base::ServerId& owner);
    void make_operations_dynamic(const std::string& policy_uri);
    std::vector<std::string> uninstalled_policies() const;
    void handle(const policy::Step& step);
    void report(const policy::PolicyEvent& event);
    void report_fired(const policy::PolicyFired& fired);
    [[nodiscard]] base::ServerId owner_of_principal(const tree::Principal& who) const;

    ClientFileConfig config_;
    shell::sqlite::Database& db_;
    const base::Clock& clock_;
    EventSink sink_;
    policy::PolicyLayout layout_;
    policy::SystemPropertiesLayout props_;
    tree::Tree tree_;
    std::unique_ptr<SqliteTreeStore> tree_store_;
    std::unique_ptr<SqliteAlertStore> alert_store_;
    std::unique_ptr<policy::Outbox> outbox_;
    TreePolicyHost host_;
    policy::PolicyEngine engine_;
    TreeCommandHandler handler_;
    Faults faults_;
    int engine_depth_ = 0;                     ///< >0 while the engine runs (its own writes are not fed back)
    std::set<std::string, std::less<>> quiet_; ///< policies just installed in a transaction
    std::set<std::string, std::less<>> ever_installed_;
    std::set<std::string, std::less<>> unrestored_; ///< found at restart, not valid: left as they are
    std::function<void()> alert_queued_;
};

} // namespace omadm::client
