#pragma once
// HTTP/1.1 server on Beast and Asio coroutines, plain or TLS. Accepts HTTP/1.0 and header names in
// any case (Beast's parser), keeps connections alive when the client asks, answers 413 to bodies
// over the limit and 400 to malformed requests, closes idle connections at the timeout, and stops
// gracefully: stop() closes the acceptor and every open connection.
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

struct HttpServerOptions {
    std::string name = "http";                        // for log lines
    std::size_t max_body_bytes = 1024 * 1024;          // larger bodies get 413
    std::size_t max_header_bytes = 16 * 1024;          // larger headers get 431
    std::chrono::milliseconds io_timeout{30'000};      // per read or write (idle keep-alive included)
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

}  // namespace omadm::shell
