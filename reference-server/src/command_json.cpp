#include "command_json.hpp"

#include "omadm/shell/shell_errc.hpp"
#include "omadm/syncml/builder.hpp"

#include <array>
#include <string_view>

namespace omadm::server {

namespace {

constexpr std::array<std::string_view, 6> kItemCommands{"Add", "Replace", "Get", "Delete", "Exec", "Copy"};

base::Error bad(const std::string& path, std::string_view why) {
    return base::make_error(shell::ShellErrc::bad_json, path + ": " + std::string(why));
}

bool optional_string(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    return v == nullptr || v->is_string();
}

} // namespace

base::Result<void> validate_command(const boost::json::value& command, const std::string& path) {
    if (!command.is_object()) return bad(path, "must be an object");
    const auto& o = command.as_object();
    const auto* cmd = o.if_contains("cmd");
    if (cmd == nullptr || !cmd->is_string()) return bad(path + ".cmd", "must be a string");
    const std::string_view name = cmd->as_string();
    if (name == "Atomic" || name == "Sequence") {
        const auto* inner = o.if_contains("commands");
        if (inner == nullptr || !inner->is_array() || inner->as_array().empty()) {
            return bad(path + ".commands", "must be a non-empty array");
        }
        const auto& arr = inner->as_array();
        for (std::size_t i = 0; i < arr.size(); ++i) {
            if (auto r = validate_command(arr[i], path + ".commands[" + std::to_string(i) + "]"); !r)
                return r;
        }
        return {};
    }
    bool known = false;
    for (const auto k : kItemCommands)
        known = known || k == name;
    if (!known) return bad(path + ".cmd", "'" + std::string(name) + "' is not a DM command");
    const auto* target = o.if_contains("target");
    if (target == nullptr || !target->is_string() || target->as_string().empty()) {
        return bad(path + ".target", "must be a non-empty string");
    }
    for (const std::string_view key : {"data", "format", "type", "correlator", "source"}) {
        if (!optional_string(o, key)) return bad(path + "." + std::string(key), "must be a string");
    }
    if (name == "Copy" && o.if_contains("source") == nullptr)
        return bad(path + ".source", "required for Copy");
    return {};
}

} // namespace omadm::server

namespace omadm::server {

namespace {

std::optional<std::string> member_string(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return std::string(v->as_string());
}

syncml::Item item_of(const boost::json::object& o) {
    syncml::Meta meta;
    meta.format = member_string(o, "format");
    meta.type = member_string(o, "type");
    auto item = syncml::target_item(member_string(o, "target").value_or(""), member_string(o, "data"),
                                    meta.empty() ? std::nullopt : std::optional<syncml::Meta>(meta));
    if (auto source = member_string(o, "source")) item.source = syncml::Location{*source, std::nullopt};
    return item;
}

template <class T> syncml::Command item_command(const boost::json::object& o) {
    T c;
    c.items.push_back(item_of(o));
    return c;
}

template <class T> syncml::Command container(const boost::json::object& o) {
    T c;
    for (const auto& member : o.at("commands").as_array())
        c.commands.push_back(to_syncml_command(member));
    return c;
}

} // namespace

syncml::Command to_syncml_command(const boost::json::value& command) {
    const auto& o = command.as_object();
    const std::string name = command_name_of(command);
    if (name == "Atomic") return container<syncml::Atomic>(o);
    if (name == "Sequence") return container<syncml::Sequence>(o);
    if (name == "Add") return item_command<syncml::Add>(o);
    if (name == "Replace") return item_command<syncml::Replace>(o);
    if (name == "Get") return item_command<syncml::Get>(o);
    if (name == "Delete") return item_command<syncml::Delete>(o);
    if (name == "Copy") return item_command<syncml::Copy>(o);
    OMADM_CHECK(name == "Exec");
    syncml::Exec exec;
    exec.correlator = member_string(o, "correlator");
    exec.item = item_of(o);
    return exec;
}

std::string command_name_of(const boost::json::value& command) {
    return command.is_object() ? member_string(command.as_object(), "cmd").value_or("") : "";
}

std::string command_target_of(const boost::json::value& command) {
    return command.is_object() ? member_string(command.as_object(), "target").value_or("") : "";
}

const boost::json::value* command_member(const boost::json::value& command, std::size_t index) {
    if (!command.is_object()) return nullptr;
    const auto* members = command.as_object().if_contains("commands");
    if (members == nullptr || !members->is_array() || index >= members->as_array().size()) return nullptr;
    return &members->as_array()[index];
}

} // namespace omadm::server
