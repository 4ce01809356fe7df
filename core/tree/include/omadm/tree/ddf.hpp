#pragma once
// DDF (Device Description Framework) schemas (OMA-TS-DM_TND-V1_2_1 §9): what nodes an MO may hold, with
// which format, access types, occurrence and scope. load_ddf() takes the DDF text, never a path.

#include "omadm/base/result.hpp"
#include "omadm/tree/format.hpp"
#include "omadm/tree/node.hpp"
#include "omadm/tree/node_uri.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omadm::tree {

/// DDF AccessType: the commands a node accepts at all, whatever the ACL says (405 otherwise).
enum class Access : std::uint8_t { Add = 1, Copy = 2, Delete = 4, Exec = 8, Get = 16, Replace = 32 };

class AccessType {
public:
    constexpr AccessType() = default;
    [[nodiscard]] static constexpr AccessType all() noexcept { return AccessType{0x3FU}; }
    [[nodiscard]] constexpr bool allows(Access a) const noexcept {
        return (bits_ & static_cast<std::uint8_t>(a)) != 0U;
    }
    constexpr AccessType& allow(Access a) noexcept {
        bits_ = static_cast<std::uint8_t>(bits_ | static_cast<std::uint8_t>(a));
        return *this;
    }
    friend constexpr bool operator==(AccessType, AccessType) = default;

private:
    constexpr explicit AccessType(std::uint8_t bits) : bits_(bits) {}
    std::uint8_t bits_ = 0U;
};

struct Occurrence {
    enum class Kind : std::uint8_t { One, ZeroOrOne, ZeroOrMore, OneOrMore, ZeroOrN, OneOrN };
    Kind kind = Kind::One;
    std::uint32_t n = 0; ///< the N of ZeroOrN / OneOrN (2..65536)
    /// Most instances allowed under one parent; nullopt = unbounded.
    [[nodiscard]] std::optional<std::uint32_t> max() const noexcept;
    friend bool operator==(const Occurrence&, const Occurrence&) = default;
};

enum class CaseSense : std::uint8_t { Sensitive, Insensitive };

/// True if a and b name the same node under cs: equal bytes (CS), or equal up to ASCII case (CIS).
[[nodiscard]] bool names_match(CaseSense cs, std::string_view a, std::string_view b) noexcept;

struct DdfNode {
    std::string name; ///< empty = run-time name (<x>)
    AccessType access;
    Format format = Format::Chr;
    Occurrence occurrence;
    Scope scope = Scope::Dynamic;
    std::vector<std::string> mime_types; ///< leaf DFType MIME values
    std::string ddf_name;                ///< interior DFType DDFName (MO identifier), may be empty
    CaseSense case_sense = CaseSense::Sensitive;
    std::optional<std::string> default_value;
    std::string description;
    std::string title;
    std::vector<DdfNode> children;

    [[nodiscard]] bool is_placeholder() const noexcept { return name.empty(); }
    /// The child matching a run-time name: a named child first (compared as its CaseSense says),
    /// then the <x> child.
    [[nodiscard]] const DdfNode* match_child(std::string_view child_name) const noexcept;
};

/// One top-level DDF node and where it is mounted.
struct DdfRoot {
    NodeUri parent; ///< from <Path>; the root when absent
    DdfNode node;
    [[nodiscard]] NodeUri mount() const; ///< parent/name
};

struct DdfSchema {
    std::string ver_dtd;
    std::string man;
    std::string mod;
    std::vector<DdfRoot> roots;
};

/// Parses DDF text (MgmtTree DTD 1.2). Errc::MalformedXml, Errc::InvalidDdf, Errc::UnknownFormat,
/// Errc::LimitExceeded (nesting deeper than 64).
[[nodiscard]] base::Result<DdfSchema> load_ddf(std::string_view text);

} // namespace omadm::tree
