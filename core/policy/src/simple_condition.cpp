#include "omadm/policy/simple_condition.hpp"

#include <array>
#include <compare>
#include <utility>

namespace omadm::policy {
namespace {

constexpr std::array<std::pair<std::string_view, Operator>, 11> kOperators{{
    {"eq", Operator::Eq},
    {"ne", Operator::Ne},
    {"lt", Operator::Lt},
    {"le", Operator::Le},
    {"gt", Operator::Gt},
    {"ge", Operator::Ge},
    {"exists", Operator::Exists},
    {"absent", Operator::Absent},
    {"contains", Operator::Contains},
    {"matches", Operator::Matches},
    {"changed", Operator::Changed},
}};

bool ordered(const SimpleCondition& c, const NodeValue& node, const Deviations& deviations) {
    const bool lexical = deviations.lexical_int_compare && node.format == tree::Format::Int;
    const std::partial_ordering ord = lexical ? std::string_view(node.data) <=> std::string_view(c.value)
                                              : compare_typed(node.format, node.data, c.value, c.compare);
    if (ord == std::partial_ordering::unordered) return false;
    Operator op = c.op;
    if (deviations.boundary_off_by_one && op == Operator::Le) op = Operator::Lt;
    if (deviations.boundary_off_by_one && op == Operator::Ge) op = Operator::Gt;
    switch (op) {
    case Operator::Eq:
        return std::is_eq(ord);
    case Operator::Ne:
        return std::is_neq(ord);
    case Operator::Lt:
        return std::is_lt(ord);
    case Operator::Le:
        return std::is_lteq(ord);
    case Operator::Gt:
        return std::is_gt(ord);
    case Operator::Ge:
        return std::is_gteq(ord);
    case Operator::Exists:
    case Operator::Absent:
    case Operator::Contains:
    case Operator::Matches:
    case Operator::Changed:
    case Operator::Extension:
        break;
    }
    return false;
}

} // namespace

std::optional<Operator> parse_operator(std::string_view text) noexcept {
    for (const auto& [name, op] : kOperators) {
        if (name == text) return op;
    }
    return std::nullopt;
}

std::string_view operator_name(Operator op) noexcept {
    for (const auto& [name, v] : kOperators) {
        if (v == op) return name;
    }
    return "extension";
}

std::string SimpleCondition::operator_text() const {
    return op == Operator::Extension ? extension_operator : std::string(operator_name(op));
}

bool evaluate(const SimpleCondition& condition, const std::optional<NodeValue>& current,
              const std::optional<NodeValue>& previous, const ExtensionRegistry& extensions,
              const Deviations& deviations) {
    switch (condition.op) {
    case Operator::Exists:
        return current.has_value();
    case Operator::Absent:
        return !current.has_value();
    case Operator::Changed:
        return current != previous;
    case Operator::Contains:
        return current && current->data.find(condition.value) != std::string::npos;
    case Operator::Matches:
        return current && glob_match(condition.value, current->data);
    case Operator::Extension: {
        const auto* fn = extensions.find_operator(condition.extension_operator);
        return fn != nullptr && (*fn)(current, condition.value);
    }
    case Operator::Eq:
    case Operator::Ne:
    case Operator::Lt:
    case Operator::Le:
    case Operator::Gt:
    case Operator::Ge:
        return current && ordered(condition, *current, deviations);
    }
    return false;
}

} // namespace omadm::policy
