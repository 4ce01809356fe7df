#pragma once
// The device side of OMA DM and MgmtPolicyMO as one sans-IO state machine over the tree, syncml,
// session and policy modules. It runs batches of DM commands for a principal (through the one
// CommandRunner), drives the policy lifecycle from what those commands changed, and owns the outbox
// of Generic Alerts.
//
// Inputs carry `now` and are handled to the end before the call returns: tree changes are queued
// while a command runs and fed to the policy engine afterwards, one engine input at a time. A
// change the engine made itself (an action, State, Results) is its own to follow and is not fed
// back; a policy action that asks for a lifecycle operation (an Exec on Operations/Activate) is
// queued, answered 202, and run once the engine has returned. Nothing calls into the engine while it
// runs. Outputs are drained with take_events(); the alerts to send are read from pending_alerts().
// A shell that persists the tree and the alert store makes each input one durable transaction, so a
// crash never leaves a policy's action applied without its Results and alert (reference-client's
// Device::durably).

#include "omadm/agent/command_runner.hpp"
#include "omadm/base/result.hpp"
#include "omadm/policy/outbox.hpp"
#include "omadm/policy/policy_engine.hpp"
#include "omadm/session/command_handler.hpp"
#include "omadm/tree/tree.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace omadm::agent {

class TreeHost;

/// Deliberate deviations of a reference device, for testing a harness against a faulty device.
struct Deviations {
    bool ignore_deactivate = false; ///< Exec Deactivate answers 200 but the policy stays active
    bool skip_action_acl = false;   ///< policy actions run as the device, bypassing ACLs
    bool ignore_activate = false;   ///< Exec Activate answers 200 but the policy stays inactive
    /// A server other than a policy's owner may replace and delete the policy's nodes (its ACLs
    /// permitting): ownership is not checked before writes.
    bool ignore_policy_owner = false;
    policy::Deviations policy{}; ///< the engine's (evaluation, actions, Results, alerts)
};

struct AgentOptions {
    policy::PolicyLayout layout;
    policy::EngineConfig engine;
    /// The owner of policies that local (device) commands create: the device's DM account.
    base::ServerId default_owner;
};

/// The persisted policies came back after a restart; `skipped` did not validate and stay as found.
struct PoliciesRestored {
    std::size_t count = 0;
    std::size_t skipped = 0;
};
/// A policy added piece by piece did not validate at the end of the server package (or of the
/// batch) that wrote it and was taken out again.
struct InvalidPolicyRemoved {
    tree::NodeUri policy;
    base::StatusCode code = base::StatusCode::Ok;
    std::string reason;
};
/// A top-level command of a batch ran; `server` is absent for the device's own commands.
struct CommandExecuted {
    std::string cmd;
    base::StatusCode code = base::StatusCode::Ok;
    std::optional<base::ServerId> server;
};
/// A server was refused a change to, or an operation on, a policy another server owns.
struct OwnershipRefused {
    std::string detail;
};
/// A deviation changed what the device did.
struct DeviationApplied {
    std::string deviation;
    std::string target;
};
/// A lifecycle operation a policy action asked for (answered 202) ran with this code.
struct DeferredExecDone {
    std::string target;
    base::StatusCode code = base::StatusCode::Ok;
};

using AgentEvent = std::variant<policy::PolicyEvent, PoliciesRestored, InvalidPolicyRemoved, CommandExecuted,
                                OwnershipRefused, DeviationApplied, DeferredExecDone>;

/// A value the device writes itself (no ACL): a system property, a nonce.
struct DeviceValue {
    std::string uri;
    std::optional<tree::Format> format; ///< absent: the DDF's format, else chr
    std::string data;
};

/// Whether policies watching device-written values follow the change.
enum class Follow { Yes, No };

/// How a write of device values went: 200, or the refusal's code and the index of the value refused.
struct DeviceWrite {
    base::StatusCode code = base::StatusCode::Ok;
    std::size_t refused = 0;
};

class Agent final : public session::CommandHandler {
public:
    /// `tree` and `alerts` must outlive the agent; the tree is loaded (restored, bootstrapped) by the
    /// shell before start().
    Agent(tree::Tree& tree, policy::AlertStore& alerts, AgentOptions options);
    ~Agent() override;
    Agent(const Agent&) = delete;
    Agent& operator=(const Agent&) = delete;

    /// Restart recovery: the outbox and the policies persisted in the tree come back; active ones are
    /// armed again (policy::PolicyEngine::load_existing).
    [[nodiscard]] base::Result<void> start(base::TimePoint now);

    // --- inputs --------------------------------------------------------------------------------
    /// A server command of a DM session, run as the session's authenticated server.
    session::CommandOutcome handle(const syncml::Command& command,
                                   const session::CommandContext& context) override;
    /// The server's package ended: policies its commands added piece by piece are installed now,
    /// owned by the session's server, or taken out again when they do not validate; the last
    /// command of the package that wrote such a policy is refused with the download's code.
    [[nodiscard]] std::vector<session::PackageRefusal> end_package(base::TimePoint now) override;
    /// The session ended: what a package left incomplete (a session cut short) is installed or taken
    /// out as at the end of a package.
    void end_batch(base::TimePoint now) override;
    /// Local commands (the device's own, or a local request as a server) as one batch.
    [[nodiscard]] std::vector<session::CommandOutcome>
    run_local(std::span<const syncml::Command> commands, const tree::Principal& who, base::TimePoint now);
    /// Device-written values in one transaction: all are written, or none when one is refused.
    [[nodiscard]] DeviceWrite write_device_values(std::span<const DeviceValue> values, Follow follow,
                                                  base::TimePoint now);
    /// The clock moved: due periodic triggers and validity windows run.
    void on_time(base::TimePoint now);
    /// The server acknowledged an alert (200 or 202): it leaves the outbox.
    [[nodiscard]] base::Result<void> alert_acknowledged(policy::AlertId id);
    void set_deviations(const Deviations& deviations);

    // --- outputs -------------------------------------------------------------------------------
    /// Everything that happened since the last call, in order.
    [[nodiscard]] std::vector<AgentEvent> take_events();
    [[nodiscard]] std::span<const policy::QueuedAlert> pending_alerts() const noexcept;
    [[nodiscard]] std::optional<base::TimePoint> next_deadline() const { return engine_.next_deadline(); }
    [[nodiscard]] const policy::PolicyEngine& engine() const noexcept { return engine_; }
    [[nodiscard]] const policy::PolicyLayout& layout() const noexcept { return options_.layout; }

private:
    class CommandHooks;
    class ActionHooks;
    struct DeferredExec {
        tree::Principal who;
        tree::NodeUri target;
        tree::ExecRequest request;
        std::uint32_t depth = 1; ///< operations between it and the outside input that led to it
    };

    /// Runs one engine input with the host's time set; the changes it made are its own.
    template <class F> policy::Step call_engine(base::TimePoint now, F&& input);
    void record(policy::Step step);
    session::CommandOutcome run_top_level(const syncml::Command& command, const tree::Principal& who,
                                          base::TimePoint now);
    /// Feeds the queued changes and deferred lifecycle operations to the engine.
    void drain(base::TimePoint now);
    /// Installs the touched policies the engine does not hold yet; those refused are taken out.
    std::vector<session::PackageRefusal> finish_batch(const base::ServerId& owner, base::TimePoint now);

    base::StatusCode may_write(const tree::NodeUri& target, const tree::Principal& who, base::TimePoint now);
    base::StatusCode install_created(const tree::Principal& who, base::TimePoint now);
    void resync(base::TimePoint now);
    [[nodiscard]] bool is_operation(const tree::NodeUri& target) const;
    /// The policy an Exec target under its operations belongs to (PolicyLayout::operation_uri).
    [[nodiscard]] std::optional<tree::NodeUri> policy_of_operation(const tree::NodeUri& target) const;
    base::StatusCode run_operation(const tree::Principal& who, const tree::NodeUri& target,
                                   const tree::ExecRequest& request, base::TimePoint now);
    /// The engine's download step: its code and, when refused, the reason.
    std::pair<base::StatusCode, std::string> install(const tree::NodeUri& policy_uri,
                                                     const base::ServerId& owner, base::TimePoint now);
    void make_operations_dynamic(const tree::NodeUri& policy_uri);
    /// The policies a run of changes touched, each with the last command (by its index in the
    /// server package) that changed it.
    struct Touched {
        std::map<tree::NodeUri, std::size_t> policies;
        bool all = false; ///< a change reached the MO root or above it
        void note(const tree::NodeUri& root, const tree::Change& change, std::size_t command);
    };
    /// The touched policies (every one under the MO root with `all`) that the engine does not hold,
    /// that exist and were not refused at restart.
    [[nodiscard]] std::vector<tree::NodeUri> uninstalled_policies(const Touched& touched) const;
    [[nodiscard]] base::ServerId owner_of(const tree::Principal& who) const;

    tree::Tree& tree_;
    AgentOptions options_;
    base::TimePoint host_now_{};
    std::unique_ptr<CommandHooks> command_hooks_;
    std::unique_ptr<ActionHooks> action_hooks_;
    CommandRunner commands_;
    CommandRunner actions_;
    std::unique_ptr<TreeHost> host_;
    policy::Outbox outbox_;
    policy::PolicyEngine engine_;
    tree::ObserverId observer_{};
    bool started_ = false;
    Deviations deviations_;
    std::uint32_t deferred_depth_ = 0;           ///< depth of the deferred operation being run, 0 otherwise
    std::optional<base::ServerId> batch_server_; ///< the server whose session the batch is

    std::vector<tree::Change> changes_;  ///< committed, not yet fed to the engine
    std::vector<DeferredExec> deferred_; ///< lifecycle operations asked for by policy actions
    std::set<tree::NodeUri> quiet_;      ///< policies installed by the running command
    std::set<tree::NodeUri> unrestored_; ///< found at restart, not valid: left as they are
    Touched touched_;                    ///< committed since the last package ended
    std::size_t package_commands_ = 0;   ///< server commands handled in this package
    std::vector<AgentEvent> events_;
};

} // namespace omadm::agent
