#pragma once
// Drives a ClientSession and a ServerSession against each other in-process, the way the two shells
// would over HTTP: every client message gets exactly one server reply. Every message goes through
// syncml::encode and syncml::decode in the chosen encoding; x-syncml-hmac is computed over the exact
// encoded bytes, which a test can tamper with before they are decoded.

#include "omadm/session/client_session.hpp"
#include "omadm/session/server_session.hpp"
#include "omadm/syncml/codec.hpp"

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

namespace omadm::session::testing {

/// One message as it travels: the encoded body, and the message the receiver decodes from it.
struct Wire {
    std::string body;
    syncml::Message message;
};

/// Encodes `m` and decodes the bytes again, as the sending and the receiving shell would.
inline Wire on_the_wire(const syncml::Message& m, syncml::Encoding enc) {
    Wire w;
    w.body = syncml::encode(m, enc).value();
    w.message = syncml::decode(w.body, enc).value();
    return w;
}

struct Delivery {
    std::size_t index = 0; // 0-based count of messages delivered so far, both directions
    bool to_server = true;
    const syncml::Message* message = nullptr;
};

class Exchange {
public:
    Exchange(ClientSession& client, ServerSession& server, syncml::Encoding enc = syncml::Encoding::Xml)
        : client_(client), server_(&server), enc_(enc) {}

    /// Called before each delivery with the body and header that will be delivered; may change them.
    std::function<void(const Delivery&, std::string& body, std::optional<std::string>& hmac)> tamper;
    /// When set, the delivery with this index fails in transport: both engines are told.
    std::optional<std::size_t> fail_at;
    /// When set, a client message that arrives after the server session ended starts a new server
    /// session from this factory (the server shell does so for a new Package 1).
    std::function<ServerSession&()> next_server;

    Exchange& run(std::size_t max_messages = 64) {
        auto step = client_.start(now_);
        absorb(step, client_steps_);
        std::vector<Outbound> pending = std::move(step.send);
        while (!pending.empty() && delivered_ < max_messages) {
            Outbound out = std::move(pending.front());
            pending.erase(pending.begin());
            if (fail_now()) return *this;
            to_server.push_back(out.message);
            if (next_server && server_->state() == ServerState::Ended) server_ = &next_server();
            const auto in = inbound(out, true);
            if (!in) {
                absorb_end(server_->on_transport_error("undecodable body", now_), server_end);
                absorb_end(client_.on_transport_error("no reply", now_), client_end);
                return *this;
            }
            auto sstep = server_->on_message(*in, now_);
            absorb(sstep, server_steps_);
            for (auto& reply : sstep.send) {
                if (fail_now()) return *this;
                to_client.push_back(reply.message);
                const auto rin = inbound(reply, false);
                if (!rin) {
                    absorb_end(client_.on_transport_error("undecodable body", now_), client_end);
                    return *this;
                }
                auto cstep = client_.on_message(*rin, now_);
                absorb(cstep, client_steps_);
                for (auto& next : cstep.send)
                    pending.push_back(std::move(next));
            }
        }
        return *this;
    }

    template <class E> [[nodiscard]] std::vector<E> client_events() const {
        return events_of<E>(client_steps_);
    }
    template <class E> [[nodiscard]] std::vector<E> server_events() const {
        return events_of<E>(server_steps_);
    }
    [[nodiscard]] std::vector<Finding> server_findings() const { return findings_of(server_steps_); }
    [[nodiscard]] std::vector<Finding> client_findings() const { return findings_of(client_steps_); }

    std::optional<SessionEnd> client_end;
    std::optional<SessionEnd> server_end;
    std::vector<syncml::Message> to_server;
    std::vector<syncml::Message> to_client;

private:
    bool fail_now() {
        if (!fail_at || *fail_at != delivered_) return false;
        absorb_end(client_.on_transport_error("injected", now_), client_end);
        absorb_end(server_->on_transport_error("injected", now_), server_end);
        return true;
    }
    static void absorb_end(const Step& s, std::optional<SessionEnd>& end) {
        if (s.end) end = s.end;
    }
    void absorb(const Step& s, std::vector<Step>& log) {
        if (s.end) (&log == &client_steps_ ? client_end : server_end) = s.end;
        log.push_back(s);
    }
    /// Encodes, signs, lets the test tamper, then decodes what the receiver gets; nullopt when the
    /// (tampered) bytes do not decode.
    std::optional<Inbound> inbound(const Outbound& out, bool to_server_side) {
        auto encoded = syncml::encode(out.message, enc_);
        if (!encoded) return std::nullopt;
        bodies_.push_back(std::move(*encoded));
        std::optional<std::string> hmac;
        if (out.mac) hmac = hmac_header_value(*out.mac, bodies_.back()).value();
        if (tamper) tamper(Delivery{delivered_, to_server_side, &out.message}, bodies_.back(), hmac);
        ++delivered_;
        headers_.push_back(std::move(hmac));
        auto decoded = syncml::decode(bodies_.back(), enc_);
        if (!decoded) return std::nullopt;
        received_.push_back(std::move(*decoded));
        std::optional<std::string_view> h;
        if (headers_.back()) h = *headers_.back();
        targets_.push_back(to_server_side ? out.destination : std::string());
        return Inbound{received_.back(), bodies_.back(), h, targets_.back()};
    }
    template <class E> static std::vector<E> events_of(const std::vector<Step>& steps) {
        std::vector<E> out;
        for (const auto& s : steps) {
            for (const auto& e : s.events) {
                if (const auto* x = std::get_if<E>(&e)) out.push_back(*x);
            }
        }
        return out;
    }
    static std::vector<Finding> findings_of(const std::vector<Step>& steps) {
        std::vector<Finding> out;
        for (const auto& s : steps)
            out.insert(out.end(), s.findings.begin(), s.findings.end());
        return out;
    }

    ClientSession& client_;
    ServerSession* server_;
    syncml::Encoding enc_;
    base::TimePoint now_{};
    std::size_t delivered_ = 0;
    std::deque<std::string> bodies_;
    std::deque<std::optional<std::string>> headers_;
    std::deque<std::string> targets_; // where each client message was posted (server URI or RespURI)
    std::deque<syncml::Message> received_;
    std::vector<Step> client_steps_;
    std::vector<Step> server_steps_;
};

/// The server's URI and the device's id in the configurations below.
inline constexpr const char* kServerUri = "https://dm.example.com/dm";
inline constexpr const char* kDeviceId = "IMEI:493005100592800";

inline ClientConfig client_config(AuthScheme scheme = AuthScheme::None) {
    ClientConfig c;
    c.account.server_uri = kServerUri;
    c.account.server_id = base::ServerId{"dmserver"};
    c.account.user = "dmclient";
    c.account.password = "secret";
    c.account.scheme = scheme;
    c.account.verify_server = false; // the server's credentials have tests of their own
    c.dev_info = DevInfo{kDeviceId, "Acme", "Phone1", "1.3", "en-US", {}};
    c.session_id = base::SessionId{"1A2B"};
    return c;
}

inline ServerConfig server_config(AuthScheme scheme = AuthScheme::None) {
    ServerConfig s;
    s.server_uri = kServerUri;
    s.required_scheme = scheme;
    s.client_user = "dmclient";
    s.client_password = "secret";
    return s;
}

/// A client of `scheme` that verifies the server (dmserver / srvsecret).
inline ClientConfig verifying_client_config(AuthScheme scheme) {
    ClientConfig c = client_config(scheme);
    c.account.verify_server = true;
    c.account.server_user = "dmserver";
    c.account.server_password = "srvsecret";
    return c;
}

/// A server of `scheme` that presents its own credentials in that scheme with `server_password`.
inline ServerConfig presenting_server_config(AuthScheme scheme, std::string server_password = "srvsecret") {
    ServerConfig s = server_config(scheme);
    s.server_scheme = scheme;
    s.server_user = "dmserver";
    s.server_password = std::move(server_password);
    return s;
}

} // namespace omadm::session::testing
