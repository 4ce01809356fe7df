#pragma once
// HTTP/1.1 server on Beast and Asio coroutines, plain or TLS. Accepts HTTP/1.0 and header names in
// any case (Beast's parser), keeps connections alive when the client asks, answers 413 to bodies
// over the limit and 400 to malformed requests, closes idle connections at the timeout, and stops
// gracefully: stop() closes the acceptor and every open connection. What it does with the bytes it
// reads is RequestReader's (http_request_reader.hpp, sans-IO).
//
// Threading: one thread runs the io_context; stop() may be called from any thread.

#include "omadm/base/result.hpp"
#include "omadm/shell/endpoint.hpp"
#include "omadm/shell/http_types.hpp"
#include "omadm/shell/tls.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>
#include <string>

namespace omadm::shell {

using RequestHandler = std::function<boost::asio::awaitable<Response>(const Request&)>;

/// A request or connection refused by the transport before it reached the handler: a body over the
/// limit (413), headers over the limit (431), a malformed or truncated request (400), a failed TLS
/// handshake (no HTTP answer: `http_status` 0).
struct TransportRejection {
    unsigned http_status = 0; // the status answered, 0 when none could be
    std::string error;        // payload_too_large, headers_too_large, chunk_header_too_large,
                              // bad_request, truncated_body, tls_handshake_failed
    std::string detail;       // the parser's or OpenSSL's reason
    bool answered = false;    // the answer was written (false: the peer had gone)
};
using RejectionHandler = std::function<void(const TransportRejection&)>;

struct HttpServerOptions {
    std::string name = "http";                    // for log lines
    std::size_t max_body_bytes = 1024 * 1024;     // larger bodies get 413
    std::size_t max_header_bytes = 16 * 1024;     // larger headers get 431
    std::chrono::milliseconds io_timeout{30'000}; // per read or write (idle keep-alive included)
    RejectionHandler on_rejected = nullptr;       // optional; called on the io_context's thread
};

class HttpServer {
public:
    /// `tls` null means plain HTTP.
    HttpServer(boost::asio::io_context& ioc, RequestHandler handler, HttpServerOptions options,
               std::shared_ptr<TlsContext> tls = nullptr);
    HttpServer(const HttpServer&) = delete;
    HttpServer& operator=(const HttpServer&) = delete;
    ~HttpServer();

    /// Binds and listens; returns the bound endpoint (the actual port when 0 was asked).
    [[nodiscard]] base::Result<Endpoint> listen(const Endpoint& where);
    /// Starts accepting (after listen()).
    void start();
    /// Closes the acceptor and all connections. Idempotent.
    void stop();

    [[nodiscard]] Scheme scheme() const noexcept;
    [[nodiscard]] std::size_t open_connections() const noexcept;

    struct Impl;

private:
    std::shared_ptr<Impl> impl_;
};

} // namespace omadm::shell
