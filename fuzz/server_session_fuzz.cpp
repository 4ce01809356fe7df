// libFuzzer target: a sequence of client messages (see session_sequence_fuzz.hpp) into a
// ServerSession that requires md5, posted alternately to the server URI and to the RespURI it
// hands out. Besides not crashing: nothing a client says is taken (no Status, Results or Generic
// Alert recorded) before the client authenticated, nor from a message without credentials posted
// elsewhere than the session's RespURI (OMA-TS-DM_Security 5.1.3); with claim_at_start, the engine
// asks for the session's commands only once the client authenticated.
#include "omadm/session/server_session.hpp"
#include "session_sequence_fuzz.hpp"

#include <cstdlib>
#include <string>
#include <variant>

using namespace omadm;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    session::ServerConfig cfg;
    cfg.server_uri = "https://dm.example.com/dm";
    cfg.required_scheme = session::AuthScheme::Md5;
    cfg.client_user = "dmclient";
    cfg.client_password = "secret";
    cfg.server_scheme = session::AuthScheme::Md5;
    cfg.server_user = "dmserver";
    cfg.server_password = "srvsecret";
    // Half the inputs run the engine as the reference server does: commands handed over only once
    // the client authenticated (claim_at_start), else queued before the session.
    cfg.claim_at_start = size % 2 == 0;
    base::SeededRandom random(1);
    session::ServerSession server(cfg, random);
    syncml::Replace replace;
    syncml::Item item;
    item.target = syncml::Location{"./X", std::nullopt};
    item.data = "1";
    replace.items.push_back(item);
    const bool claim = cfg.claim_at_start;
    if (!claim) (void)server.enqueue(replace);

    bool authenticated = false;
    std::string resp_uri = cfg.server_uri;
    base::TimePoint now{};
    int n = 0;
    for (const auto bytes : fuzz::split_messages(data, size)) {
        const auto msg = syncml::decode_xml(bytes);
        if (!msg) continue;
        const std::string target = (n++ % 2 == 0) ? cfg.server_uri : resp_uri;
        const bool stranger = authenticated && !msg->hdr.cred && target != resp_uri;
        auto step = server.on_message(session::Inbound{*msg, bytes, std::nullopt, target}, now);
        const auto check = [&](const session::Step& s) {
            for (const auto& e : s.events) {
                if (std::holds_alternative<session::event::Authenticated>(e)) authenticated = true;
                const bool taken = std::holds_alternative<session::event::CommandStatusReceived>(e) ||
                                   std::holds_alternative<session::event::ResultsReceived>(e) ||
                                   std::holds_alternative<session::event::GenericAlertReceived>(e);
                if (taken && (!authenticated || stranger)) std::abort();
            }
            for (const auto& out : s.send) {
                if (out.message.hdr.resp_uri) resp_uri = *out.message.hdr.resp_uri;
                (void)syncml::encode_xml(out.message);
            }
        };
        check(step);
        if (step.awaiting_commands) {
            if (!claim || !authenticated) std::abort(); // commands are asked for only after authentication
            (void)server.enqueue(replace);
            check(server.commands_claimed(now));
        }
        now += std::chrono::seconds(1);
        if (server.state() == session::ServerState::Ended) break;
    }
    return 0;
}
