#include "server_auth.hpp"

#include "omadm/auth/credentials.hpp"
#include "wire.hpp"

#include <array>
#include <cstddef>

namespace omadm::session::detail {
namespace {

constexpr std::string_view kTokenParameter = "s";

/// 16 random bytes as hex: safe in a URI query without escaping.
std::string make_token(base::Random& random) {
    std::array<std::byte, 16> bytes{};
    random.fill(bytes);
    static constexpr char kHex[] = "0123456789abcdef";
    std::string out;
    for (const std::byte b : bytes) {
        out += kHex[std::to_integer<unsigned>(b) >> 4U];
        out += kHex[std::to_integer<unsigned>(b) & 0x0FU];
    }
    return out;
}

/// Compares without stopping at the first difference, so that the time taken does not tell how much
/// of a guessed token was right.
bool same_token(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    unsigned diff = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
        diff |= static_cast<unsigned>(static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
    }
    return diff == 0;
}

/// The value of `name` in the query of `uri` ("" when absent).
std::string_view query_value(std::string_view uri, std::string_view name) {
    const auto q = uri.find('?');
    if (q == std::string_view::npos) return {};
    std::string_view query = uri.substr(q + 1);
    while (!query.empty()) {
        const auto amp = query.find('&');
        const std::string_view pair = query.substr(0, amp);
        if (pair.size() > name.size() && pair.substr(0, name.size()) == name && pair[name.size()] == '=') {
            return pair.substr(name.size() + 1);
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return {};
}

} // namespace

ServerAuth::ServerAuth(const ServerConfig& cfg, base::Random& random)
    : cfg_(&cfg), random_(&random), nonce_(cfg.client_nonce_b64), server_nonce_(cfg.server_nonce_b64) {
    // Until the client authenticates, every nonce issued to it and not yet spent is valid: the one it
    // held when the session began, and the one of the latest challenge that refused it.
    for (const std::string* n : {&cfg.client_nonce_b64, &cfg.challenged_nonce_b64}) {
        if (!n->empty()) earlier_nonces_.push_back(*n);
    }
}

std::optional<StatusCode> ServerAuth::verify(const Inbound& in, std::string_view nonce,
                                             std::string& detail) const {
    const auto& hdr = in.message.hdr;
    const auto forms = std::span<const auth::NonceForm>(cfg_->accepted_nonce_forms);
    switch (cfg_->required_scheme) {
    case AuthScheme::None:
        return std::nullopt;
    case AuthScheme::Basic:
    case AuthScheme::Md5: {
        if (!hdr.cred) {
            detail = "no Cred in SyncHdr";
            return StatusCode::MissingCredentials;
        }
        const auto type = auth_scheme_from_type(hdr.cred->meta.type.value_or(std::string(auth::kAuthBasic)));
        if (type != cfg_->required_scheme) {
            detail = "Cred of type " + hdr.cred->meta.type.value_or("(none)");
            return StatusCode::InvalidCredentials;
        }
        bool ok = false;
        if (cfg_->required_scheme == AuthScheme::Basic) {
            auto id = auth::parse_basic_credential(hdr.cred->data);
            ok = id && id->user == cfg_->client_user && id->password == cfg_->client_password;
        } else {
            // The digest is checked against the account's user: deployed clients send Source
            // LocName in their first message only, or never; one that names another user fails.
            if (hdr.source.loc_name && *hdr.source.loc_name != cfg_->client_user) {
                detail = "Source LocName '" + *hdr.source.loc_name + "' is not the account's user";
                return StatusCode::InvalidCredentials;
            }
            ok = auth::verify_md5_credential(hdr.cred->data, cfg_->client_user, cfg_->client_password, nonce,
                                             forms);
        }
        if (ok) return std::nullopt;
        detail = "Cred does not verify";
        return StatusCode::InvalidCredentials;
    }
    case AuthScheme::Hmac: {
        if (!in.hmac_header) {
            detail = "no x-syncml-hmac header";
            return StatusCode::MissingCredentials;
        }
        auto parsed = auth::parse_hmac_header(*in.hmac_header);
        if (!parsed || parsed->username != cfg_->client_user ||
            !auth::verify_hmac_mac(parsed->mac, cfg_->client_user, cfg_->client_password, nonce, in.body,
                                   forms)) {
            detail = "x-syncml-hmac does not verify";
            return StatusCode::InvalidCredentials;
        }
        return std::nullopt;
    }
    }
    return std::nullopt;
}

ServerAuth::Decision ServerAuth::accept(StatusCode code, bool rotate, Step& step) {
    Decision d{true, code, std::nullopt};
    if (rotate) {
        nonce_ = auth::make_nonce_b64(*random_);
        d.chal = challenge();
        step.events.emplace_back(event::NonceIssued{NonceRole::ClientCredential, nonce_});
    }
    return d;
}

ServerAuth::Decision ServerAuth::refuse(StatusCode code, const std::string& detail, const Inbound& in,
                                        Step& step) {
    ++failures_;
    authenticated_ = false;
    step.events.emplace_back(event::AuthFailed{cfg_->required_scheme, code, failures_, detail});
    step.findings.push_back(Finding{req::MgmtPolicyMO_ATHEN_1, detail,
                                    Evidence{in.message.hdr.msg_id, std::nullopt, "SyncHdr/Cred"}});
    Decision d{false, code, std::nullopt};
    if (exhausted()) return d;
    if (cfg_->required_scheme != AuthScheme::Basic) {
        nonce_ = auth::make_nonce_b64(*random_);
        step.events.emplace_back(event::NonceIssued{NonceRole::ClientCredential, nonce_, true});
    }
    d.chal = challenge();
    return d;
}

ServerAuth::Decision ServerAuth::check(const Inbound& in, Step& step) {
    const AuthScheme scheme = cfg_->required_scheme;
    if (scheme == AuthScheme::None) return Decision{true, StatusCode::Ok, std::nullopt};
    if (authenticated_ && scheme != AuthScheme::Hmac) return Decision{true, StatusCode::Ok, std::nullopt};
    std::string detail;
    std::string used = nonce_;
    std::optional<StatusCode> failure = verify(in, nonce_, detail);
    for (auto it = earlier_nonces_.begin(); failure && it != earlier_nonces_.end(); ++it) {
        std::string ignored;
        if (*it == nonce_ || verify(in, *it, ignored)) continue;
        failure.reset();
        used = *it;
    }
    if (failure) return refuse(*failure, detail, in, step);
    earlier_nonces_.clear();
    if (!authenticated_)
        step.events.emplace_back(event::Authenticated{
            scheme, cfg_->client_user,
            scheme == AuthScheme::Hmac ? StatusCode::Ok : StatusCode::AuthenticationAccepted});
    if (!authenticated_ && scheme != AuthScheme::Hmac) {
        session_nonce_ = used;
        session_token_ = make_token(*random_);
    }
    authenticated_ = true;
    // md5: 212 plus the nonce for the next session; HMAC: 200 plus a new nonce for every message.
    if (scheme == AuthScheme::Hmac) return accept(StatusCode::Ok, true, step);
    return accept(StatusCode::AuthenticationAccepted, scheme == AuthScheme::Md5, step);
}

bool ServerAuth::foreign(const Inbound& in) const {
    const AuthScheme scheme = cfg_->required_scheme;
    if (!authenticated_ || scheme == AuthScheme::None || scheme == AuthScheme::Hmac) return false;
    if (same_token(query_value(in.target, kTokenParameter), session_token_)) return false;
    std::string detail;
    return verify(in, session_nonce_, detail).has_value() && verify(in, nonce_, detail).has_value();
}

ServerAuth::Decision ServerAuth::refuse_foreign(const Inbound& in, Step& step) const {
    std::string detail;
    const StatusCode code = verify(in, session_nonce_, detail).value_or(StatusCode::MissingCredentials);
    detail = "message for the authenticated session outside its RespURI, " + detail;
    step.events.emplace_back(event::AuthFailed{cfg_->required_scheme, code, failures_, detail});
    step.findings.push_back(Finding{req::MgmtPolicyMO_ATHEN_1, detail,
                                    Evidence{in.message.hdr.msg_id, std::nullopt, "SyncHdr/Cred"}});
    return Decision{false, code, challenge()};
}

bool ServerAuth::addressed_by(std::string_view target, std::string_view body,
                              std::optional<std::string_view> hmac_header) const {
    if (!authenticated_) return false;
    if (cfg_->required_scheme != AuthScheme::Hmac)
        return !session_token_.empty() && same_token(query_value(target, kTokenParameter), session_token_);
    if (!hmac_header) return false;
    const auto parsed = auth::parse_hmac_header(*hmac_header);
    return parsed && parsed->username == cfg_->client_user &&
           auth::verify_hmac_mac(parsed->mac, cfg_->client_user, cfg_->client_password, nonce_, body,
                                 cfg_->accepted_nonce_forms);
}

std::optional<std::string> ServerAuth::resp_uri() const {
    if (session_token_.empty()) return cfg_->resp_uri;
    std::string uri = cfg_->resp_uri.value_or(cfg_->server_uri);
    uri += uri.find('?') == std::string::npos ? '?' : '&';
    uri += kTokenParameter;
    uri += '=';
    uri += session_token_;
    return uri;
}

syncml::Chal ServerAuth::challenge() const {
    syncml::Chal chal;
    chal.meta.type = std::string(auth_type(cfg_->required_scheme));
    chal.meta.format = "b64";
    if (cfg_->required_scheme != AuthScheme::Basic) chal.meta.next_nonce = nonce_;
    return chal;
}

std::optional<syncml::Cred> ServerAuth::server_cred() {
    if (cred_sent_) return std::nullopt;
    syncml::Cred c;
    c.meta.format = "b64";
    switch (cfg_->server_scheme) {
    case AuthScheme::None:
    case AuthScheme::Hmac:
        return std::nullopt;
    case AuthScheme::Basic:
        c.data = auth::basic_credential(cfg_->server_user, cfg_->server_password);
        break;
    case AuthScheme::Md5:
        c.data = auth::md5_credential(cfg_->server_user, cfg_->server_password, nonce_bytes(server_nonce_));
        break;
    }
    c.meta.type = std::string(auth_type(cfg_->server_scheme));
    cred_sent_ = true;
    return c;
}

std::optional<MacKey> ServerAuth::mac_key() const {
    if (cfg_->server_scheme != AuthScheme::Hmac) return std::nullopt;
    return MacKey{cfg_->server_user, cfg_->server_password, server_nonce_};
}

bool ServerAuth::on_client_verdict(const syncml::Status& status, MsgId msg_id, Step& step) {
    if (cfg_->server_scheme == AuthScheme::None) return false;
    if (cfg_->follow_client_nonce && status.chal && status.chal->meta.next_nonce &&
        *status.chal->meta.next_nonce != server_nonce_) {
        server_nonce_ = *status.chal->meta.next_nonce;
        step.events.emplace_back(event::NonceIssued{NonceRole::ServerCredential, server_nonce_});
    }
    if (status.code != StatusCode::InvalidCredentials && status.code != StatusCode::MissingCredentials)
        return false;
    ++server_refusals_;
    cred_sent_ = false;
    const std::string detail = "the client refused the server's credentials (" +
                               std::to_string(base::to_int(status.code)) + " on the server's SyncHdr)";
    step.events.emplace_back(event::AuthFailed{cfg_->server_scheme, status.code, server_refusals_, detail});
    step.findings.push_back(Finding{req::MgmtPolicyMO_ATHEN_1, detail,
                                    Evidence{msg_id, status.cmd_id, "SyncBody/Status[CmdRef=0]"}});
    return true;
}

} // namespace omadm::session::detail
