#pragma once
// The DM endpoint: POST of application/vnd.syncml.dm+xml or +wbxml (and the DS types), other types
// 415. It runs http body -> syncml::decode -> DmSessionHandler -> syncml::encode -> http body,
// records every message in the wire trace, the transcript store and the event stream.

#include "dm_session_handler.hpp"
#include "omadm/base/clock.hpp"
#include "omadm/shell/event_bus.hpp"
#include "omadm/shell/http_server.hpp"
#include "omadm/shell/http_types.hpp"
#include "omadm/shell/wire_trace.hpp"
#include "omadm/syncml/codec.hpp"
#include "server_faults.hpp"
#include "server_store.hpp"

#include <map>
#include <memory>
#include <optional>

namespace omadm::server {

/// Throttling of credential guesses, per device (SyncHdr Source LocURI): after `free_failures`
/// refused attempts in a row, the device's requests get HTTP 429 for `first_delay`, doubled with
/// every further refused attempt up to `max_delay`; an accepted authentication clears the count.
struct AuthThrottle {
    unsigned free_failures = 5;
    base::Duration first_delay = std::chrono::seconds(1);
    base::Duration max_delay = std::chrono::seconds(60);
    std::size_t max_devices = 4096; // devices tracked at once (memory bound)
};

struct DmEndpointDeps {
    ServerStore& store;
    shell::EventBus& events;
    const base::Clock& clock;
    shell::WireTrace* wire_trace = nullptr; // null without --wire-trace
    syncml::Limits limits{};
    std::string_view scheme = "http"; // of the DM listener: the RespURI the server hands out
    AuthThrottle throttle{};
    const ServerFaults* faults = nullptr; // deliberately faulty modes (wbxml_version_mismatch); null: none
    bool require_account = false;         // a device without a DM account gets 403, and no record
};

class DmEndpoint {
public:
    DmEndpoint(DmEndpointDeps deps, DmSessionHandlerFactory& factory) : deps_(deps), factory_(factory) {}

    /// Answers one HTTP request of the DM port.
    [[nodiscard]] shell::Response handle(const shell::Request& req);

    [[nodiscard]] std::size_t active_sessions() const noexcept { return sessions_.size(); }

    /// A request the HTTP server refused before it reached handle() (body over dm_max_body_bytes,
    /// truncated or malformed request, failed TLS handshake): published as dm_request_rejected.
    void on_transport_rejected(const shell::TransportRejection& rejection);

    /// The earliest deadline of the active sessions (nullopt: none waits for anything).
    [[nodiscard]] std::optional<base::TimePoint> next_deadline() const;
    /// Ends the sessions whose deadline is past `now` (abandoned by their client): session_ended
    /// with the handler's reason (timeout), recorded in the store.
    void expire(base::TimePoint now);

private:
    struct ActiveSession {
        std::unique_ptr<DmSessionHandler> handler;
        SessionRecord record;
        /// The record takes what the handler settled so far: its authentication scheme and VerProto.
        void settle_record() {
            record.auth = handler->auth_scheme();
            record.ver_proto = handler->ver_proto();
        }
    };
    [[nodiscard]] shell::Response reject(const shell::Request& req, shell::http::status status,
                                         std::string_view code, std::string detail);
    /// The session of `key`: the active one, or a new one (also for a `package1` that reuses the
    /// SessionID of an active session, which then ends as superseded).
    [[nodiscard]] ActiveSession* session_for(const DmSessionKey& key, bool package1);
    /// scheme://Host/path of the request: where the session's RespURI points.
    [[nodiscard]] std::string resp_uri_base(const shell::Request& req) const;
    void end(const DmSessionKey& key, ActiveSession& s, const std::string& reason);
    /// With require_account: 403 for a device without a DM account (503 when the store fails), else
    /// nullopt.
    [[nodiscard]] std::optional<shell::Response> refuse_unknown_device(const shell::Request& req,
                                                                       const std::string& device);
    /// Ends the session the handler closed with `out` (Disposition::End), records it, drops it.
    void close(std::map<DmSessionKey, ActiveSession>::iterator it, const DmOutbound& out);
    /// A body that cannot be decoded but is an active session's (DmSessionHandler::addressed_by):
    /// that session ends.
    void end_addressed_session(const shell::Request& req, const std::string& detail);
    /// The reply in the request's WBXML version and public-id form.
    [[nodiscard]] base::Result<std::string>
    encode_wbxml_reply(const shell::Request& req, const syncml::Message& reply, const DmSessionKey& key);
    void record(ActiveSession& s, shell::WireDirection dir, syncml::Encoding enc, std::string_view bytes,
                const syncml::Message& msg);

    struct Guesses {
        unsigned failures = 0;
        base::TimePoint blocked_until{};
    };
    /// When `device` may authenticate again (nullopt: now).
    [[nodiscard]] std::optional<base::TimePoint> blocked(const std::string& device,
                                                         base::TimePoint now) const;
    void count_guesses(const std::string& device, const DmOutbound& out, base::TimePoint now);

    DmEndpointDeps deps_;
    DmSessionHandlerFactory& factory_;
    std::map<DmSessionKey, ActiveSession> sessions_;
    std::map<std::string, Guesses> guesses_;
};

} // namespace omadm::server
