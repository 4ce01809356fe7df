#pragma once
// The omadm-ref-client process: command line, state, the device, its DM sessions, the Package 0
// listeners (UDP, and POST /pkg0 on the DM endpoint) and the control API of docs/control-api.md.

#include <span>
#include <string_view>

namespace omadm::client {

/// Runs the binary; returns the process exit code (0, 2 usage/config, 3 runtime).
int run_client(std::span<const std::string_view> args);

} // namespace omadm::client
