#pragma once
// DM commands in the JSON form of docs/control-api.md ({"cmd":"Add","target":…}, Atomic and
// Sequence with "commands"), as both control APIs accept them: validated and turned into the typed
// syncml commands the session engine sends (server) or the device applies locally (client).

#include "omadm/base/result.hpp"
#include "omadm/syncml/message.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace omadm::shell {

/// One JSON command as a syncml command (CmdIDs left at 0: the sender numbers them). Accepted:
/// "cmd" Add, Replace, Get, Delete, Copy or Exec with a non-empty string "target"; the optional
/// "data", "format", "type", "source" and "correlator" (Exec) strings ("format"/"type" become the
/// Item's Meta); Copy needs "source"; Atomic and Sequence need a non-empty array "commands" of
/// such commands. Error bad_command whose detail starts with the path of the offending field under
/// `path`, e.g. "commands[2].commands[0].target: must be a non-empty string".
[[nodiscard]] base::Result<syncml::Command> command_from_json(const boost::json::value& command,
                                                              const std::string& path);

/// The "commands" member of a request body: a non-empty array of commands, each read by
/// command_from_json under the path "commands[i]". Error bad_json when "commands" is no non-empty
/// array, bad_command for the first member that is not a valid command.
[[nodiscard]] base::Result<std::vector<syncml::Command>> commands_from_json(const boost::json::object& body);

/// The LocURI of the command's (first) Item Target: "" for Atomic, Sequence and commands without
/// one.
[[nodiscard]] std::string command_target(const syncml::Command& command);

/// The members of an Atomic or Sequence; null for any other command.
[[nodiscard]] const std::vector<syncml::Command>* command_members(const syncml::Command& command);

} // namespace omadm::shell
