#pragma once
// TLS contexts (OpenSSL through Asio). TLS 1.2 or later (docs/protocol-notes.md#tls).

#include "omadm/base/result.hpp"

#include <boost/asio/ssl/context.hpp>
#include <filesystem>
#include <memory>
#include <optional>

namespace omadm::shell {

using TlsContext = boost::asio::ssl::context;

/// Server context with the certificate chain and private key from PEM files.
[[nodiscard]] base::Result<std::shared_ptr<TlsContext>>
make_server_tls_context(const std::filesystem::path& cert_pem, const std::filesystem::path& key_pem);

enum class PeerVerification { Verify, None };

/// Client context. With Verify, `ca_pem` (or the system store when absent) must vouch for the peer.
[[nodiscard]] base::Result<std::shared_ptr<TlsContext>>
make_client_tls_context(PeerVerification verification,
                        const std::optional<std::filesystem::path>& ca_pem = std::nullopt);

} // namespace omadm::shell
