#pragma once
// The DM endpoint: POST of application/vnd.syncml.dm+xml or +wbxml (and the DS types), other types
// 415. It runs http body -> syncml::decode -> DmSessionHandler -> syncml::encode -> http body,
// records every message in the wire trace, the transcript store and the event stream.

#include "dm_session_handler.hpp"
#include "omadm/base/clock.hpp"
#include "omadm/shell/event_bus.hpp"
#include "omadm/shell/http_types.hpp"
#include "omadm/shell/wire_trace.hpp"
#include "omadm/syncml/codec.hpp"
#include "server_store.hpp"

#include <map>
#include <memory>

namespace omadm::server {

struct DmEndpointDeps {
    ServerStore& store;
    shell::EventBus& events;
    const base::Clock& clock;
    shell::WireTrace* wire_trace = nullptr;  // null without --wire-trace
    syncml::Limits limits{};
};

class DmEndpoint {
public:
    DmEndpoint(DmEndpointDeps deps, DmSessionHandlerFactory& factory) : deps_(deps), factory_(factory) {}

    /// Answers one HTTP request of the DM port.
    [[nodiscard]] shell::Response handle(const shell::Request& req);

    [[nodiscard]] std::size_t active_sessions() const noexcept { return sessions_.size(); }

private:
    struct ActiveSession {
        std::unique_ptr<DmSessionHandler> handler;
        SessionRecord record;
    };
    [[nodiscard]] shell::Response reject(const shell::Request& req, shell::http::status status, std::string_view code,
                                         std::string detail);
    [[nodiscard]] ActiveSession* session_for(const DmSessionKey& key);
    void record(ActiveSession& s, shell::WireDirection dir, syncml::Encoding enc, std::string_view bytes,
                const syncml::Message& msg);

    DmEndpointDeps deps_;
    DmSessionHandlerFactory& factory_;
    std::map<DmSessionKey, ActiveSession> sessions_;
};

}  // namespace omadm::server
