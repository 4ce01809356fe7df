#include "omadm/shell/command_json.hpp"

#include "omadm/shell/shell_errc.hpp"
#include "omadm/syncml/builder.hpp"

#include <array>
#include <optional>

namespace omadm::shell {
namespace {

namespace json = boost::json;

constexpr std::array<std::string_view, 5> kOptionalStrings{"data", "format", "type", "correlator", "source"};

base::Error bad(const std::string& path, std::string_view why) {
    return base::make_error(ShellErrc::bad_command, path + ": " + std::string(why));
}

std::optional<std::string> member_string(const json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return std::string(v->as_string());
}

syncml::Item item_of(const json::object& o) {
    syncml::Meta meta;
    meta.format = member_string(o, "format");
    meta.type = member_string(o, "type");
    auto item = syncml::target_item(member_string(o, "target").value_or(""), member_string(o, "data"),
                                    meta.empty() ? std::nullopt : std::optional<syncml::Meta>(meta));
    if (auto source = member_string(o, "source")) item.source = syncml::Location{*source, std::nullopt};
    return item;
}

template <class T> syncml::Command item_command(const json::object& o) {
    T c;
    c.items.push_back(item_of(o));
    return c;
}

template <class T> base::Result<syncml::Command> container(const json::object& o, const std::string& path) {
    const auto* inner = o.if_contains("commands");
    if (inner == nullptr || !inner->is_array() || inner->as_array().empty())
        return bad(path + ".commands", "must be a non-empty array");
    const auto& members = inner->as_array();
    T c;
    for (std::size_t i = 0; i < members.size(); ++i) {
        auto member = command_from_json(members[i], path + ".commands[" + std::to_string(i) + "]");
        if (!member) return member.error();
        c.commands.push_back(std::move(*member));
    }
    return syncml::Command{std::move(c)};
}

/// The fields every item command shares: a non-empty "target", the optional strings, Copy's
/// "source".
base::Result<void> check_item_fields(const json::object& o, std::string_view name, const std::string& path) {
    const auto* target = o.if_contains("target");
    if (target == nullptr || !target->is_string() || target->as_string().empty())
        return bad(path + ".target", "must be a non-empty string");
    for (const auto key : kOptionalStrings) {
        const auto* v = o.if_contains(key);
        if (v != nullptr && !v->is_string()) return bad(path + "." + std::string(key), "must be a string");
    }
    if (name == "Copy" && o.if_contains("source") == nullptr)
        return bad(path + ".source", "required for Copy");
    return {};
}

syncml::Command exec_command(const json::object& o) {
    syncml::Exec exec;
    exec.correlator = member_string(o, "correlator");
    exec.item = item_of(o);
    return syncml::Command{std::move(exec)};
}

} // namespace

base::Result<syncml::Command> command_from_json(const json::value& command, const std::string& path) {
    if (!command.is_object()) return bad(path, "must be an object");
    const auto& o = command.as_object();
    const auto* cmd = o.if_contains("cmd");
    if (cmd == nullptr || !cmd->is_string()) return bad(path + ".cmd", "must be a string");
    const std::string_view name = cmd->as_string();
    const auto kind = syncml::parse_command_kind(name);
    const auto not_a_command = [&] {
        return bad(path + ".cmd", "'" + std::string(name) + "' is not a DM command");
    };
    if (!kind) return not_a_command();
    const auto checked = [&](auto build) -> base::Result<syncml::Command> {
        if (auto ok = check_item_fields(o, name, path); !ok) return ok.error();
        return build();
    };
    switch (*kind) {
    case syncml::CommandKind::Atomic:
        return container<syncml::Atomic>(o, path);
    case syncml::CommandKind::Sequence:
        return container<syncml::Sequence>(o, path);
    case syncml::CommandKind::Add:
        return checked([&] { return item_command<syncml::Add>(o); });
    case syncml::CommandKind::Replace:
        return checked([&] { return item_command<syncml::Replace>(o); });
    case syncml::CommandKind::Get:
        return checked([&] { return item_command<syncml::Get>(o); });
    case syncml::CommandKind::Delete:
        return checked([&] { return item_command<syncml::Delete>(o); });
    case syncml::CommandKind::Copy:
        return checked([&] { return item_command<syncml::Copy>(o); });
    case syncml::CommandKind::Exec:
        return checked([&] { return exec_command(o); });
    case syncml::CommandKind::Alert:   // a server sends UI alerts through its own endpoint
    case syncml::CommandKind::Results: // answers, never asked for
    case syncml::CommandKind::Status:
        return not_a_command();
    }
    return not_a_command();
}

base::Result<std::vector<syncml::Command>> commands_from_json(const json::object& body) {
    const auto* list = body.if_contains("commands");
    if (list == nullptr || !list->is_array() || list->as_array().empty())
        return base::make_error(ShellErrc::bad_json, "commands: must be a non-empty array");
    std::vector<syncml::Command> out;
    const auto& commands = list->as_array();
    for (std::size_t i = 0; i < commands.size(); ++i) {
        auto c = command_from_json(commands[i], "commands[" + std::to_string(i) + "]");
        if (!c) return c.error();
        out.push_back(std::move(*c));
    }
    return out;
}

std::string command_target(const syncml::Command& command) {
    return std::visit(
        [](const auto& c) -> std::string {
            using T = std::decay_t<decltype(c)>;
            if constexpr (std::is_base_of_v<syncml::ItemCommand, T>) {
                if (!c.items.empty() && c.items.front().target) return c.items.front().target->loc_uri;
            } else if constexpr (std::is_same_v<T, syncml::Exec>) {
                if (c.item.target) return c.item.target->loc_uri;
            }
            return {};
        },
        command.variant());
}

const std::vector<syncml::Command>* command_members(const syncml::Command& command) {
    if (const auto* a = std::get_if<syncml::Atomic>(&command.variant())) return &a->commands;
    if (const auto* s = std::get_if<syncml::Sequence>(&command.variant())) return &s->commands;
    return nullptr;
}

} // namespace omadm::shell
