#pragma once
// The `finding` event both reference binaries publish (docs/events.md): one JSON form of a
// session engine's Finding, so the harness reads the server's and the device's findings alike.

#include "omadm/session/event.hpp"

#include <boost/json.hpp>

namespace omadm::shell {

/// {"requirement", "severity", "detail", "evidence": {"msg_id", "cmd_id", "location", "detail"}}.
[[nodiscard]] boost::json::object finding_json(const session::Finding& f);

} // namespace omadm::shell
