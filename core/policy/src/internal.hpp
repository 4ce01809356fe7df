#pragma once
// Helpers shared by the policy module's sources: the module's error constructor, the path of an Ext
// node and the test for an absolute DM URI.

#include "omadm/base/result.hpp"
#include "omadm/policy/errc.hpp"

#include <string>
#include <string_view>

namespace omadm::policy::detail {

[[nodiscard]] inline base::Error error(Errc code, std::string detail) {
    return base::make_error(code, std::move(detail));
}

/// ExtNode::path of the node `name` below the Ext node at `rel` ("" for Ext itself): "A/B".
[[nodiscard]] inline std::string ext_path(const std::string& rel, const std::string& name) {
    if (rel.empty()) return name;
    std::string out = rel;
    out += '/';
    out += name;
    return out;
}

/// A URI of the device's tree, relative to its root: "./" followed by at least one segment.
[[nodiscard]] inline bool absolute(std::string_view uri) {
    return uri.starts_with("./") && uri.size() > 2;
}

} // namespace omadm::policy::detail
