#pragma once
// Validation of DM commands in the JSON form of docs/control-api.md ("cmd", "target", "data", ...).
// to_syncml_command turns a validated one into the syncml command the session engine sends.

#include "omadm/base/result.hpp"
#include "omadm/syncml/message.hpp"

#include <boost/json/value.hpp>

namespace omadm::server {

/// Error bad_json whose detail names the offending path, e.g. "commands[2].target".
[[nodiscard]] base::Result<void> validate_command(const boost::json::value& command, const std::string& path);

/// The syncml command of a command that passed validate_command. CmdIDs are left at 0: the session
/// numbers them when it sends. "format"/"type" become the Item's Meta.
[[nodiscard]] syncml::Command to_syncml_command(const boost::json::value& command);

/// "cmd" and "target" of a JSON command ("" when absent, e.g. for Atomic).
[[nodiscard]] std::string command_name_of(const boost::json::value& command);
[[nodiscard]] std::string command_target_of(const boost::json::value& command);
/// The member at `index` of an Atomic/Sequence, or null.
[[nodiscard]] const boost::json::value* command_member(const boost::json::value& command, std::size_t index);

} // namespace omadm::server
