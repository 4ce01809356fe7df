#include "omadm/policy/policy_spec.hpp"

#include "internal.hpp"
#include "omadm/policy/errc.hpp"
#include "omadm/policy/policy_reader.hpp"

#include <algorithm>

namespace omadm::policy {
namespace {

using detail::absolute;
using detail::error;

bool uses(const SimpleAction& a, std::string_view placeholder) {
    return a.target.find(placeholder) != std::string::npos ||
           a.source.find(placeholder) != std::string::npos || a.data.find(placeholder) != std::string::npos;
}

base::Result<void> validate_actions(const PolicySpec& spec, const PolicyLayout& layout,
                                    const ExtensionRegistry& extensions) {
    if (spec.actions.empty()) return error(Errc::Inconsistent, "the policy defines no action");
    for (const auto& a : spec.actions) {
        if (!a.command && extensions.find_action_kind(a.extension_kind) == nullptr) {
            return error(Errc::UnknownCommand,
                         "action " + a.name + ": unknown command '" + a.extension_kind + "'");
        }
        if (!a.command && spec.mode == ActionMode::Atomic) {
            return error(Errc::Inconsistent,
                         "action " + a.name + ": extension kinds cannot run in an Atomic");
        }
        if (!absolute(a.target) && !a.target.starts_with(layout.binding_placeholder)) {
            return error(Errc::BadValue,
                         "action " + a.name + ": Target must be an absolute URI: '" + a.target + "'");
        }
        if (a.command == CommandKind::Copy && a.source.empty()) {
            return error(Errc::MissingNode, "action " + a.name + ": Copy needs a Source");
        }
        if (spec.bindings.empty() && uses(a, layout.binding_placeholder)) {
            return error(Errc::UnboundPlaceholder, "action " + a.name + " uses " +
                                                       layout.binding_placeholder +
                                                       " but the policy has no Bindings");
        }
    }
    return {};
}

base::Result<void> validate_trigger(const PolicySpec& spec) {
    const auto& t = spec.trigger;
    if (t.periodic() && t.period.count() <= 0)
        return error(Errc::BadValue, "a periodic trigger needs a Period");
    if (t.valid_from && t.valid_until && *t.valid_until <= *t.valid_from) {
        return error(Errc::BadValue, "ValidUntil is not after ValidFrom");
    }
    if (t.on_change() && spec.conditions.empty()) {
        return error(Errc::Inconsistent, "an OnChange trigger needs at least one condition");
    }
    return {};
}

} // namespace

std::optional<TriggerMode> parse_trigger_mode(std::string_view text) noexcept {
    if (text == "OnChange") return TriggerMode::OnChange;
    if (text == "Periodic") return TriggerMode::Periodic;
    if (text == "Both") return TriggerMode::Both;
    return std::nullopt;
}

std::string_view trigger_mode_name(TriggerMode m) noexcept {
    switch (m) {
    case TriggerMode::OnChange:
        return "OnChange";
    case TriggerMode::Periodic:
        return "Periodic";
    case TriggerMode::Both:
        return "Both";
    }
    return "OnChange";
}

std::optional<ActionMode> parse_action_mode(std::string_view text) noexcept {
    if (text == "Sequence") return ActionMode::Sequence;
    if (text == "Atomic") return ActionMode::Atomic;
    return std::nullopt;
}

std::string_view action_mode_name(ActionMode m) noexcept {
    return m == ActionMode::Atomic ? "Atomic" : "Sequence";
}

std::string SimpleAction::command_text() const {
    return command ? std::string(command_name(*command)) : extension_kind;
}

base::Result<Expression> validate_spec(const PolicySpec& spec, const PolicyLayout& layout,
                                       const ExtensionRegistry& extensions) {
    if (spec.id.empty()) return error(Errc::MissingNode, "PolicyID is empty");
    if (spec.version.empty()) return error(Errc::MissingNode, "Version is empty");
    std::vector<std::string> names;
    for (const auto& c : spec.conditions) {
        if (!absolute(c.uri))
            return error(Errc::BadValue, "condition " + c.name + ": URI must be absolute: '" + c.uri + "'");
        if (c.op == Operator::Extension && extensions.find_operator(c.extension_operator) == nullptr) {
            return error(Errc::UnknownOperator,
                         "condition " + c.name + ": unknown operator '" + c.extension_operator + "'");
        }
        names.push_back(c.name);
    }
    for (const auto& b : spec.bindings) {
        if (!absolute(b)) return error(Errc::BadValue, "binding URI must be absolute: '" + b + "'");
    }
    if (auto r = validate_actions(spec, layout, extensions); !r) return r.error();
    if (auto r = validate_trigger(spec); !r) return r.error();
    std::string text = spec.expression;
    if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
        // No expression: every condition must hold.
        text.clear();
        for (const auto& n : names)
            text += (text.empty() ? "" : " and ") + n;
    }
    auto e = Expression::parse(text, names);
    if (!e) return base::make_error(e.error().code, "Expression: " + e.error().detail);
    return e;
}

} // namespace omadm::policy
