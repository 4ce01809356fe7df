// libFuzzer target: a sequence of server messages (see session_sequence_fuzz.hpp) into a
// ClientSession that verifies the server (md5). Besides not crashing: no command reaches the
// device before a message carried server credentials that verify (OMA-TS-DM_Security 5.1.3).
#include "omadm/auth/credentials.hpp"
#include "omadm/session/client_session.hpp"
#include "session_sequence_fuzz.hpp"

#include <cstdlib>

using namespace omadm;

namespace {

constexpr std::string_view kServerUser = "dmserver";
constexpr std::string_view kServerPassword = "srvsecret";

class CountingHandler final : public session::CommandHandler {
public:
    session::CommandOutcome handle(const syncml::Command&, const session::CommandContext&) override {
        ++executed;
        return {};
    }
    int executed = 0;
};

bool carries_server_credentials(const syncml::Message& m) {
    if (!m.hdr.cred) return false;
    const auto type = m.hdr.cred->meta.type.value_or("");
    if (type == auth::kAuthMd5)
        return auth::verify_md5_credential(m.hdr.cred->data, kServerUser, kServerPassword, "");
    if (type == auth::kAuthBasic) {
        const auto id = auth::parse_basic_credential(m.hdr.cred->data);
        return id && id->user == kServerUser && id->password == kServerPassword;
    }
    return false;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    session::ClientConfig cfg;
    cfg.account.server_uri = "https://dm.example.com/dm";
    cfg.account.server_id = base::ServerId{"dmserver"};
    cfg.account.user = "dmclient";
    cfg.account.password = "secret";
    cfg.account.scheme = session::AuthScheme::Md5;
    cfg.account.verify_server = true;
    cfg.account.server_user = std::string(kServerUser);
    cfg.account.server_password = std::string(kServerPassword);
    cfg.dev_info = session::DevInfo{"IMEI:1", "Acme", "Phone", "1.3", "en-US", {}};
    CountingHandler device;
    session::ClientSession client(cfg, device);
    base::TimePoint now{};
    (void)client.start(now);
    bool verified = false;
    for (const auto bytes : fuzz::split_messages(data, size)) {
        const auto msg = syncml::decode_xml(bytes);
        if (!msg) continue;
        verified = verified || carries_server_credentials(*msg);
        const auto step = client.on_message(session::Inbound{*msg, bytes, std::nullopt, {}}, now);
        if (device.executed > 0 && !verified) std::abort();
        for (const auto& out : step.send)
            (void)syncml::encode_xml(out.message);
        now += std::chrono::seconds(1);
        if (client.state() == session::ClientState::Ended) break;
    }
    return 0;
}
