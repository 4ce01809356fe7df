#pragma once
// Access control lists (OMA-TS-DM_TND-V1_2_1 §7.7.1) and the principal a tree operation runs as.

#include "omadm/base/result.hpp"
#include "omadm/base/strong_id.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace omadm::tree {

/// The commands an ACL entry names. There is no Copy entry: Copy needs Get, Add or Replace.
enum class AclCommand : std::uint8_t { Add, Delete, Exec, Get, Replace };

[[nodiscard]] std::string_view acl_command_name(AclCommand c) noexcept;

/// An ACL value: `Add=srvA&Get=*&Replace=srvA+srvB`. Entries keep the order in which they were
/// written, so Get returns what Replace set. An empty Acl means "inherit from the nearest ancestor".
class Acl {
public:
    Acl() = default;
    /// Parses the grammar of OMA-TS-DM_TND-V1_2_1 §7.7.1; "" is the empty ACL. Errc::InvalidAcl otherwise.
    /// A command written twice has its ids merged into the first entry.
    [[nodiscard]] static base::Result<Acl> parse(std::string_view text);
    /// `Add=*&Get=*`, the root default.
    [[nodiscard]] static Acl root_default();

    [[nodiscard]] std::string format() const;
    [[nodiscard]] bool empty() const noexcept { return entries_.empty(); }
    /// True if the entry for c names id or '*'.
    [[nodiscard]] bool grants(AclCommand c, const base::ServerId& id) const;
    /// True if the entry for c names '*'.
    [[nodiscard]] bool grants_everyone(AclCommand c) const;
    /// The ids of c's entry ('*' included), empty if c has no entry.
    [[nodiscard]] std::vector<std::string> ids(AclCommand c) const;
    /// Adds id to c's entry (creating it); no effect if already named.
    void grant(AclCommand c, std::string_view id);
    /// Removes id from every entry; an entry left empty is dropped (OMA-TS-DM_TND-V1_2_1 §7.7.1, on
    /// DMAcc removal).
    void revoke_everywhere(std::string_view id);

    friend bool operator==(const Acl&, const Acl&) = default;

private:
    std::vector<std::pair<AclCommand, std::vector<std::string>>> entries_;
};

/// Who performs a tree operation.
class Principal {
public:
    enum class Kind : std::uint8_t {
        Server,    ///< a DM server, authenticated by the session; ACLs apply to its ServerID
        Device,    ///< the device's own engines; matches only '*' entries unless TreeOptions says otherwise
        Bootstrap, ///< manufacturer or bootstrap provisioning: bypasses ACL and AccessType, not value checks
    };
    [[nodiscard]] static Principal server(base::ServerId id) {
        return Principal{Kind::Server, std::move(id)};
    }
    [[nodiscard]] static Principal device() { return Principal{Kind::Device, {}}; }
    [[nodiscard]] static Principal bootstrap() { return Principal{Kind::Bootstrap, {}}; }

    [[nodiscard]] Kind kind() const noexcept { return kind_; }
    /// The ServerID of a Server principal; nullptr for the other kinds.
    [[nodiscard]] const base::ServerId* server_id() const noexcept {
        return kind_ == Kind::Server ? &id_ : nullptr;
    }
    friend bool operator==(const Principal&, const Principal&) = default;

private:
    Principal(Kind k, base::ServerId id) : kind_(k), id_(std::move(id)) {}
    Kind kind_;
    base::ServerId id_;
};

} // namespace omadm::tree
