#include "omadm/policy/action_runner.hpp"

#include "result_access.hpp"

#include <algorithm>
#include <cstddef>
#include <type_traits>
#include <utility>
#include <variant>

namespace omadm::policy {
namespace {

using base::StatusCode;

struct Expanded {
    std::size_t action; // index in spec.actions
    syncml::Command command;
};

/// A status an Atomic member gets because another member failed.
bool collateral(StatusCode s) {
    return s == StatusCode::AtomicRollbackOk || s == StatusCode::NotExecuted;
}

bool modifies(const syncml::Command& c) {
    return std::holds_alternative<syncml::Add>(c.variant()) ||
           std::holds_alternative<syncml::Replace>(c.variant()) ||
           std::holds_alternative<syncml::Delete>(c.variant()) ||
           std::holds_alternative<syncml::Copy>(c.variant());
}

template <class C> syncml::Command with_item(syncml::Item item) {
    C c;
    c.items.push_back(std::move(item));
    return c;
}

/// The DM command of a simple action for one binding (an extension kind: the Exec it stands in
/// for, never sent to the host).
syncml::Command to_command(const SimpleAction& a, std::string_view placeholder, std::string_view binding) {
    const CommandKind kind = a.command.value_or(CommandKind::Exec);
    syncml::Item item;
    item.target = syncml::Location{expand_binding(a.target, placeholder, binding), std::nullopt};
    if (std::string source = expand_binding(a.source, placeholder, binding); !source.empty())
        item.source = syncml::Location{std::move(source), std::nullopt};
    std::string data = expand_binding(a.data, placeholder, binding);
    switch (kind) {
    case CommandKind::Add:
    case CommandKind::Replace: {
        syncml::Meta meta;
        meta.format = std::string(tree::format_name(a.format));
        if (!a.type.empty()) meta.type = a.type;
        item.meta = std::move(meta);
        item.data = std::move(data);
        return kind == CommandKind::Add ? with_item<syncml::Add>(std::move(item))
                                        : with_item<syncml::Replace>(std::move(item));
    }
    case CommandKind::Exec: {
        if (!data.empty()) item.data = std::move(data);
        syncml::Exec exec;
        exec.item = std::move(item);
        return exec;
    }
    case CommandKind::Delete:
        return with_item<syncml::Delete>(std::move(item));
    case CommandKind::Get:
        return with_item<syncml::Get>(std::move(item));
    case CommandKind::Copy:
        return with_item<syncml::Copy>(std::move(item));
    }
    return with_item<syncml::Get>(std::move(item));
}

/// Notes the target of a command that modified the tree, when it names a node.
void note_changed(std::vector<tree::NodeUri>& changed, const syncml::Command& c) {
    if (auto node = tree::NodeUri::parse(action_target(c)))
        changed.push_back(std::move(detail::value_of(node)));
}

std::string item_data(const syncml::Command& c) {
    const syncml::Item* item = action_item(c);
    return item != nullptr ? item->data.value_or("") : std::string();
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

void note(ActionReport& r, const syncml::Command& c, const ActionOutcome& o) {
    const std::string target(action_target(c));
    std::string part;
    if (o.value) part = target + "=" + o.value->data;
    if (!base::is_success(o.status) || collateral(o.status)) {
        part =
            target + ": " + std::to_string(base::to_int(o.status)) + (o.detail.empty() ? "" : " " + o.detail);
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
            const std::string data = item_data(e.command);
            o = fn != nullptr ? (*fn)(ExtensionActionContext{action_target(e.command), data, host, owner})
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
        if (modifies(e.command) || !action.command) note_changed(out.changed, e.command);
    }
    return out;
}

CompoundReport run_atomic(const PolicySpec& spec, PolicyHost& host, const base::ServerId& owner,
                          const std::vector<Expanded>& commands) {
    CompoundReport out;
    for (const auto& a : spec.actions)
        out.actions.push_back({a.name, StatusCode::Ok, {}});
    std::vector<syncml::Command> batch;
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
        if (modifies(c)) note_changed(out.changed, c);
    }
    return out;
}

} // namespace

const syncml::Item* action_item(const syncml::Command& command) noexcept {
    if (const auto* exec = std::get_if<syncml::Exec>(&command.variant())) return &exec->item;
    return std::visit(
        [](const auto& x) -> const syncml::Item* {
            if constexpr (std::is_base_of_v<syncml::ItemCommand, std::decay_t<decltype(x)>>) {
                if (!x.items.empty()) return &x.items.front();
            }
            return nullptr;
        },
        command.variant());
}

std::string_view action_target(const syncml::Command& command) noexcept {
    const syncml::Item* item = action_item(command);
    return item != nullptr && item->target ? std::string_view(item->target->loc_uri) : std::string_view();
}

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
