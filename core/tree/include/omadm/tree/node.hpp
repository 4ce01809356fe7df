#pragma once
// One DM tree node with its run-time properties (OMA-TS-DM_TND-V1_2_1 §6, §7).

#include "omadm/base/clock.hpp"
#include "omadm/tree/acl.hpp"
#include "omadm/tree/format.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace omadm::tree {

/// Permanent nodes are created by the manufacturer and cannot be deleted or renamed (405).
enum class Scope : std::uint8_t { Dynamic, Permanent };

struct Node {
    Format format = Format::Chr;           ///< Format::Node for an interior node
    std::string type;                      ///< leaf: MIME type; interior: MO identifier or empty
    std::string value;                     ///< leaf value; always empty for an interior node
    Acl acl;                               ///< empty = inherited from the nearest ancestor with one
    std::string title;                     ///< Title property, at most 255 bytes
    std::optional<base::TimePoint> tstamp; ///< time of the last change (TStamp)
    std::uint16_t ver_no = 0;              ///< +1 per change, wraps at 0xFFFF (VerNo)
    Scope scope = Scope::Dynamic;

    [[nodiscard]] bool is_interior() const noexcept { return format == Format::Node; }
    friend bool operator==(const Node&, const Node&) = default;
};

} // namespace omadm::tree
