#pragma once
// A node's value as the policy engine sees it: the data and the DM Format that types it.

#include <optional>
#include <string>
#include <string_view>

namespace omadm::policy {

/// The DM node formats (PROTOCOL.md 6.2).
enum class NodeFormat { B64, Bin, Bool, Chr, Int, Node, Null, Xml, Date, Time, Float };

[[nodiscard]] std::optional<NodeFormat> parse_format(std::string_view text) noexcept;
[[nodiscard]] std::string_view format_name(NodeFormat f) noexcept;

struct NodeValue {
    std::string data;
    NodeFormat format = NodeFormat::Chr;
    bool operator==(const NodeValue&) const = default;
};

} // namespace omadm::policy
