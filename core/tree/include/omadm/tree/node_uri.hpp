#pragma once
// Validated DM node URIs (OMA-TS-DM_TND-V1_2_1 §6) and the ?list= / ?prop= queries of a command target.

#include "omadm/base/result.hpp"
#include "omadm/tree/property.hpp"
#include "omadm/tree/tnds_fields.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace omadm::tree {

/// URI limits as DevDetail/URI declares them; 0 means unlimited.
struct UriLimits {
    std::uint32_t max_depth = 0;     ///< segments below the root (DevDetail/URI/MaxDepth)
    std::uint32_t max_total_len = 0; ///< bytes of the canonical relative form "A/B" (MaxTotLen)
    std::uint32_t max_seg_len = 0;   ///< bytes of one decoded node name (MaxSegLen)
};

/// A node address, always valid: "./A/B", "A/B" and "A/%42" name the same node; the root is ".".
/// Segments are stored decoded (percent escapes resolved); no segment is empty, ".", ".." or holds '/'.
class NodeUri {
public:
    /// The root ".".
    NodeUri() = default;
    /// Parses a URI without query; Errc::InvalidUri or Errc::UriTooLong on failure.
    [[nodiscard]] static base::Result<NodeUri> parse(std::string_view text, const UriLimits& limits = {});
    /// Builds from decoded names; each must be a valid segment (Errc::InvalidUri otherwise).
    [[nodiscard]] static base::Result<NodeUri> from_segments(std::vector<std::string> segments,
                                                             const UriLimits& limits = {});

    [[nodiscard]] bool is_root() const noexcept { return segments_.empty(); }
    [[nodiscard]] const std::vector<std::string>& segments() const noexcept { return segments_; }
    [[nodiscard]] std::size_t depth() const noexcept { return segments_.size(); }
    /// Last segment (decoded); "." for the root.
    [[nodiscard]] std::string name() const;
    /// The parent; the root's parent is the root.
    [[nodiscard]] NodeUri parent() const;
    /// This URI with one more segment; Errc::InvalidUri if name is not a valid node name.
    [[nodiscard]] base::Result<NodeUri> child(std::string_view name) const;
    /// This URI with one more segment whose name is known to be valid: a node name the tree listed
    /// (Tree::children), or one a layout declares (policy::PolicyLayout). A name from outside (a
    /// peer's, a configuration's) goes through child(); an invalid one here is a bug (OMADM_CHECK).
    [[nodiscard]] NodeUri operator/(std::string_view name) const&;
    [[nodiscard]] NodeUri operator/(std::string_view name) &&;
    /// True if this is other or one of its descendants.
    [[nodiscard]] bool is_within(const NodeUri& other) const noexcept;
    /// Canonical relative form with escapes: "A/B", "." for the root (the tree's key and MaxTotLen basis).
    [[nodiscard]] std::string path() const;
    /// Canonical absolute form: "./A/B", "." for the root.
    [[nodiscard]] std::string str() const;

    friend bool operator==(const NodeUri&, const NodeUri&) = default;
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 mistakes the 0 of the generated comparison
    friend auto operator<=>(const NodeUri&, const NodeUri&) = default;

private:
    explicit NodeUri(std::vector<std::string> segments) : segments_(std::move(segments)) {}
    std::vector<std::string> segments_;
};

/// True if name can be a node name: non-empty, not "." or "..", no '/', no NUL.
[[nodiscard]] bool is_valid_node_name(std::string_view name) noexcept;

/// `?list=` forms (OMA-TS-DM_TND-V1_2_1 §8).
enum class ListKind : std::uint8_t {
    Struct,     ///< node URIs with Format/Type, no data
    StructData, ///< as Struct plus leaf data
    Tnds,       ///< one item holding a MgmtTree document
};

struct ListQuery {
    ListKind kind = ListKind::Struct;
    TndsFields fields = TndsFields::all(); ///< TNDS only: TNDS+X+Y includes, TNDS-X excludes
    friend bool operator==(const ListQuery&, const ListQuery&) = default;
};

struct PropQuery {
    Property property = Property::Acl;
    friend bool operator==(const PropQuery&, const PropQuery&) = default;
};

using UriQuery = std::variant<ListQuery, PropQuery>;

/// A command target: a node plus an optional query.
struct TargetUri {
    NodeUri node;
    std::optional<UriQuery> query;

    TargetUri() = default;
    TargetUri(NodeUri n)
        : node(std::move(n)) {} // NOLINT(google-explicit-constructor): a plain node is a target
    TargetUri(NodeUri n, UriQuery q) : node(std::move(n)), query(q) {}

    /// Parses "uri[?list=...|?prop=...]"; Errc::UnsupportedQuery for any other query.
    [[nodiscard]] static base::Result<TargetUri> parse(std::string_view text, const UriLimits& limits = {});
    [[nodiscard]] const PropQuery* prop() const noexcept;
    [[nodiscard]] const ListQuery* list() const noexcept;
    /// The target as text: "./A/B?prop=ACL".
    [[nodiscard]] std::string str() const;
    friend bool operator==(const TargetUri&, const TargetUri&) = default;
};

} // namespace omadm::tree
