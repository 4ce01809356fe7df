#include "omadm/tree/acl.hpp"

#include "omadm/tree/errc.hpp"

#include <algorithm>
#include <array>

namespace omadm::tree {
namespace {

constexpr std::array<AclCommand, 5> kCommands{AclCommand::Add, AclCommand::Delete, AclCommand::Exec,
                                              AclCommand::Get, AclCommand::Replace};

std::optional<AclCommand> parse_command(std::string_view s) noexcept {
    for (const AclCommand c : kCommands) {
        if (acl_command_name(c) == s) return c;
    }
    return std::nullopt;
}

bool valid_id(std::string_view id) noexcept {
    if (id == "*") return true;
    if (id.empty()) return false;
    return std::all_of(id.begin(), id.end(), [](char ch) {
        const auto c = static_cast<unsigned char>(ch);
        return c > 0x20U && c != 0x7FU && c != '=' && c != '&' && c != '*' && c != '+';
    });
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        const std::size_t pos = s.find(sep, start);
        out.push_back(s.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
        if (pos == std::string_view::npos) break;
        start = pos + 1;
    }
    return out;
}

} // namespace

std::string_view acl_command_name(AclCommand c) noexcept {
    switch (c) {
    case AclCommand::Add:
        return "Add";
    case AclCommand::Delete:
        return "Delete";
    case AclCommand::Exec:
        return "Exec";
    case AclCommand::Get:
        return "Get";
    case AclCommand::Replace:
        return "Replace";
    }
    return "";
}

base::Result<Acl> Acl::parse(std::string_view text) {
    Acl acl;
    if (text.empty()) return acl;
    for (const std::string_view entry : split(text, '&')) {
        const std::size_t eq = entry.find('=');
        if (eq == std::string_view::npos) return make_error(Errc::InvalidAcl, "entry without '='");
        const auto cmd = parse_command(entry.substr(0, eq));
        if (!cmd)
            return make_error(Errc::InvalidAcl, "unknown command '" + std::string(entry.substr(0, eq)) + "'");
        for (const std::string_view id : split(entry.substr(eq + 1), '+')) {
            if (!valid_id(id))
                return make_error(Errc::InvalidAcl, "invalid server id '" + std::string(id) + "'");
            acl.grant(*cmd, id);
        }
    }
    return acl;
}

Acl Acl::root_default() {
    Acl acl;
    acl.grant(AclCommand::Add, "*");
    acl.grant(AclCommand::Get, "*");
    return acl;
}

std::string Acl::format() const {
    std::string out;
    for (const auto& [cmd, ids] : entries_) {
        if (!out.empty()) out += '&';
        out += acl_command_name(cmd);
        out += '=';
        for (std::size_t i = 0; i < ids.size(); ++i) {
            if (i != 0) out += '+';
            out += ids[i];
        }
    }
    return out;
}

bool Acl::grants(AclCommand c, const base::ServerId& id) const {
    for (const auto& [cmd, ids] : entries_) {
        if (cmd != c) continue;
        return std::any_of(ids.begin(), ids.end(),
                           [&](const std::string& s) { return s == "*" || s == id.value(); });
    }
    return false;
}

bool Acl::grants_everyone(AclCommand c) const {
    for (const auto& [cmd, ids] : entries_) {
        if (cmd == c) return std::find(ids.begin(), ids.end(), "*") != ids.end();
    }
    return false;
}

std::vector<std::string> Acl::ids(AclCommand c) const {
    for (const auto& [cmd, ids] : entries_) {
        if (cmd == c) return ids;
    }
    return {};
}

void Acl::grant(AclCommand c, std::string_view id) {
    for (auto& [cmd, ids] : entries_) {
        if (cmd != c) continue;
        if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.emplace_back(id);
        return;
    }
    entries_.push_back({c, {std::string(id)}});
}

void Acl::revoke_everywhere(std::string_view id) {
    for (auto& entry : entries_) {
        auto& ids = entry.second;
        ids.erase(std::remove(ids.begin(), ids.end(), id), ids.end());
    }
    entries_.erase(
        std::remove_if(entries_.begin(), entries_.end(), [](const auto& e) { return e.second.empty(); }),
        entries_.end());
}

} // namespace omadm::tree
