#pragma once
// DM commands as JSON (docs/control-api.md) to typed SyncML commands, and outcomes back to JSON.

#include "omadm/base/result.hpp"
#include "omadm/session/command_handler.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

namespace omadm::client {

/// {"cmd":"Add","target":…,"format":…,"type":…,"data":…} and the Exec, Copy, Atomic and Sequence
/// forms. Error bad_json naming the offending field.
[[nodiscard]] base::Result<syncml::Command> command_from_json(const boost::json::value& v);

/// {"cmd":…,"target":…,"code":N,"results":[{"source","format","type","data"}],"members":[…]}.
[[nodiscard]] boost::json::object outcome_to_json(const syncml::Command& command,
                                                  const session::CommandOutcome& outcome);

} // namespace omadm::client
