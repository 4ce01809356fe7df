#pragma once
// Validation of DM commands in the JSON form of docs/control-api.md ("cmd", "target", "data", ...).
// Conversion to syncml commands belongs to the session step.

#include "omadm/base/result.hpp"

#include <boost/json/value.hpp>

namespace omadm::server {

/// Error bad_json whose detail names the offending path, e.g. "commands[2].target".
[[nodiscard]] base::Result<void> validate_command(const boost::json::value& command, const std::string& path);

}  // namespace omadm::server
