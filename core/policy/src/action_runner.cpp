#include "omadm/policy/action_runner.hpp"

#include <algorithm>
#include <cstddef>

namespace omadm::policy {
namespace {

using base::StatusCode;

struct Expanded {
    std::size_t action; // index in spec.actions
    LocalCommand command;
};

/// A status an Atomic member gets because another member failed.
bool collateral(StatusCode s) {
    return s == StatusCode::AtomicRollbackOk || s == StatusCode::NotExecuted;
}

bool modifies(CommandKind k) {
    return k == CommandKind::Add || k == CommandKind::Replace || k == CommandKind::Delete ||
           k == CommandKind::Copy;
}

LocalCommand to_command(const SimpleAction& a, std::string_view placeholder, std::string_view binding) {
    LocalCommand c;
    c.kind = a.command.value_or(CommandKind::Exec);
    c.target = expand_binding(a.target, placeholder, binding);
    c.source = expand_binding(a.source, placeholder, binding);
    c.data = expand_binding(a.data, placeholder, binding);
    c.format = a.format;
    c.type = a.type;
    return c;
}

std::vector<Expanded> expand(const PolicySpec& spec, const PolicyLayout& layout) {
    std::vector<Expanded> out;
    for (std::size_t i = 0; i < spec.actions.size(); ++i) {
        const auto& a = spec.actions[i];
        const bool bound = a.target.find(layout.binding_placeholder) != std::string::npos ||
                           a.source.find(layout.binding_placeholder) != std::string::npos ||
                           a.data.find(layout.binding_placeholder) != std::string::npos;
        if (!bound) {
            out.push_back({i, to_command(a, layout.binding_placeholder, "")});
            continue;
        }
        for (const auto& b : spec.bindings)
            out.push_back({i, to_command(a, layout.binding_placeholder, b)});
    }
    return out;
}

void note(ActionReport& r, const LocalCommand& c, const ActionOutcome& o) {
    std::string part;
    if (o.value) part = c.target + "=" + o.value->data;
    if (!base::is_success(o.status) || collateral(o.status)) {
        part = c.target + ": " + std::to_string(base::to_int(o.status)) +
               (o.detail.empty() ? "" : " " + o.detail);
    }
    if (part.empty()) return;
    r.detail += (r.detail.empty() ? "" : ", ") + part;
}

CompoundReport run_sequence(const PolicySpec& spec, PolicyHost& host, const base::ServerId& owner,
                            const std::vector<Expanded>& commands, const ExtensionRegistry& extensions) {
    CompoundReport out;
    for (const auto& a : spec.actions)
        out.actions.push_back({a.name, StatusCode::NotExecuted, {}});
    std::vector<bool> started(spec.actions.size(), false);
    for (std::size_t i = 0; i < commands.size(); ++i) {
        const auto& e = commands[i];
        auto& report = out.actions[e.action];
        if (!started[e.action]) report.status = StatusCode::Ok;
        started[e.action] = true;
        const auto& action = spec.actions[e.action];
        ActionOutcome o;
        if (action.command) {
            o = host.execute(e.command, owner);
        } else {
            const auto* fn = extensions.find_action_kind(action.extension_kind);
            o = fn != nullptr ? (*fn)(ExtensionActionContext{e.command.target, e.command.data, host, owner})
                              : ActionOutcome{StatusCode::CommandNotImplemented, {}, "kind not registered"};
        }
        note(report, e.command, o);
        if (!base::is_success(o.status)) {
            report.status = o.status;
            out.result = result_for_status(o.status);
            // What the failure stopped is reported too, one bound MO at a time (215).
            for (std::size_t j = i + 1; j < commands.size(); ++j) {
                note(out.actions[commands[j].action], commands[j].command,
                     ActionOutcome{StatusCode::NotExecuted, {}, {}});
            }
            return out;
        }
        if (modifies(e.command.kind) || !action.command) out.changed.push_back(e.command.target);
    }
    return out;
}

CompoundReport run_atomic(const PolicySpec& spec, PolicyHost& host, const base::ServerId& owner,
                          const std::vector<Expanded>& commands) {
    CompoundReport out;
    for (const auto& a : spec.actions)
        out.actions.push_back({a.name, StatusCode::Ok, {}});
    std::vector<LocalCommand> batch;
    batch.reserve(commands.size());
    for (const auto& e : commands)
        batch.push_back(e.command);
    const auto outcome = host.execute_atomic(batch, owner);
    for (std::size_t i = 0; i < commands.size(); ++i) {
        auto& report = out.actions[commands[i].action];
        const auto o = i < outcome.items.size() ? outcome.items[i] : ActionOutcome{outcome.status, {}, {}};
        note(report, commands[i].command, o);
        // The action's fate: the error of one of its commands (one bound MO) over the 216 (rolled
        // back) and 215 (not run) that the others got because of it.
        if (o.status != StatusCode::Ok &&
            (report.status == StatusCode::Ok || (collateral(report.status) && !collateral(o.status)))) {
            report.status = o.status;
        }
    }
    if (!base::is_success(outcome.status)) {
        out.result = outcome.status == StatusCode::AtomicRollbackFailed ? ResultCode::DeviceError
                                                                        : ResultCode::AtomicRolledBack;
        return out;
    }
    for (const auto& c : batch) {
        if (modifies(c.kind)) out.changed.push_back(c.target);
    }
    return out;
}

} // namespace

std::string CompoundReport::detail() const {
    std::string out;
    for (const auto& a : actions) {
        if (!out.empty()) out += "; ";
        out += a.action + "=" + std::to_string(base::to_int(a.status));
        if (!a.detail.empty()) out += " (" + a.detail + ")";
    }
    return out;
}

std::string expand_binding(std::string_view text, std::string_view placeholder, std::string_view binding) {
    std::string out;
    std::size_t pos = 0;
    while (true) {
        const auto hit = placeholder.empty() ? std::string_view::npos : text.find(placeholder, pos);
        if (hit == std::string_view::npos) break;
        out.append(text.substr(pos, hit - pos));
        out.append(binding);
        pos = hit + placeholder.size();
    }
    out.append(text.substr(pos));
    return out;
}

CompoundReport run_actions(const PolicySpec& spec, PolicyHost& host, const base::ServerId& owner,
                           const PolicyLayout& layout, const ExtensionRegistry& extensions,
                           const Deviations& deviations) {
    auto commands = expand(spec, layout);
    const bool reversed = deviations.reverse_action_order && commands.size() > 1;
    if (reversed) std::reverse(commands.begin(), commands.end());
    CompoundReport out;
    if (spec.mode == ActionMode::Atomic && deviations.atomic_without_rollback) {
        // Each action runs on its own: what ran before a failure stays, yet the result claims a rollback.
        out = run_sequence(spec, host, owner, commands, extensions);
        if (!is_success(out.result)) {
            out.result = ResultCode::AtomicRolledBack;
            out.deviations.emplace_back("atomic_without_rollback");
        }
    } else {
        out = spec.mode == ActionMode::Atomic ? run_atomic(spec, host, owner, commands)
                                              : run_sequence(spec, host, owner, commands, extensions);
    }
    if (reversed) out.deviations.emplace_back("reverse_action_order");
    return out;
}

} // namespace omadm::policy
