#pragma once
// The seam between the DM endpoint (HTTP, codec, store, traces) and the server session engine.
// The endpoint decodes each request, finds the handler of its (device, SessionID), hands it the
// typed message and encodes what comes back in the request's encoding. One handler lives as long
// as its DM session; the endpoint drops it when it answers Disposition::End.

#include "omadm/base/clock.hpp"
#include "omadm/base/strong_id.hpp"
#include "omadm/syncml/codec.hpp"
#include "omadm/syncml/message.hpp"

#include <compare>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace omadm::server {

/// One DM session: the device (SyncHdr Source LocURI) and its SessionID.
struct DmSessionKey {
    std::string device;
    base::SessionId session_id;
    auto operator<=>(const DmSessionKey&) const = default;
};

/// A request as received: the decoded message plus what only the transport knows.
struct DmInbound {
    const syncml::Message& message;
    syncml::Encoding encoding;
    std::string_view raw_body;       // the exact bytes (x-syncml-hmac is computed over them)
    std::optional<std::string> hmac; // the x-syncml-hmac header, when present
    base::TimePoint now;
    std::string_view target;        // the HTTP request target the message was posted to
    std::string_view resp_uri_base; // absolute URI of this endpoint as the client reached it
};

struct HttpHeader {
    std::string name;
    std::string value;
};

/// The answer: a message to encode (in the request's encoding), or none (HTTP 204).
struct DmOutbound {
    enum class Disposition { Continue, End };
    std::optional<syncml::Message> reply;
    Disposition disposition = Disposition::Continue;
    std::string end_reason;     // with End: why the session ended (recorded in the store and events)
    unsigned auth_failures = 0; // authentication attempts this message made that were refused
    bool authenticated = false; // this message authenticated the client
};

class DmSessionHandler {
public:
    virtual ~DmSessionHandler() = default;
    [[nodiscard]] virtual DmOutbound on_message(const DmInbound& in) = 0;
    /// Headers for the encoded reply, e.g. x-syncml-hmac over its exact bytes.
    [[nodiscard]] virtual std::vector<HttpHeader> response_headers(std::string_view encoded_reply) {
        (void)encoded_reply;
        return {};
    }
    /// The authentication scheme the session settled on ("basic", "md5", "hmac", "none"), for the
    /// sessions listing.
    [[nodiscard]] virtual std::string auth_scheme() const { return "none"; }
    /// The VerProto of the session's accepted Package 1 (empty before).
    [[nodiscard]] virtual std::string ver_proto() const { return ""; }
    /// When the session gives up waiting for the client's next message (nullopt: never).
    [[nodiscard]] virtual std::optional<base::TimePoint> next_deadline() const { return std::nullopt; }
    /// Called once `now` is past next_deadline(): normally answers Disposition::End (reason timeout).
    [[nodiscard]] virtual DmOutbound on_timeout(base::TimePoint now) {
        (void)now;
        return {};
    }
    /// The client has left the session (a new Package 1 reuses its SessionID): the handler ends it,
    /// settling what it had sent, and answers Disposition::End.
    [[nodiscard]] virtual DmOutbound abandon(std::string reason, base::TimePoint now) {
        (void)now;
        return DmOutbound{std::nullopt, DmOutbound::Disposition::End, std::move(reason)};
    }
    /// True when a request whose body cannot be decoded is still this session's client's: its
    /// target carries the session's RespURI token, or its x-syncml-hmac verifies over the body.
    [[nodiscard]] virtual bool addressed_by(std::string_view target, std::string_view body,
                                            std::optional<std::string_view> hmac_header) const {
        (void)target;
        (void)body;
        (void)hmac_header;
        return false;
    }
    /// The session's client sent a message that cannot be decoded: the handler ends the session,
    /// settling what it had sent, and answers Disposition::End.
    [[nodiscard]] virtual DmOutbound on_undecodable(std::string detail, base::TimePoint now) {
        return abandon("undecodable message: " + std::move(detail), now);
    }
};

class DmSessionHandlerFactory {
public:
    virtual ~DmSessionHandlerFactory() = default;
    /// A handler for a session not seen before, or nullptr to refuse it (the endpoint answers 503).
    [[nodiscard]] virtual std::unique_ptr<DmSessionHandler> create(const DmSessionKey& key) = 0;
};

/// The factory used until the session engine is wired in: refuses every session.
class NoSessionEngine final : public DmSessionHandlerFactory {
public:
    [[nodiscard]] std::unique_ptr<DmSessionHandler> create(const DmSessionKey&) override { return nullptr; }
};

} // namespace omadm::server
