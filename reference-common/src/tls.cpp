#include "omadm/shell/tls.hpp"

#include "omadm/shell/shell_errc.hpp"

namespace omadm::shell {

namespace ssl = boost::asio::ssl;

base::Result<std::shared_ptr<TlsContext>> make_server_tls_context(const std::filesystem::path& cert_pem,
                                                                  const std::filesystem::path& key_pem) {
    auto ctx = std::make_shared<TlsContext>(ssl::context::tls_server);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use);
    boost::system::error_code ec;
    ctx->use_certificate_chain_file(cert_pem.string(), ec);
    if (ec)
        return base::make_error(ShellErrc::tls_error,
                                "--tls-cert " + cert_pem.string() + ": " + ec.message());
    ctx->use_private_key_file(key_pem.string(), ssl::context::pem, ec);
    if (ec)
        return base::make_error(ShellErrc::tls_error, "--tls-key " + key_pem.string() + ": " + ec.message());
    return ctx;
}

base::Result<std::shared_ptr<TlsContext>>
make_client_tls_context(PeerVerification verification, const std::optional<std::filesystem::path>& ca_pem) {
    auto ctx = std::make_shared<TlsContext>(ssl::context::tls_client);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    boost::system::error_code ec;
    if (verification == PeerVerification::None) {
        ctx->set_verify_mode(ssl::verify_none, ec);
        return ctx;
    }
    ctx->set_verify_mode(ssl::verify_peer, ec);
    if (ca_pem) {
        ctx->load_verify_file(ca_pem->string(), ec);
    } else {
        ctx->set_default_verify_paths(ec);
    }
    if (ec) return base::make_error(ShellErrc::tls_error, "CA certificates: " + ec.message());
    return ctx;
}

} // namespace omadm::shell
