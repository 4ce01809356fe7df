#include "command_json.hpp"

#include "omadm/shell/shell_errc.hpp"

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

}  // namespace

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
            if (auto r = validate_command(arr[i], path + ".commands[" + std::to_string(i) + "]"); !r) return r;
        }
        return {};
    }
    bool known = false;
    for (const auto k : kItemCommands) known = known || k == name;
    if (!known) return bad(path + ".cmd", "'" + std::string(name) + "' is not a DM command");
    const auto* target = o.if_contains("target");
    if (target == nullptr || !target->is_string() || target->as_string().empty()) {
        return bad(path + ".target", "must be a non-empty string");
    }
    for (const std::string_view key : {"data", "format", "type", "correlator", "source"}) {
        if (!optional_string(o, key)) return bad(path + "." + std::string(key), "must be a string");
    }
    if (name == "Copy" && o.if_contains("source") == nullptr) return bad(path + ".source", "required for Copy");
    return {};
}

}  // namespace omadm::server
