// PolicyEngine: monitoring (evaluation on changes, edge detection, cascades) and what a firing
// leaves behind (Results nodes, alerts).
#include "omadm/policy/policy_engine.hpp"
#include "result_access.hpp"

#include <algorithm>
#include <memory>
#include <tuple>

namespace omadm::policy {

namespace {

/// The value of a condition's node; a condition whose URI names no node reads a missing one.
std::optional<NodeValue> read_node(PolicyHost& host, const std::optional<tree::NodeUri>& node) {
    return node ? host.get(*node) : std::nullopt;
}

} // namespace

void PolicyEngine::watch(const Installed& p) {
    if (!p.policy.spec.trigger.on_change()) return;
    for (const auto& node : p.policy.condition_nodes) {
        if (node) index_.watch(*node, p.policy.uri);
    }
}

void PolicyEngine::unwatch(const Installed& p) {
    for (const auto& node : p.policy.condition_nodes) {
        if (node) index_.unwatch(*node, p.policy.uri);
    }
}

void PolicyEngine::baseline(Installed& p) {
    const auto& nodes = p.policy.condition_nodes;
    for (std::size_t i = 0; i < nodes.size(); ++i)
        p.last_values[i] = read_node(host_, nodes[i]);
}

bool PolicyEngine::evaluate_condition(const SimpleCondition& c, const std::optional<NodeValue>& current,
                                      const std::optional<NodeValue>& previous, Step& step) const {
    const bool right = policy::evaluate(c, current, previous, options_.extensions);
    const auto& d = options_.config.deviations;
    bool value = right;
    Deviations boundary;
    boundary.boundary_off_by_one = true;
    Deviations lexical;
    lexical.lexical_int_compare = true;
    for (const auto& [on, name, only] : {std::tuple{d.boundary_off_by_one, "boundary_off_by_one", boundary},
                                         std::tuple{d.lexical_int_compare, "lexical_int_compare", lexical}}) {
        if (!on || policy::evaluate(c, current, previous, options_.extensions, only) == right) continue;
        value = !right;
        deviated(name, c.uri, step);
    }
    return value;
}

bool PolicyEngine::combine(const CompiledPolicy& p, std::span<const bool> values) const {
    const auto& d = options_.config.deviations;
    if (d.ignore_expression) return std::all_of(values.begin(), values.end(), [](bool v) { return v; });
    return p.expression.evaluate(values, d.not_as_identity ? Negation::Identity : Negation::Invert);
}

bool PolicyEngine::evaluate(Installed& p, Step& step) {
    const auto& conditions = p.policy.spec.conditions;
    const auto values = std::make_unique<bool[]>(conditions.size() + 1);
    bool any_change = false;
    for (std::size_t i = 0; i < conditions.size(); ++i) {
        auto current = read_node(host_, p.policy.condition_nodes[i]);
        values[i] = evaluate_condition(conditions[i], current, p.last_values[i], step);
        any_change = any_change || (values[i] && conditions[i].op == Operator::Changed);
        p.last_values[i] = std::move(current);
    }
    const std::span<const bool> all(values.get(), conditions.size());
    const bool holds = combine(p.policy, all);
    if (holds != p.policy.expression.evaluate(all)) {
        deviated(options_.config.deviations.ignore_expression ? "ignore_expression" : "not_as_identity",
                 p.policy.uri.str(), step);
    }
    p.momentary = false;
    if (holds && any_change) {
        for (std::size_t i = 0; i < conditions.size(); ++i) {
            if (conditions[i].op == Operator::Changed) values[i] = false;
        }
        p.momentary = !combine(p.policy, all);
    }
    return holds;
}

void PolicyEngine::cascade(Cascade& c, std::vector<Pending> queue, base::TimePoint now, Step& step) {
    for (std::size_t i = 0; i < queue.size() && !c.stopped; ++i) {
        const Pending item = queue[i]; // copy: firing appends to queue
        std::vector<tree::NodeUri> firing;
        for (auto& uri : index_.affected(item.uri)) {
            auto* p = armed(uri);
            if (p == nullptr || p->state != PolicyState::Active || !p->policy.spec.trigger.in_window(now))
                continue;
            const bool holds = evaluate(*p, step);
            if (holds && !p->last_result) firing.push_back(std::move(uri));
            note_holds(*p, holds, step);
        }
        fire_all(firing, FireCause::Change, item.depth, now, c, queue, step);
    }
}

void PolicyEngine::fire_all(const std::vector<tree::NodeUri>& uris, FireCause cause, std::uint32_t depth,
                            base::TimePoint now, Cascade& c, std::vector<Pending>& queue, Step& step) {
    std::vector<Installed*> ps;
    for (const auto& u : uris) {
        if (auto* p = armed(u)) ps.push_back(p);
    }
    // Several policies fired by one change run by Priority, higher first (URI breaks ties).
    std::sort(ps.begin(), ps.end(), [](const Installed* a, const Installed* b) {
        if (a->policy.spec.priority != b->policy.spec.priority)
            return a->policy.spec.priority > b->policy.spec.priority;
        return a->policy.uri < b->policy.uri;
    });
    for (auto* p : ps) {
        if (c.stopped) return;
        if (depth > options_.config.max_cascade_depth || c.fired.contains(p->policy.uri)) {
            const auto reason = c.fired.contains(p->policy.uri) ? LoopDetected::Reason::Repeat
                                                                : LoopDetected::Reason::DepthLimit;
            c.chain.push_back(p->policy.uri);
            report_loop(*p, LoopDetected{p->policy.uri, reason, depth, c.chain}, now, step);
            c.stopped = true;
            return;
        }
        c.fired.insert(p->policy.uri);
        c.chain.push_back(p->policy.uri);
        fire(*p, cause, depth, now, queue, step);
    }
}

void PolicyEngine::fire(Installed& p, FireCause cause, std::uint32_t depth, base::TimePoint now,
                        std::vector<Pending>& queue, Step& step) {
    const auto& d = options_.config.deviations;
    step.events.emplace_back(PolicyFired{p.policy.uri, cause, depth, now});
    if (p.removed) deviated("keep_removed_armed", p.policy.uri.str(), step);
    auto report = run_actions(p.policy.spec, host_, p.owner, options_.layout, options_.extensions, d);
    for (const auto& name : report.deviations)
        deviated(name, p.policy.uri.str(), step);
    if (d.success_on_failure && !is_success(report.result)) {
        report.result = ResultCode::Successful;
        deviated("success_on_failure", p.policy.uri.str(), step);
    }
    step.events.emplace_back(ActionsCompleted{p.policy.uri, report.result, report.actions});
    for (auto& uri : report.changed)
        queue.push_back(Pending{std::move(uri), depth + 1});
    if (p.removed) return; // no node is left for Results, and no alert names a removed policy
    const auto detail = report.detail();
    if (d.stale_results) {
        deviated("stale_results", p.policy.uri.str(), step);
    } else {
        write_results(p, report.result, detail, now, step);
    }
    if (p.policy.spec.notify) queue_alert(p, AlertEvent::ActionResult, report.result, detail, step);
}

void PolicyEngine::report_loop(Installed& p, LoopDetected loop, base::TimePoint now, Step& step) {
    std::string detail = loop.reason == LoopDetected::Reason::Repeat ? "fired again in one cascade:"
                                                                     : "cascade depth limit reached:";
    for (const auto& u : loop.chain)
        detail += " " + u.str();
    step.events.emplace_back(std::move(loop));
    if (p.removed) return; // kept armed after removal (Deviations::keep_removed_armed): no node left
    write_results(p, ResultCode::LoopDetected, detail, now, step);
    if (p.policy.spec.notify)
        queue_alert(p, AlertEvent::LoopDetected, ResultCode::LoopDetected, detail, step);
}

void PolicyEngine::write_results(Installed& p, ResultCode result, const std::string& detail,
                                 base::TimePoint now, Step& step) {
    const auto& l = options_.layout;
    ++p.run_count;
    ++p.log_seq;
    const auto results = p.policy.uri / l.results;
    const auto log = results / l.log;
    const auto entry = log / std::to_string(p.log_seq);
    const auto stamp = base::format_tstamp(now);
    const auto code = std::to_string(to_int(result));
    const std::pair<tree::NodeUri, NodeValue> writes[] = {
        {results / l.last_status, {code, tree::Format::Int}},
        {results / l.last_run, {stamp, tree::Format::Chr}},
        {results / l.run_count, {std::to_string(p.run_count), tree::Format::Int}},
        {entry / l.log_time, {stamp, tree::Format::Chr}},
        {entry / l.log_status, {code, tree::Format::Int}},
        {entry / l.log_detail, {detail, tree::Format::Chr}},
    };
    for (const auto& [uri, value] : writes) {
        if (!base::is_success(host_.set_internal(uri, value))) {
            step.events.emplace_back(DeviceFault{p.policy.uri, "cannot write " + uri.str()});
        }
    }
    if (p.log_seq > options_.config.log_capacity) {
        const auto oldest = log / std::to_string(p.log_seq - options_.config.log_capacity);
        if (!base::is_success(host_.remove_internal(oldest))) {
            step.events.emplace_back(DeviceFault{p.policy.uri, "cannot drop " + oldest.str()});
        }
    }
}

void PolicyEngine::queue_alert(Installed& p, AlertEvent event, ResultCode result, std::string detail,
                               Step& step) {
    const auto& d = options_.config.deviations;
    AlertPayload payload{result, p.policy.spec.id, p.policy.spec.version, std::move(detail)};
    auto correlator = std::exchange(p.correlator, std::nullopt);
    if (d.drop_correlator && correlator) {
        correlator.reset();
        deviated("drop_correlator", p.policy.uri.str(), step);
    }
    // The alert's Source is the policy's URI as sent on the wire.
    std::string source = p.policy.uri.str();
    if (d.wrong_alert_source) {
        source = options_.layout.root.str(); // the MO, not the policy that ran
        deviated("wrong_alert_source", p.policy.uri.str(), step);
    }
    auto alert = make_alert(options_.layout.alert_type_prefix, event, std::move(source), payload,
                            std::move(correlator));
    auto id = outbox_.enqueue(std::move(alert), std::move(payload), p.owner);
    if (!id) {
        step.events.emplace_back(DeviceFault{p.policy.uri, id.error().detail});
        return;
    }
    step.events.emplace_back(AlertQueued{detail::value_of(id), p.policy.uri});
}

void PolicyEngine::write_state(Installed& p, PolicyState to, Step& step) {
    const auto from = p.state;
    p.state = to;
    const auto uri = p.policy.uri / options_.layout.state;
    const NodeValue value{options_.layout.values.state.encode(std::to_string(static_cast<std::int32_t>(to))),
                          tree::Format::Int};
    if (!base::is_success(host_.set_internal(uri, value))) {
        step.events.emplace_back(DeviceFault{p.policy.uri, "cannot write " + uri.str()});
    }
    if (from != to) step.events.emplace_back(StateChanged{p.policy.uri, from, to});
}

void PolicyEngine::note_holds(Installed& p, bool evaluated, Step& step) {
    const bool holds = evaluated && !p.momentary; // what the policy rests at after this evaluation
    const bool changed = !p.holds_written || p.last_result != holds;
    p.last_result = holds;
    if (!changed || p.removed) return;
    const auto uri = p.policy.uri / options_.layout.holds;
    p.holds_written =
        base::is_success(host_.set_internal(uri, NodeValue{holds ? "true" : "false", tree::Format::Bool}));
    if (!p.holds_written) step.events.emplace_back(DeviceFault{p.policy.uri, "cannot write " + uri.str()});
}

} // namespace omadm::policy
