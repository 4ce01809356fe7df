#include "omadm/policy/node_value.hpp"

#include "omadm/policy/policy_host.hpp"

#include <array>
#include <utility>

namespace omadm::policy {
namespace {

constexpr std::array<std::pair<std::string_view, NodeFormat>, 11> kFormats{{
    {"b64", NodeFormat::B64},
    {"bin", NodeFormat::Bin},
    {"bool", NodeFormat::Bool},
    {"chr", NodeFormat::Chr},
    {"int", NodeFormat::Int},
    {"node", NodeFormat::Node},
    {"null", NodeFormat::Null},
    {"xml", NodeFormat::Xml},
    {"date", NodeFormat::Date},
    {"time", NodeFormat::Time},
    {"float", NodeFormat::Float},
}};

constexpr std::array<std::pair<std::string_view, CommandKind>, 6> kCommands{{
    {"Add", CommandKind::Add},
    {"Replace", CommandKind::Replace},
    {"Delete", CommandKind::Delete},
    {"Get", CommandKind::Get},
    {"Exec", CommandKind::Exec},
    {"Copy", CommandKind::Copy},
}};

} // namespace

std::optional<NodeFormat> parse_format(std::string_view text) noexcept {
    for (const auto& [name, f] : kFormats) {
        if (name == text) return f;
    }
    return std::nullopt;
}

std::string_view format_name(NodeFormat f) noexcept {
    for (const auto& [name, v] : kFormats) {
        if (v == f) return name;
    }
    return "chr";
}

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
