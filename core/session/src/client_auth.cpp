#include "client_auth.hpp"

#include "omadm/auth/credentials.hpp"
#include "wire.hpp"

namespace omadm::session::detail {
ClientAuth::ClientAuth(const ClientConfig& cfg)
    : cfg_(&cfg), scheme_(cfg.account.scheme), nonce_(cfg.account.nonce_b64) {}

bool ClientAuth::begin_attempt() noexcept {
    if (attempts_ >= cfg_->max_auth_attempts) return false;
    ++attempts_;
    return true;
}

std::optional<syncml::Cred> ClientAuth::cred() const {
    if (!send_cred_) return std::nullopt;
    const auto& a = cfg_->account;
    syncml::Cred c;
    c.meta.format = "b64";
    switch (scheme_) {
    case AuthScheme::None:
    case AuthScheme::Hmac:
        return std::nullopt;
    case AuthScheme::Basic:
        c.data = auth::basic_credential(a.user, a.password);
        break;
    case AuthScheme::Md5:
        c.data = auth::md5_credential(a.user, a.password, nonce_bytes(nonce_));
        break;
    }
    c.meta.type = std::string(auth_type(scheme_));
    return c;
}

std::optional<MacKey> ClientAuth::mac_key() const {
    if (scheme_ != AuthScheme::Hmac) return std::nullopt;
    return MacKey{cfg_->account.user, cfg_->account.password, nonce_};
}

bool ClientAuth::verify_server(const Inbound& in, Step& step) {
    const auto& a = cfg_->account;
    if (!a.verify_server) return true;
    const auto& hdr = in.message.hdr;
    bool ok = server_verified_;
    std::string what = "no server credentials";
    if (in.hmac_header) {
        server_scheme_ = AuthScheme::Hmac;
        auto parsed = auth::parse_hmac_header(*in.hmac_header);
        ok = parsed && parsed->username == a.server_user &&
             auth::verify_hmac_mac(parsed->mac, a.server_user, a.server_password, a.server_nonce_b64, in.body,
                                   cfg_->accepted_nonce_forms);
        what = "x-syncml-hmac of the server does not verify";
    } else if (hdr.cred) {
        const auto type = hdr.cred->meta.type.value_or("");
        server_scheme_ = auth_scheme_from_type(type).value_or(AuthScheme::None);
        if (type == auth::kAuthBasic) {
            auto id = auth::parse_basic_credential(hdr.cred->data);
            ok = id && id->user == a.server_user && id->password == a.server_password;
        } else if (type == auth::kAuthMd5) {
            ok = auth::verify_md5_credential(hdr.cred->data, a.server_user, a.server_password,
                                             a.server_nonce_b64, cfg_->accepted_nonce_forms);
        } else {
            ok = false;
        }
        what = "server Cred does not verify";
    }
    if (ok) {
        server_verified_ = true;
        return true;
    }
    step.events.emplace_back(event::AuthFailed{AuthScheme::None, StatusCode::InvalidCredentials, 1, what});
    step.findings.push_back(
        Finding{req::MgmtPolicyMO_ATHEN_1, what, Evidence{hdr.msg_id, std::nullopt, "SyncHdr/Cred"}});
    return false;
}

std::optional<syncml::Chal> ClientAuth::server_challenge(bool refused, Step& step) {
    const auto& a = cfg_->account;
    if (!a.verify_server || a.next_server_nonce_b64.empty() || server_nonce_issued_) return std::nullopt;
    // A server that sent nothing is asked for the scheme the account itself uses.
    const AuthScheme scheme = server_scheme_ != AuthScheme::None ? server_scheme_ : a.scheme;
    // Under HMAC every server message is verified on the nonce the session began with: a new one
    // goes out only with a refusal, which ends the session.
    if (scheme != AuthScheme::Md5 && !(refused && scheme == AuthScheme::Hmac)) return std::nullopt;
    server_nonce_issued_ = true;
    syncml::Chal chal;
    chal.meta.type = std::string(auth_type(scheme));
    chal.meta.format = "b64";
    chal.meta.next_nonce = a.next_server_nonce_b64;
    step.events.emplace_back(event::NonceIssued{NonceRole::ServerCredential, a.next_server_nonce_b64});
    return chal;
}

void ClientAuth::take_nonce(const std::optional<syncml::Chal>& chal, Step& step) {
    if (!chal || !chal->meta.next_nonce) return;
    nonce_ = *chal->meta.next_nonce;
    // A challenge from a server that has not proved who it is may build this session's Cred, but
    // never replaces the stored nonce (OMA-TS-DM_Security 5.1.3): only a verified one is kept.
    if (server_trusted()) step.events.emplace_back(event::NonceIssued{NonceRole::ClientCredential, nonce_});
}

bool ClientAuth::server_trusted() const noexcept {
    return !cfg_->account.verify_server || server_verified_;
}

ClientAuth::Verdict ClientAuth::on_header_status(const syncml::Status* status, MsgId msg_id, Step& step) {
    if (status == nullptr) return Verdict::Proceed;
    switch (status->code) {
    case StatusCode::AuthenticationAccepted:
    case StatusCode::Ok:
        if (!authenticated_ && scheme_ != AuthScheme::None) {
            step.events.emplace_back(event::Authenticated{scheme_, cfg_->account.user, status->code});
        }
        authenticated_ = true;
        // 212: authenticated for the session; 200: credentials again in the next message.
        send_cred_ = status->code == StatusCode::Ok;
        take_nonce(status->chal, step);
        return Verdict::Proceed;
    case StatusCode::InvalidCredentials:
    case StatusCode::MissingCredentials: {
        authenticated_ = false;
        send_cred_ = true;
        // A plain value and a flag rather than std::optional: GCC 12 at -O2 reports a false
        // maybe-uninitialized on an optional enum here.
        AuthScheme requested = scheme_;
        bool known = false;
        if (status->chal && status->chal->meta.type) {
            if (const auto parsed = auth_scheme_from_type(*status->chal->meta.type)) {
                requested = *parsed;
                known = true;
            }
        }
        step.events.emplace_back(event::AuthFailed{requested, status->code, attempts_,
                                                   status->chal ? "challenged" : "refused without Chal"});
        if (!status->chal || !known) return Verdict::Fail;
        if (is_downgrade(cfg_->account.scheme, requested) && !cfg_->answer_weaker_challenge) {
            // The password never goes out under a weaker scheme than the account's, whoever asks.
            const std::string what = "server challenged for " + std::string(auth_scheme_name(requested)) +
                                     ", weaker than the account's " +
                                     std::string(auth_scheme_name(cfg_->account.scheme));
            step.events.emplace_back(event::AuthFailed{requested, status->code, attempts_, what});
            step.findings.push_back(Finding{req::MgmtPolicyMO_ATHEN_1, what,
                                            Evidence{msg_id, status->cmd_id, "SyncBody/Status[1]/Chal"}});
            return Verdict::Fail;
        }
        scheme_ = requested;
        take_nonce(status->chal, step);
        return Verdict::Retry;
    }
    case StatusCode::ProtocolVersionNotSupported:
        return Verdict::VersionRefused;
    default:
        break;
    }
    return base::is_success(status->code) ? Verdict::Proceed : Verdict::Error;
}

} // namespace omadm::session::detail
