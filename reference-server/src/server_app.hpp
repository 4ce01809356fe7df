#pragma once
// Assembles the reference server from its parts and runs it: options and config, state store,
// event bus, control API, DM endpoint, READY line, signals, graceful stop. main() only calls run_server.

#include "dm_session_handler.hpp"

#include <span>
#include <string_view>

namespace omadm::server {

/// Runs until SIGTERM/SIGINT or POST /v1/shutdown. Returns the process exit code (0, 2 or 3).
/// `factory` builds the DM session handlers; null means the ServerSession engine (EngineSessionFactory).
[[nodiscard]] int run_server(std::span<const std::string_view> args,
                             DmSessionHandlerFactory* factory = nullptr);

} // namespace omadm::server
