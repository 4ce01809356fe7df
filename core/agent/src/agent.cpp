#include "omadm/agent/agent.hpp"

#include "omadm/tree/errc.hpp"
#include "tree_host.hpp"

#include <algorithm>

namespace omadm::agent {

using base::StatusCode;

/// Server and local commands: ownership and update checks before writes, policies installed at
/// commit, policy operations run by the engine.
class Agent::CommandHooks final : public RunnerHooks {
public:
    explicit CommandHooks(Agent& agent) : agent_(agent) {}
    StatusCode may_write(const tree::NodeUri& target, const tree::Principal& who,
                         base::TimePoint now) override {
        return agent_.may_write(target, who, now);
    }
    StatusCode before_commit(const tree::Principal& who, base::TimePoint now) override {
        return agent_.install_created(who, now);
    }
    void after_rollback(base::TimePoint now) override { agent_.resync(now); }
    std::optional<StatusCode> exec(const tree::Principal& who, const tree::NodeUri& target,
                                   const tree::ExecRequest& request, base::TimePoint now) override {
        if (!agent_.is_operation(target)) return std::nullopt;
        return agent_.run_operation(who, target, request, now);
    }

private:
    Agent& agent_;
};

/// Policy actions, run while the engine runs: a policy operation is queued for after it (202).
class Agent::ActionHooks final : public RunnerHooks {
public:
    explicit ActionHooks(Agent& agent) : agent_(agent) {}
    StatusCode may_write(const tree::NodeUri&, const tree::Principal&, base::TimePoint) override {
        return StatusCode::Ok;
    }
    StatusCode before_commit(const tree::Principal&, base::TimePoint) override { return StatusCode::Ok; }
    void after_rollback(base::TimePoint) override {}
    std::optional<StatusCode> exec(const tree::Principal& who, const tree::NodeUri& target,
                                   const tree::ExecRequest& request, base::TimePoint) override {
        if (!agent_.is_operation(target)) return std::nullopt;
        agent_.deferred_.push_back(DeferredExec{who, target, request, agent_.deferred_depth_ + 1});
        return StatusCode::Accepted;
    }

private:
    Agent& agent_;
};

Agent::Agent(tree::Tree& tree, policy::AlertStore& alerts, AgentOptions options)
    : tree_(tree), options_(std::move(options)), command_hooks_(std::make_unique<CommandHooks>(*this)),
      action_hooks_(std::make_unique<ActionHooks>(*this)), commands_(tree_, command_hooks_.get()),
      actions_(tree_, action_hooks_.get()), host_(std::make_unique<TreeHost>(tree_, actions_, host_now_)),
      outbox_(alerts), engine_(*host_, outbox_, policy::EngineOptions{options_.layout, options_.engine, {}}) {
}

Agent::~Agent() {
    if (started_) tree_.unsubscribe(observer_);
}

base::Result<void> Agent::start(base::TimePoint now) {
    if (auto r = outbox_.restore(); !r) return r.error();
    observer_ = tree_.subscribe([this](const tree::Change& c) {
        touched_.note(options_.layout.root, c, package_commands_);
        changes_.push_back(c);
    });
    started_ = true;
    // Policies persisted before a restart come back from the tree (State, Owner, Results, Holds)
    // and active ones are armed again; nothing is re-run (docs/mgmtpolicy-mo.md, Restart).
    policy::Step step = call_engine(now, [&] { return engine_.load_existing(now); });
    for (const auto& event : step.events) {
        if (const auto* rejected = std::get_if<policy::PolicyRejected>(&event))
            unrestored_.insert(rejected->policy);
    }
    const auto& root = options_.layout.root;
    for (const auto& name : tree_.children(root))
        make_operations_dynamic(root / name);
    events_.emplace_back(PoliciesRestored{engine_.size(), unrestored_.size()});
    record(std::move(step));
    drain(now);
    return {};
}

// --- inputs --------------------------------------------------------------------------------------

session::CommandOutcome Agent::handle(const syncml::Command& command,
                                      const session::CommandContext& context) {
    batch_server_ = context.server_id;
    session::CommandOutcome out =
        run_top_level(command, tree::Principal::server(context.server_id), context.now);
    ++package_commands_;
    return out;
}

std::vector<session::PackageRefusal> Agent::end_package(base::TimePoint now) {
    auto refused = finish_batch(batch_server_.value_or(options_.default_owner), now);
    package_commands_ = 0;
    return refused;
}

void Agent::end_batch(base::TimePoint now) {
    const base::ServerId owner = std::exchange(batch_server_, std::nullopt).value_or(options_.default_owner);
    (void)finish_batch(owner, now);
    package_commands_ = 0;
}

std::vector<session::CommandOutcome> Agent::run_local(std::span<const syncml::Command> commands,
                                                      const tree::Principal& who, base::TimePoint now) {
    std::vector<session::CommandOutcome> out;
    out.reserve(commands.size());
    for (const auto& c : commands)
        out.push_back(run_top_level(c, who, now));
    (void)finish_batch(owner_of(who), now);
    return out;
}

DeviceWrite Agent::write_device_values(std::span<const DeviceValue> values, Follow follow,
                                       base::TimePoint now) {
    if (values.empty()) return {};
    const tree::Principal who = tree::Principal::bootstrap();
    tree_.begin();
    for (std::size_t i = 0; i < values.size(); ++i) {
        const DeviceValue& v = values[i];
        auto uri = tree::NodeUri::parse(v.uri);
        if (!uri) {
            tree_.rollback();
            return {tree::status_for(uri.error()), i};
        }
        const auto write = [&](std::optional<tree::Format> format) {
            const tree::NodeContent content{format, {}, v.data};
            return tree_.exists(*uri) ? tree_.replace(who, *uri, content, now)
                                      : tree_.add(who, *uri, content, now);
        };
        StatusCode st = write(v.format);
        // A node the DDF types otherwise (date, int): written in the DDF's format.
        if (!base::is_success(st) && v.format) st = write(std::nullopt);
        if (!base::is_success(st)) {
            tree_.rollback();
            return {st, i};
        }
    }
    const std::size_t mark = changes_.size();
    if (const StatusCode st = tree_.commit(); st != StatusCode::Ok) return {st, 0};
    if (follow == Follow::No)
        changes_.erase(changes_.begin() + static_cast<std::ptrdiff_t>(mark), changes_.end());
    drain(now);
    return {};
}

void Agent::on_time(base::TimePoint now) {
    record(call_engine(now, [&] { return engine_.on_timer(now); }));
    drain(now);
}

base::Result<void> Agent::alert_acknowledged(policy::AlertId id) {
    return outbox_.ack(id);
}

void Agent::set_deviations(const Deviations& deviations) {
    deviations_ = deviations;
    host_->set_skip_action_acl(deviations.skip_action_acl);
    engine_.set_deviations(deviations.policy);
}

// --- outputs -------------------------------------------------------------------------------------

std::vector<AgentEvent> Agent::take_events() {
    return std::exchange(events_, {});
}

std::span<const policy::QueuedAlert> Agent::pending_alerts() const noexcept {
    return outbox_.pending();
}

// --- the engine's inputs -------------------------------------------------------------------------

template <class F> policy::Step Agent::call_engine(base::TimePoint now, F&& input) {
    host_now_ = now;
    const std::size_t mark = changes_.size();
    policy::Step step = std::forward<F>(input)();
    // What the engine changed while it ran (actions, State, Results) it follows itself.
    changes_.erase(changes_.begin() + static_cast<std::ptrdiff_t>(mark), changes_.end());
    return step;
}

void Agent::record(policy::Step step) {
    for (auto& e : step.events)
        events_.emplace_back(std::in_place_type<policy::PolicyEvent>, std::move(e));
}

session::CommandOutcome Agent::run_top_level(const syncml::Command& command, const tree::Principal& who,
                                             base::TimePoint now) {
    quiet_.clear();
    session::CommandOutcome out = commands_.run(command, who, now);
    drain(now);
    quiet_.clear();
    std::optional<base::ServerId> server;
    if (const auto* id = who.server_id()) server = *id;
    events_.emplace_back(
        CommandExecuted{std::string(syncml::command_name(command)), out.code, std::move(server)});
    return out;
}

void Agent::drain(base::TimePoint now) {
    while (!changes_.empty() || !deferred_.empty()) {
        if (!changes_.empty()) {
            const std::vector<tree::Change> batch = std::exchange(changes_, {});
            for (const auto& change : batch) {
                if (change.kind == tree::ChangeKind::Deleted) unrestored_.erase(change.uri);
                // A policy installed by the command that wrote it: its subtree is the download itself.
                const bool quiet = std::any_of(quiet_.begin(), quiet_.end(), [&](const tree::NodeUri& q) {
                    return change.uri.is_within(q);
                });
                if (!quiet)
                    record(call_engine(now, [&] { return engine_.on_tree_changed(change.uri, now); }));
            }
            continue;
        }
        DeferredExec next = std::move(deferred_.front());
        deferred_.erase(deferred_.begin());
        StatusCode st = StatusCode::CommandFailed; // a chain of operations longer than a cascade may be
        if (next.depth <= options_.engine.max_cascade_depth) {
            deferred_depth_ = next.depth;
            st = run_operation(next.who, next.target, next.request, now);
            deferred_depth_ = 0;
        }
        events_.emplace_back(DeferredExecDone{next.target.str(), st});
    }
}

std::vector<session::PackageRefusal> Agent::finish_batch(const base::ServerId& owner, base::TimePoint now) {
    quiet_.clear();
    std::vector<session::PackageRefusal> refused;
    const Touched touched = std::exchange(touched_, {});
    for (const auto& uri : uninstalled_policies(touched)) {
        auto [st, reason] = install(uri, owner, now);
        if (base::is_success(st)) continue;
        // Refused: the partial policy is taken out again, as a refused download (the Add rolled back),
        // and the last command that wrote it carries the refusal.
        host_now_ = now;
        (void)host_->remove_internal(uri);
        if (const auto it = touched.policies.find(uri); it != touched.policies.end()) {
            std::string detail = uri.str();
            detail.append(": ").append(reason);
            refused.push_back(session::PackageRefusal{it->second, st, std::move(detail)});
        }
        events_.emplace_back(InvalidPolicyRemoved{uri, st, std::move(reason)});
    }
    drain(now);
    return refused;
}

// --- the policy lifecycle ------------------------------------------------------------------------

void Agent::Touched::note(const tree::NodeUri& root, const tree::Change& change, std::size_t command) {
    const tree::NodeUri& uri = change.uri;
    if (uri.depth() > root.depth() && uri.is_within(root)) {
        policies.insert_or_assign(root / uri.segments()[root.depth()], command);
    } else if (root.is_within(uri)) {
        all = true;
    }
}

std::vector<tree::NodeUri> Agent::uninstalled_policies(const Touched& touched) const {
    std::vector<tree::NodeUri> out;
    const auto wanted = [&](const tree::NodeUri& uri) {
        return engine_.find(uri) == nullptr && !unrestored_.contains(uri);
    };
    if (touched.all) {
        const auto& root = options_.layout.root;
        for (const auto& name : tree_.children(root)) {
            auto uri = root / name;
            if (wanted(uri)) out.push_back(std::move(uri));
        }
        return out;
    }
    // Only what was changed is looked at, so the cost does not grow with the policies held.
    for (const auto& [uri, command] : touched.policies) {
        if (wanted(uri) && tree_.exists(uri)) out.push_back(uri);
    }
    return out;
}

base::ServerId Agent::owner_of(const tree::Principal& who) const {
    if (const auto* id = who.server_id()) return *id;
    return options_.default_owner;
}

void Agent::make_operations_dynamic(const tree::NodeUri& policy_uri) {
    // The DDF marks <x>/Operations Permanent, and nodes the device creates take that scope; but
    // Operations belongs to this dynamic policy instance, so a Delete of <x> must take it along.
    const auto& l = options_.layout;
    std::vector<tree::NodeUri> nodes{l.operation_uri(policy_uri, true), l.operation_uri(policy_uri, false)};
    if (!l.operations.empty()) nodes.push_back(policy_uri / l.operations);
    for (const auto& uri : nodes) {
        if (tree_.exists(uri)) (void)tree_.set_scope(uri, tree::Scope::Dynamic);
    }
}

std::pair<StatusCode, std::string> Agent::install(const tree::NodeUri& policy_uri,
                                                  const base::ServerId& owner, base::TimePoint now) {
    const auto& l = options_.layout;
    policy::Step step = call_engine(now, [&] {
        // The Exec targets are the device's: created with the policy when the server did not send them.
        for (const bool activate : {true, false}) {
            const auto uri = l.operation_uri(policy_uri, activate);
            if (!host_->get(uri)) (void)host_->set_internal(uri, policy::NodeValue{"", tree::Format::Node});
        }
        make_operations_dynamic(policy_uri);
        return engine_.download(policy_uri, owner, now);
    });
    std::pair<StatusCode, std::string> out{step.status, step.reason};
    record(std::move(step));
    return out;
}

StatusCode Agent::install_created(const tree::Principal& who, base::TimePoint now) {
    // What the transaction about to commit changed (the observer sees it only after the commit).
    Touched pending;
    for (const auto& change : tree_.pending_changes())
        pending.note(options_.layout.root, change, package_commands_);
    for (const auto& uri : uninstalled_policies(pending)) {
        const StatusCode st = install(uri, owner_of(who), now).first;
        if (!base::is_success(st)) {
            resync(now);
            return st;
        }
        quiet_.insert(uri);
    }
    return StatusCode::Ok;
}

void Agent::resync(base::TimePoint now) {
    // After a rollback the engine drops what no longer exists.
    quiet_.clear();
    record(call_engine(now, [&] { return engine_.on_tree_changed(options_.layout.root, now); }));
}

StatusCode Agent::may_write(const tree::NodeUri& target, const tree::Principal& who, base::TimePoint now) {
    const auto* server = who.server_id();
    if (server == nullptr) return StatusCode::Ok; // the device itself
    const auto& root = options_.layout.root;
    std::vector<tree::NodeUri> touched; // the policies the write would change
    if (target.depth() > root.depth() && target.is_within(root)) {
        touched.push_back(root / target.segments()[root.depth()]);
    } else if (root.is_within(target)) {
        for (const auto& name : tree_.children(root))
            touched.push_back(root / name);
    }
    for (const auto& p : touched) {
        if (engine_.find(p) != nullptr && !engine_.may_manage(p, *server)) {
            if (deviations_.ignore_policy_owner) {
                events_.emplace_back(DeviationApplied{"ignore_policy_owner", target.str()});
                continue;
            }
            events_.emplace_back(OwnershipRefused{"server " + server->value() + " may not change " + p.str() +
                                                  ", which another server owns"});
            return StatusCode::PermissionDenied;
        }
    }
    // The Replace of Version makes an update take effect: an update the policy cannot take is
    // refused at that command (the old version stays in force and in the tree).
    if (touched.size() == 1 && target == touched.front() / options_.layout.version) {
        policy::Step step = call_engine(now, [&] { return engine_.check_update(touched.front()); });
        const StatusCode st = step.status;
        record(std::move(step));
        return st;
    }
    return StatusCode::Ok;
}

bool Agent::is_operation(const tree::NodeUri& target) const {
    const auto& l = options_.layout;
    if (target.depth() < 2 || (target.name() != l.activate && target.name() != l.deactivate)) return false;
    const auto policy_uri = policy_of_operation(target);
    return policy_uri && policy_uri->depth() > 0 && policy_uri->parent() == l.root;
}

std::optional<tree::NodeUri> Agent::policy_of_operation(const tree::NodeUri& target) const {
    const auto& l = options_.layout;
    const tree::NodeUri parent = target.parent();
    if (l.operations.empty()) return parent;
    if (parent.depth() == 0 || parent.name() != l.operations) return std::nullopt;
    return parent.parent();
}

StatusCode Agent::run_operation(const tree::Principal& who, const tree::NodeUri& target,
                                const tree::ExecRequest& request, base::TimePoint now) {
    const bool activate = target.name() == options_.layout.activate;
    const base::ServerId server = owner_of(who);
    const tree::NodeUri policy_uri = policy_of_operation(target).value_or(target.parent());
    if (engine_.find(policy_uri) == nullptr) {
        const StatusCode st = install(policy_uri, server, now).first;
        if (!base::is_success(st)) return st;
    }
    if (!activate && deviations_.ignore_deactivate) {
        events_.emplace_back(DeviationApplied{"ignore_deactivate", target.str()});
        return StatusCode::Ok;
    }
    if (activate && deviations_.ignore_activate && engine_.may_manage(policy_uri, server)) {
        events_.emplace_back(DeviationApplied{"ignore_activate", target.str()});
        return StatusCode::Ok;
    }
    std::optional<std::string> correlator;
    if (!request.correlator.empty()) correlator = request.correlator;
    policy::Step step = call_engine(now, [&] { return engine_.exec(target, server, correlator, now); });
    const StatusCode st = step.status;
    std::string reason = step.reason;
    record(std::move(step));
    if (st == StatusCode::PermissionDenied) events_.emplace_back(OwnershipRefused{std::move(reason)});
    return st;
}

} // namespace omadm::agent
