#pragma once
// The JSON answer of POST /v1/tree/commands (docs/control-api.md): what a locally applied command
// did. The commands themselves are read by omadm/shell/command_json.hpp.

#include "omadm/session/command_handler.hpp"

#include <boost/json/object.hpp>

namespace omadm::client {

/// {"cmd":…,"target":…,"code":N,"results":[{"source","format","type","data"}],"members":[…]}; an
/// Atomic/Sequence member without an outcome reads 500.
[[nodiscard]] boost::json::object outcome_to_json(const syncml::Command& command,
                                                  const session::CommandOutcome& outcome);

} // namespace omadm::client
