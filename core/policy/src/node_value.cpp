#include "omadm/policy/node_value.hpp"

#include "omadm/policy/policy_host.hpp"

#include <array>
#include <utility>

namespace omadm::policy {
namespace {

constexpr std::array<std::pair<std::string_view, CommandKind>, 6> kCommands{{
    {"Add", CommandKind::Add},
    {"Replace", CommandKind::Replace},
    {"Delete", CommandKind::Delete},
    {"Get", CommandKind::Get},
    {"Exec", CommandKind::Exec},
    {"Copy", CommandKind::Copy},
}};

} // namespace

std::optional<CommandKind> parse_command(std::string_view text) noexcept {
    for (const auto& [name, k] : kCommands) {
        if (name == text) return k;
    }
    return std::nullopt;
}

std::string_view command_name(CommandKind k) noexcept {
    for (const auto& [name, v] : kCommands) {
        if (v == k) return name;
    }
    return "Get";
}

} // namespace omadm::policy
