#pragma once
// HTTP client for the device's DM sessions and for tests: one request per connection
// (Connection: close), plain or TLS, with an overall deadline.

#include "omadm/base/result.hpp"
#include "omadm/shell/endpoint.hpp"
#include "omadm/shell/http_types.hpp"
#include "omadm/shell/tls.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

namespace omadm::shell {

struct HttpClientOptions {
    std::shared_ptr<TlsContext> tls;           // null: plain HTTP
    std::string tls_server_name;               // SNI and host-name check; empty: none
    std::chrono::milliseconds timeout{10'000}; // connect + write + read
    std::size_t max_body_bytes = 8 * 1024 * 1024;
};

/// Builds a request with Host, User-Agent, Content-Type (when a body is given) and Content-Length.
[[nodiscard]] Request make_request(http::verb method, std::string_view target, const Endpoint& host,
                                   std::string_view content_type = {}, std::string body = {});

/// Sends `req` and reads the response. Errors: http_error (connect/read/write), tls_error, timeout.
boost::asio::awaitable<base::Result<Response>>
http_exchange(boost::asio::any_io_executor executor, Endpoint to, Request req, HttpClientOptions options);

/// The same on a private io_context, blocking the calling thread (tests and simple tools).
[[nodiscard]] base::Result<Response> http_exchange_blocking(const Endpoint& to, Request req,
                                                            const HttpClientOptions& options = {});

} // namespace omadm::shell
