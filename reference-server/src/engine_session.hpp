#pragma once
// The DM session handlers built on omadm::session::ServerSession. Per device: the account from the
// store (user, password, scheme, nonces persisted as the engine issues them), the queued batches
// enqueued when the session starts, Status/Results recorded per ticket, Generic Alerts recorded and
// answered, findings and session ends reported as events (docs/events.md).

#include "dm_session_handler.hpp"
#include "omadm/base/random.hpp"
#include "omadm/shell/event_bus.hpp"
#include "server_config.hpp"
#include "server_faults.hpp"
#include "server_store.hpp"

namespace omadm::server {

struct EngineDeps {
    ServerStore& store;
    shell::EventBus& events;
    base::Random& random;
    const ServerConfig& config;
    const ServerFaults* faults = nullptr; // deliberately faulty modes; null: none
};

class EngineSessionFactory final : public DmSessionHandlerFactory {
public:
    explicit EngineSessionFactory(EngineDeps deps) : deps_(deps) {}
    /// A handler for any device: with no account in the store the session requires no credentials.
    [[nodiscard]] std::unique_ptr<DmSessionHandler> create(const DmSessionKey& key) override;

private:
    EngineDeps deps_;
};

} // namespace omadm::server
