#pragma once
// The client control API routes (docs/control-api.md, client section).

#include "device.hpp"
#include "device_clock.hpp"
#include "omadm/shell/router.hpp"
#include "session_runner.hpp"

#include <functional>

namespace omadm::client {

struct ClientRouteDeps {
    Device& device;
    DeviceClock& clock;
    shell::EventBus& events;
    SessionRunner& sessions;
    std::function<void()> clock_moved; ///< re-arms the device's timer after the clock moved
    std::function<void()> request_stop;
};

void add_client_routes(shell::Router& router, ClientRouteDeps deps);

} // namespace omadm::client
