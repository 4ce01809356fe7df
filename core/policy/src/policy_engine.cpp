// PolicyEngine: lifecycle inputs (download, update, Exec on Operations, removal) and timers.
#include "omadm/policy/policy_engine.hpp"

#include "omadm/policy/errc.hpp"
#include "result_access.hpp"

#include <algorithm>
#include <utility>

namespace omadm::policy {

using base::StatusCode;

namespace {

Step failed(StatusCode status, std::string reason) {
    Step s;
    s.status = status;
    s.reason = std::move(reason);
    return s;
}

void append(Step& into, Step&& from) {
    for (auto& e : from.events)
        into.events.push_back(std::move(e));
    if (!base::is_success(from.status) || into.reason.empty()) {
        into.status = from.status;
        into.reason = std::move(from.reason);
    }
}

} // namespace

PolicyEngine::PolicyEngine(PolicyHost& host, Outbox& outbox, EngineOptions options)
    : host_(host), outbox_(outbox), options_(std::move(options)) {}

std::optional<tree::NodeUri> PolicyEngine::policy_of(const tree::NodeUri& uri) const {
    const auto& root = options_.layout.root;
    if (uri.depth() <= root.depth() || !uri.is_within(root)) return std::nullopt;
    return root / uri.segments()[root.depth()];
}

PolicyEngine::Installed* PolicyEngine::installed(const tree::NodeUri& policy_uri) {
    const auto it = policies_.find(policy_uri);
    return it == policies_.end() ? nullptr : &it->second;
}

PolicyEngine::Installed* PolicyEngine::armed(const tree::NodeUri& policy_uri) {
    if (auto* p = installed(policy_uri)) return p;
    const auto it = removed_armed_.find(policy_uri);
    return it == removed_armed_.end() ? nullptr : &it->second;
}

void PolicyEngine::deviated(std::string_view deviation, std::string target, Step& step) const {
    step.events.emplace_back(DeviationApplied{std::string(deviation), std::move(target)});
}

base::Result<CompiledPolicy> PolicyEngine::read_download(const tree::NodeUri& policy_uri, Step& step) {
    auto read = read_policy(host_, options_.layout, options_.extensions, policy_uri);
    if (read || !options_.config.deviations.accept_invalid_policy) return read;
    auto lenient = read_policy(host_, options_.layout, options_.extensions, policy_uri, Validation::Lenient);
    if (!lenient) return read;
    deviated("accept_invalid_policy", policy_uri.str(), step);
    return lenient;
}

Step PolicyEngine::download(const tree::NodeUri& policy_uri, const base::ServerId& owner,
                            base::TimePoint now) {
    (void)now;
    if (installed(policy_uri) != nullptr) {
        return failed(StatusCode::AlreadyExists, "a policy is already installed at " + policy_uri.str());
    }
    Step s;
    auto read = read_download(policy_uri, s);
    if (!read) {
        const auto code = static_cast<Errc>(read.error().code.value());
        s = failed(status_for(code), read.error().detail);
        s.events.emplace_back(PolicyRejected{policy_uri, code, read.error().detail});
        return s;
    }
    if (const auto ghost = removed_armed_.find(policy_uri); ghost != removed_armed_.end()) {
        unwatch(ghost->second);
        removed_armed_.erase(ghost);
    }
    Installed p;
    p.policy = std::move(detail::value_of(read));
    p.owner = owner;
    p.last_values.resize(p.policy.spec.conditions.size());
    auto [it, inserted] = policies_.emplace(policy_uri, std::move(p));
    s.events.emplace_back(PolicyInstalled{it->first, it->second.policy.spec.version});
    write_state(it->second, PolicyState::Inactive, s);
    const auto owner_uri = it->first / options_.layout.owner;
    if (!base::is_success(host_.set_internal(owner_uri, NodeValue{owner.value(), tree::Format::Chr}))) {
        s.events.emplace_back(DeviceFault{it->first, "cannot write " + owner_uri.str()});
    }
    const auto count = it->first / options_.layout.results / options_.layout.run_count;
    if (!base::is_success(host_.set_internal(count, NodeValue{"0", tree::Format::Int}))) {
        s.events.emplace_back(DeviceFault{it->first, "cannot initialise " + count.str()});
    }
    return s;
}

Step PolicyEngine::check_update(const tree::NodeUri& policy_uri) {
    auto* p = installed(policy_uri);
    if (p == nullptr) return {};
    auto read = read_policy(host_, options_.layout, options_.extensions, policy_uri);
    if (read) return {};
    const auto code = static_cast<Errc>(read.error().code.value());
    Step s = failed(status_for(code),
                    read.error().detail + "; version " + p->policy.spec.version + " stays in force");
    s.events.emplace_back(PolicyRejected{policy_uri, code, s.reason});
    return s;
}

Step PolicyEngine::update(const tree::NodeUri& policy_uri, base::TimePoint now) {
    auto* p = installed(policy_uri);
    if (p == nullptr) return failed(StatusCode::NotFound, "no policy installed at " + policy_uri.str());
    auto read = read_policy(host_, options_.layout, options_.extensions, policy_uri);
    if (!read) {
        const auto code = static_cast<Errc>(read.error().code.value());
        Step s = failed(status_for(code),
                        read.error().detail + "; version " + p->policy.spec.version + " stays in force");
        s.events.emplace_back(PolicyRejected{policy_uri, code, s.reason});
        return s;
    }
    // Swap in one step: the old version evaluates until here, the new one from here on.
    const bool active = p->state == PolicyState::Active;
    if (active) unwatch(*p);
    unschedule(*p);
    Step s;
    CompiledPolicy next = std::move(detail::value_of(read));
    if (options_.config.deviations.keep_old_conditions &&
        (next.spec.conditions != p->policy.spec.conditions ||
         next.spec.expression != p->policy.spec.expression)) {
        next.spec.conditions = p->policy.spec.conditions;
        next.spec.expression = p->policy.spec.expression;
        next.expression = p->policy.expression;
        next.condition_nodes = p->policy.condition_nodes;
        deviated("keep_old_conditions", policy_uri.str(), s);
    }
    p->policy = std::move(next);
    p->last_values.assign(p->policy.spec.conditions.size(), std::nullopt);
    p->next_tick.reset();
    if (active) {
        baseline(*p);
        note_holds(*p, evaluate(*p, s), s); // the new version fires on its next edge, not on the swap
        watch(*p);
        schedule(*p, now);
    }
    s.events.emplace_back(PolicyInstalled{policy_uri, p->policy.spec.version});
    return s;
}

Step PolicyEngine::exec(const tree::NodeUri& target_uri, const base::ServerId& server,
                        std::optional<std::string> correlator, base::TimePoint now) {
    const auto policy_uri = policy_of(target_uri);
    auto* p = policy_uri ? installed(*policy_uri) : nullptr;
    if (p == nullptr) return failed(StatusCode::NotFound, "no policy for " + target_uri.str());
    const bool is_activate = target_uri == options_.layout.operation_uri(*policy_uri, true);
    const bool is_deactivate = target_uri == options_.layout.operation_uri(*policy_uri, false);
    if (!is_activate && !is_deactivate) {
        return failed(StatusCode::CommandNotAllowed, target_uri.str() + " is not an Exec target");
    }
    if (!may_manage(*policy_uri, server)) {
        return failed(StatusCode::PermissionDenied, server.value() + " does not own " + policy_uri->str());
    }
    if (is_activate) return activate(*p, std::move(correlator), now);
    return deactivate(*p);
}

Step PolicyEngine::activate(Installed& p, std::optional<std::string> correlator, base::TimePoint now) {
    if (p.state == PolicyState::Active) {
        return failed(StatusCode::CommandNotAllowed, p.policy.uri.str() + " is already active");
    }
    Step s;
    write_state(p, PolicyState::Active, s);
    p.correlator = std::move(correlator);
    baseline(p);
    watch(p);
    p.next_tick.reset();
    schedule(p, now);
    const auto& trigger = p.policy.spec.trigger;
    const bool evaluated = trigger.on_change() && trigger.in_window(now);
    const bool holds = evaluated && evaluate(p, s);
    note_holds(p, holds, s);
    if (evaluated) {
        Cascade c;
        std::vector<Pending> queue;
        if (holds) fire_all({p.policy.uri}, FireCause::Activation, 0, now, c, queue, s);
        cascade(c, std::move(queue), now, s);
    }
    return s;
}

Step PolicyEngine::deactivate(Installed& p) {
    if (p.state == PolicyState::Inactive) {
        return failed(StatusCode::CommandNotAllowed, p.policy.uri.str() + " is not active");
    }
    Step s;
    unwatch(p);
    unschedule(p);
    write_state(p, PolicyState::Inactive, s);
    return s;
}

Step PolicyEngine::remove(const tree::NodeUri& policy_uri) {
    auto* p = installed(policy_uri);
    if (p == nullptr) return failed(StatusCode::NotFound, "no policy installed at " + policy_uri.str());
    unschedule(*p);
    const auto it = policies_.find(policy_uri);
    Step s;
    if (p->state == PolicyState::Active && options_.config.deviations.keep_removed_armed) {
        // Its watches stay: it goes on firing its actions, with no node left to write Results to.
        it->second.removed = true;
        removed_armed_.insert_or_assign(it->first, std::move(it->second));
        deviated("keep_removed_armed", policy_uri.str(), s);
    } else if (p->state == PolicyState::Active) {
        unwatch(*p);
    }
    s.events.emplace_back(PolicyRemoved{policy_uri});
    policies_.erase(it);
    return s;
}

Step PolicyEngine::lifecycle_change(const tree::NodeUri& uri, base::TimePoint now) {
    Step s;
    const auto& root = options_.layout.root;
    if (root.is_within(uri)) {
        // The MO root (or an ancestor) changed: drop every policy whose node is gone.
        std::vector<tree::NodeUri> gone;
        for (const auto& [u, p] : policies_) {
            if (!host_.get(u)) gone.push_back(u);
        }
        for (const auto& u : gone)
            append(s, remove(u));
        return s;
    }
    const auto policy_uri = policy_of(uri);
    if (!policy_uri || installed(*policy_uri) == nullptr) return s;
    if (!host_.get(*policy_uri)) return remove(*policy_uri);
    if (uri == *policy_uri / options_.layout.version) return update(*policy_uri, now);
    return s;
}

Step PolicyEngine::on_tree_changed(const tree::NodeUri& uri, base::TimePoint now) {
    Step s = lifecycle_change(uri, now);
    Cascade c;
    cascade(c, {Pending{uri, 0}}, now, s);
    return s;
}

Step PolicyEngine::on_timer(base::TimePoint now) {
    Step s;
    std::vector<tree::NodeUri> periodic;
    std::vector<tree::NodeUri> opened;
    while (!timers_.empty() && timers_.begin()->first <= now) {
        const auto [due, uri] = *timers_.begin();
        auto* p = installed(uri);
        timers_.erase(timers_.begin());
        if (p == nullptr) continue;
        p->due.reset();
        const auto& t = p->policy.spec.trigger;
        if (t.on_change() && t.valid_from && *t.valid_from == due && t.in_window(now)) {
            const bool holds = evaluate(*p, s);
            if (holds && !p->last_result) opened.push_back(uri);
            note_holds(*p, holds, s);
        }
        if (t.periodic() && p->next_tick && *p->next_tick <= now) {
            const auto behind = (now - *p->next_tick) / t.period;
            *p->next_tick += t.period * (behind + 1); // missed ticks are skipped, not replayed
            if (t.in_window(now)) {
                const bool holds = evaluate(*p, s);
                note_holds(*p, holds, s);
                if (holds) periodic.push_back(uri);
            }
        }
        schedule(*p, now);
    }
    Cascade c;
    std::vector<Pending> queue;
    fire_all(opened, FireCause::WindowOpened, 0, now, c, queue, s);
    fire_all(periodic, FireCause::Periodic, 0, now, c, queue, s);
    cascade(c, std::move(queue), now, s);
    return s;
}

std::optional<base::TimePoint> PolicyEngine::next_deadline() const {
    if (timers_.empty()) return std::nullopt;
    return timers_.begin()->first;
}

void PolicyEngine::schedule(Installed& p, base::TimePoint now) {
    unschedule(p);
    if (p.state != PolicyState::Active) return;
    const auto& t = p.policy.spec.trigger;
    std::optional<base::TimePoint> due;
    if (t.periodic()) {
        if (!p.next_tick) p.next_tick = now + std::chrono::duration_cast<base::Duration>(t.period);
        due = p.next_tick;
    }
    if (t.on_change() && t.valid_from && now < *t.valid_from)
        due = due ? std::min(*due, *t.valid_from) : *t.valid_from;
    if (!due) return;
    p.due = due;
    timers_.emplace(*due, p.policy.uri);
}

void PolicyEngine::unschedule(Installed& p) {
    if (p.due) timers_.erase({*p.due, p.policy.uri});
    p.due.reset();
}

bool PolicyEngine::may_manage(const tree::NodeUri& policy_uri, const base::ServerId& server) const {
    const auto it = policies_.find(policy_uri);
    return it != policies_.end() && it->second.owner == server;
}

std::optional<PolicyState> PolicyEngine::state(const tree::NodeUri& policy_uri) const {
    const auto it = policies_.find(policy_uri);
    if (it == policies_.end()) return std::nullopt;
    return it->second.state;
}

const CompiledPolicy* PolicyEngine::find(const tree::NodeUri& policy_uri) const {
    const auto it = policies_.find(policy_uri);
    return it == policies_.end() ? nullptr : &it->second.policy;
}

} // namespace omadm::policy
