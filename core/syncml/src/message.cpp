#include "omadm/syncml/message.hpp"

#include "omadm/base/overloaded.hpp"

#include <variant>

namespace omadm::syncml {
namespace {

using base::Overloaded;

} // namespace

CommandKind kind_of(const Command& c) noexcept {
    // One lambda per alternative, no generic one: a new command does not compile until it has a kind.
    return std::visit(Overloaded{
                          [](const Add&) { return CommandKind::Add; },
                          [](const Alert&) { return CommandKind::Alert; },
                          [](const Atomic&) { return CommandKind::Atomic; },
                          [](const Copy&) { return CommandKind::Copy; },
                          [](const Delete&) { return CommandKind::Delete; },
                          [](const Exec&) { return CommandKind::Exec; },
                          [](const Get&) { return CommandKind::Get; },
                          [](const Replace&) { return CommandKind::Replace; },
                          [](const Results&) { return CommandKind::Results; },
                          [](const Sequence&) { return CommandKind::Sequence; },
                          [](const Status&) { return CommandKind::Status; },
                      },
                      c.variant());
}

const char* command_name(CommandKind k) noexcept {
    switch (k) {
    case CommandKind::Add:
        return "Add";
    case CommandKind::Alert:
        return "Alert";
    case CommandKind::Atomic:
        return "Atomic";
    case CommandKind::Copy:
        return "Copy";
    case CommandKind::Delete:
        return "Delete";
    case CommandKind::Exec:
        return "Exec";
    case CommandKind::Get:
        return "Get";
    case CommandKind::Replace:
        return "Replace";
    case CommandKind::Results:
        return "Results";
    case CommandKind::Sequence:
        return "Sequence";
    case CommandKind::Status:
        return "Status";
    }
    return "Unknown";
}

const char* command_name(const Command& c) noexcept {
    return command_name(kind_of(c));
}

std::optional<CommandKind> parse_command_kind(std::string_view name) noexcept {
    for (const auto k : {CommandKind::Add, CommandKind::Alert, CommandKind::Atomic, CommandKind::Copy,
                         CommandKind::Delete, CommandKind::Exec, CommandKind::Get, CommandKind::Replace,
                         CommandKind::Results, CommandKind::Sequence, CommandKind::Status}) {
        if (name == command_name(k)) return k;
    }
    return std::nullopt;
}

bool is_response(CommandKind k) noexcept {
    switch (k) {
    case CommandKind::Results:
    case CommandKind::Status:
        return true;
    case CommandKind::Add:
    case CommandKind::Alert:
    case CommandKind::Atomic:
    case CommandKind::Copy:
    case CommandKind::Delete:
    case CommandKind::Exec:
    case CommandKind::Get:
    case CommandKind::Replace:
    case CommandKind::Sequence:
        return false;
    }
    return false;
}

CmdId command_id(const Command& c) noexcept {
    return std::visit([](const auto& cmd) { return cmd.cmd_id; }, c.variant());
}

} // namespace omadm::syncml
