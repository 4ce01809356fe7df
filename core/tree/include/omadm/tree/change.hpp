#pragma once
// Committed tree changes, as delivered to observers (the policy engine subscribes to them).

#include "omadm/tree/acl.hpp"
#include "omadm/tree/node_uri.hpp"
#include "omadm/tree/property.hpp"

#include <cstdint>
#include <functional>
#include <optional>

namespace omadm::tree {

enum class ChangeKind : std::uint8_t {
    Added,    ///< node created (explicitly, implicitly as a parent, or from TNDS)
    Replaced, ///< leaf value (and Format/Type) replaced
    Deleted,  ///< node removed; one change per removed node, deepest first
    Property, ///< a property changed (ACL, Name, Title); Name: uri is the new name
};

struct Change {
    NodeUri uri;
    ChangeKind kind = ChangeKind::Added;
    std::optional<tree::Property> property; ///< set for ChangeKind::Property
    Principal by = Principal::device();     ///< who made the change
    friend bool operator==(const Change&, const Change&) = default;
};

using ChangeObserver = std::function<void(const Change&)>;

/// Handle returned by Tree::subscribe().
enum class ObserverId : std::uint32_t {};

} // namespace omadm::tree
