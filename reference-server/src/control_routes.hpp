#pragma once
// The server's control API (docs/control-api.md): health, events, shutdown, device accounts,
// command batches, alerts, sessions, transcripts, Package 0 notification and the deliberately
// faulty modes (faults).

#include "omadm/shell/event_bus.hpp"
#include "omadm/shell/router.hpp"
#include "omadm/shell/wire_trace.hpp"
#include "server_config.hpp"
#include "server_faults.hpp"
#include "server_store.hpp"

#include <functional>

namespace omadm::server {

struct ControlDeps {
    ServerStore& store;
    shell::EventBus& events;
    const ServerConfig& config;
    shell::WireTrace* wire_trace = nullptr;
    std::function<void()> request_stop;             // POST /v1/shutdown
    std::function<std::uint16_t()> next_session_id; // Package 0 session ids, 0x1000..0xFFFF
    ServerFaults& faults;                           // GET/PUT /v1/faults; read by the policy flows
};

void add_control_routes(shell::Router& router, ControlDeps deps);
/// The /v1/devices/{dev}/policies flows (policy_routes.cpp).
void add_policy_routes(shell::Router& router, ControlDeps deps);
/// POST /v1/devices/{dev}/notify (notify_route.cpp).
void add_notify_route(shell::Router& router, ControlDeps deps);

} // namespace omadm::server
