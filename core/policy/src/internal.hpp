#pragma once
// Helpers shared by the policy module's sources: the module's error constructor and the test for an
// absolute DM URI.

#include "omadm/base/result.hpp"
#include "omadm/policy/errc.hpp"

#include <string>
#include <string_view>

namespace omadm::policy::detail {

[[nodiscard]] inline base::Error error(Errc code, std::string detail) {
    return base::make_error(code, std::move(detail));
}

/// A URI of the device's tree, relative to its root: "./" followed by at least one segment.
[[nodiscard]] inline bool absolute(std::string_view uri) {
    return uri.starts_with("./") && uri.size() > 2;
}

} // namespace omadm::policy::detail
