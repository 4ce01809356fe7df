#pragma once
// The device-side MgmtPolicyMO engine: lifecycle of the policies under the MO root (download,
// update, activation, removal), continuous monitoring (tree changes and timers), execution of the
// actions as the owning server, Results written back, Generic Alerts queued in the outbox.
//
// Sans-IO: every input carries `now`; outputs are the returned events, host writes and alerts.

#include "omadm/base/clock.hpp"
#include "omadm/base/status_code.hpp"
#include "omadm/base/strong_id.hpp"
#include "omadm/policy/change_index.hpp"
#include "omadm/policy/deviations.hpp"
#include "omadm/policy/extension_registry.hpp"
#include "omadm/policy/outbox.hpp"
#include "omadm/policy/policy_event.hpp"
#include "omadm/policy/policy_host.hpp"
#include "omadm/policy/policy_layout.hpp"
#include "omadm/policy/policy_reader.hpp"

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace omadm::policy {

struct EngineConfig {
    /// Cascade steps (actions changing watched nodes) followed from one outside change or tick.
    std::uint32_t max_cascade_depth = 8;
    /// Entries kept under Results/Log; the oldest is dropped first.
    std::size_t log_capacity = 10;
    /// Deliberately faulty behaviour (none by default).
    Deviations deviations{};
};

struct EngineOptions {
    PolicyLayout layout;
    EngineConfig config;
    ExtensionRegistry extensions;
};

/// The outcome of an outside input: its DM status (for a lifecycle input), a reason when it failed,
/// and the events produced.
struct Step {
    base::StatusCode status = base::StatusCode::Ok;
    std::string reason;
    std::vector<PolicyEvent> events;
};

class PolicyEngine {
public:
    PolicyEngine(PolicyHost& host, Outbox& outbox, EngineOptions options = {});

    /// MgmtPolicyMO-HLF-1: the subtree at `policy_uri` was added by `owner`; validate and install it
    /// Inactive. Not 2xx: the policy is not installed and the shell rolls back the Add.
    [[nodiscard]] Step download(const tree::NodeUri& policy_uri, const base::ServerId& owner,
                                base::TimePoint now);
    /// MgmtPolicyMO-HLF-2: re-read the subtree; a valid new version replaces the old at once (state,
    /// owner and Results kept), an invalid one leaves the old in force.
    [[nodiscard]] Step update(const tree::NodeUri& policy_uri, base::TimePoint now);
    /// Reads the subtree of an installed policy as update() would, installing nothing: called before
    /// the Replace of its Version commits, so that an invalid update is refused at that command.
    /// Status 200, or the refusal's status and reason with PolicyRejected.
    [[nodiscard]] Step check_update(const tree::NodeUri& policy_uri);
    /// MgmtPolicyMO-HLF-3: an Exec on Operations/Activate or Operations/Deactivate. A Correlator is
    /// echoed by the next alert of the policy.
    [[nodiscard]] Step exec(const tree::NodeUri& target_uri, const base::ServerId& server,
                            std::optional<std::string> correlator, base::TimePoint now);
    /// Restart recovery: installs every policy found under the MO root of the (persisted) tree
    /// that is not installed yet, with its State, Owner and Results counters as the tree holds them.
    /// Active policies are armed again (change watches, timers; a periodic trigger counts its
    /// Period from `now`). Nothing is re-run and no alert is re-queued: an OnChange policy fires
    /// only if its persisted Holds was false and its condition holds now (an edge missed while the
    /// device was down); without a persisted Holds the first evaluation only primes the edge. A
    /// policy that does not validate, or lacks a valid State or Owner, is skipped and reported by a
    /// PolicyRejected event; the step status stays 200.
    [[nodiscard]] Step load_existing(base::TimePoint now);
    /// MgmtPolicyMO-HLF-4: forget the policy (its subtree was deleted).
    [[nodiscard]] Step remove(const tree::NodeUri& policy_uri);

    /// MgmtPolicyMO-Device-03: a node changed by anything but this engine. Under the MO root this
    /// also drives the lifecycle: a changed Version updates, a deleted policy node removes.
    [[nodiscard]] Step on_tree_changed(const tree::NodeUri& uri, base::TimePoint now);
    /// Periodic triggers and validity windows that are due at `now`.
    [[nodiscard]] Step on_timer(base::TimePoint now);
    [[nodiscard]] std::optional<base::TimePoint> next_deadline() const;

    /// MgmtPolicyMO-ATHOR-1: only the server that downloaded a policy manages it.
    [[nodiscard]] bool may_manage(const tree::NodeUri& policy_uri, const base::ServerId& server) const;
    [[nodiscard]] std::optional<PolicyState> state(const tree::NodeUri& policy_uri) const;
    [[nodiscard]] const CompiledPolicy* find(const tree::NodeUri& policy_uri) const;
    [[nodiscard]] std::size_t size() const noexcept { return policies_.size(); }
    [[nodiscard]] const PolicyLayout& layout() const noexcept { return options_.layout; }
    /// Switches deliberate deviations on or off from the next input on.
    void set_deviations(const Deviations& deviations) { options_.config.deviations = deviations; }

private:
    struct Installed {
        CompiledPolicy policy;
        base::ServerId owner;
        PolicyState state = PolicyState::Inactive;
        bool last_result = false; // edge detection
        /// The last evaluation held only through a `changed` condition: a change is an instant, so
        /// the policy rests as not holding and the next change is a new edge.
        bool momentary = false;
        std::vector<std::optional<NodeValue>> last_values; // per condition, for `changed`
        std::optional<base::TimePoint> due;                // entry in timers_
        std::optional<base::TimePoint> next_tick;
        std::optional<std::string> correlator;
        std::uint64_t run_count = 0;
        std::uint64_t log_seq = 0;
        bool holds_written = false; // the Holds leaf matches last_result
        bool removed = false;       // removed but kept armed (Deviations::keep_removed_armed)
    };
    struct Pending {
        tree::NodeUri uri;
        std::uint32_t depth;
    };
    struct Cascade {
        std::vector<tree::NodeUri> chain;
        std::set<tree::NodeUri> fired;
        bool stopped = false;
    };

    /// The policy node at or above `uri` (a child of the MO root), if `uri` is one or below one.
    [[nodiscard]] std::optional<tree::NodeUri> policy_of(const tree::NodeUri& uri) const;
    [[nodiscard]] Installed* installed(const tree::NodeUri& policy_uri);
    /// An installed policy, or a removed one kept armed by Deviations::keep_removed_armed.
    [[nodiscard]] Installed* armed(const tree::NodeUri& policy_uri);
    void watch(const Installed& p);
    void unwatch(const Installed& p);
    void schedule(Installed& p, base::TimePoint now);
    void unschedule(Installed& p);
    void baseline(Installed& p);
    [[nodiscard]] bool evaluate(Installed& p, Step& step);
    /// The compound condition over the simple conditions' values, as the deviations combine them.
    [[nodiscard]] bool combine(const CompiledPolicy& p, std::span<const bool> values) const;
    void deviated(std::string_view deviation, std::string target, Step& step) const;
    [[nodiscard]] bool evaluate_condition(const SimpleCondition& c, const std::optional<NodeValue>& current,
                                          const std::optional<NodeValue>& previous, Step& step) const;
    [[nodiscard]] base::Result<CompiledPolicy> read_download(const tree::NodeUri& policy_uri, Step& step);
    void cascade(Cascade& c, std::vector<Pending> queue, base::TimePoint now, Step& step);
    void fire_all(const std::vector<tree::NodeUri>& uris, FireCause cause, std::uint32_t depth,
                  base::TimePoint now, Cascade& c, std::vector<Pending>& queue, Step& step);
    void fire(Installed& p, FireCause cause, std::uint32_t depth, base::TimePoint now,
              std::vector<Pending>& queue, Step& step);
    void report_loop(Installed& p, LoopDetected loop, base::TimePoint now, Step& step);
    void write_results(Installed& p, ResultCode result, const std::string& detail, base::TimePoint now,
                       Step& step);
    void queue_alert(Installed& p, AlertEvent event, ResultCode result, std::string detail, Step& step);
    void write_state(Installed& p, PolicyState to, Step& step);
    void note_holds(Installed& p, bool holds, Step& step);
    [[nodiscard]] base::Result<Installed> restore_one(const tree::NodeUri& policy_uri);
    void restore_counters(Installed& p, Step& step);
    [[nodiscard]] bool rearm(Installed& p, base::TimePoint now, Step& step);
    [[nodiscard]] Step activate(Installed& p, std::optional<std::string> correlator, base::TimePoint now);
    [[nodiscard]] Step deactivate(Installed& p);
    [[nodiscard]] Step lifecycle_change(const tree::NodeUri& uri, base::TimePoint now);

    PolicyHost& host_;
    Outbox& outbox_;
    EngineOptions options_;
    std::map<tree::NodeUri, Installed> policies_;
    std::map<tree::NodeUri, Installed> removed_armed_; ///< Deviations::keep_removed_armed
    ChangeIndex index_;
    std::set<std::pair<base::TimePoint, tree::NodeUri>> timers_;
};

} // namespace omadm::policy
