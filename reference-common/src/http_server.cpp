#include "omadm/shell/http_server.hpp"

#include "omadm/shell/http_request_reader.hpp"
#include "omadm/shell/log.hpp"
#include "omadm/shell/shell_errc.hpp"

#include <array>
#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <exception>
#include <map>

namespace omadm::shell {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

struct HttpServer::Impl {
    Impl(asio::io_context& io, RequestHandler h, HttpServerOptions o, std::shared_ptr<TlsContext> t)
        : ioc(io), handler(std::move(h)), options(std::move(o)), tls(std::move(t)), acceptor(io) {}

    asio::io_context& ioc;
    RequestHandler handler;
    HttpServerOptions options;
    std::shared_ptr<TlsContext> tls;
    tcp::acceptor acceptor;
    struct Connection {
        std::function<void()> close;
        bool idle = true; // waiting for a request (or in the TLS handshake): closed at once by stop()
    };
    // Touched on the io_context's thread only.
    std::map<std::uint64_t, Connection> closers;
    std::uint64_t next_connection = 1;
    bool stopping = false;
    std::atomic<std::size_t> open_count{0};

    std::uint64_t register_closer(std::function<void()> closer) {
        const auto id = next_connection++;
        closers.emplace(id, Connection{std::move(closer), true});
        open_count = closers.size();
        return id;
    }
    void unregister(std::uint64_t id) {
        closers.erase(id);
        open_count = closers.size();
    }
    void set_idle(std::uint64_t id, bool idle) {
        if (auto it = closers.find(id); it != closers.end()) it->second.idle = idle;
    }
    /// Busy connections finish their response (sent with Connection: close) and end by themselves.
    void do_stop() {
        if (stopping) return;
        stopping = true;
        boost::system::error_code ignored;
        acceptor.close(ignored);
        std::vector<std::function<void()>> idle_ones;
        for (auto& [id, c] : closers) {
            if (c.idle) idle_ones.push_back(c.close);
        }
        for (auto& close : idle_ones)
            close();
    }
};

namespace {

void log_exception(std::string_view what, std::exception_ptr e) {
    if (!e) return;
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        log::error(std::string(what) + ": " + ex.what());
    }
}

void report_rejection(const HttpServer::Impl& self, TransportRejection rejection) {
    log::debug(self.options.name + ": rejected (" + rejection.error + "): " + rejection.detail);
    if (!self.options.on_rejected) return;
    try {
        self.options.on_rejected(rejection);
    } catch (const std::exception& e) {
        log::error(self.options.name + ": rejection handler: " + e.what());
    }
}

/// After an error answer: stop sending and discard what the client still sends, so that closing does
/// not reset the connection before the client has read the answer.
template <class Stream> asio::awaitable<void> drain(Stream& stream) {
    boost::system::error_code ignored;
    auto& socket = beast::get_lowest_layer(stream).socket();
    socket.shutdown(tcp::socket::shutdown_send, ignored);
    std::array<char, 4096> sink{};
    std::size_t total = 0;
    beast::get_lowest_layer(stream).expires_after(std::chrono::milliseconds(500));
    while (total < 4 * 1024 * 1024) {
        auto [ec, n] =
            co_await socket.async_read_some(asio::buffer(sink), asio::as_tuple(asio::use_awaitable));
        if (ec) break;
        total += n;
    }
}

template <class Stream>
asio::awaitable<void> serve(HttpServer::Impl& self, std::uint64_t id, Stream& stream) {
    // The reader's buffer is bounded: the parser moves body bytes out of it, so only a head (within
    // the header limit), a chunk header and read-ahead ever sit there; an endless chunk extension
    // stops at the bound.
    RequestReader reader(HttpReadLimits{self.options.max_body_bytes, self.options.max_header_bytes});
    for (;;) {
        if (self.stopping) co_return;
        self.set_idle(id, true);
        beast::get_lowest_layer(stream).expires_after(self.options.io_timeout);
        while (reader.state() == RequestReader::State::reading) {
            auto [ec, n] =
                co_await stream.async_read_some(reader.prepare(), asio::as_tuple(asio::use_awaitable));
            if (ec == asio::error::eof) {
                reader.end_of_input();
            } else if (ec) {
                co_return; // timed out while idle or reading, reset, or the server is stopping
            } else {
                reader.commit(n);
            }
        }
        if (reader.state() == RequestReader::State::closed) co_return; // the peer closed between requests
        if (reader.state() == RequestReader::State::refused) {
            if (self.stopping) co_return;
            const auto& refusal = reader.refusal();
            auto res = refusal_response(refusal);
            beast::get_lowest_layer(stream).expires_after(self.options.io_timeout);
            auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
            (void)wn;
            report_rejection(self, TransportRejection{static_cast<unsigned>(refusal.status), refusal.error,
                                                      refusal.detail, !wec});
            if (!wec) co_await drain(stream);
            co_return;
        }
        self.set_idle(id, false);
        Request req = reader.take();
        Response res = co_await self.handler(req);
        if (self.stopping) res.keep_alive(false);
        res.prepare_payload();
        beast::get_lowest_layer(stream).expires_after(self.options.io_timeout);
        auto [wec, wn] = co_await http::async_write(stream, res, asio::as_tuple(asio::use_awaitable));
        (void)wn;
        if (wec || !res.keep_alive() || self.stopping) co_return;
    }
}

asio::awaitable<void> run_plain(std::shared_ptr<HttpServer::Impl> self, tcp::socket socket) {
    auto stream = std::make_shared<beast::tcp_stream>(std::move(socket));
    const auto id = self->register_closer([w = std::weak_ptr(stream)] {
        if (auto s = w.lock()) s->close();
    });
    co_await serve(*self, id, *stream);
    boost::system::error_code ignored;
    stream->socket().shutdown(tcp::socket::shutdown_send, ignored);
    self->unregister(id);
}

asio::awaitable<void> run_tls(std::shared_ptr<HttpServer::Impl> self, tcp::socket socket) {
    auto stream = std::make_shared<beast::ssl_stream<beast::tcp_stream>>(beast::tcp_stream(std::move(socket)),
                                                                         *self->tls);
    const auto id = self->register_closer([w = std::weak_ptr(stream)] {
        if (auto s = w.lock()) beast::get_lowest_layer(*s).close();
    });
    beast::get_lowest_layer(*stream).expires_after(self->options.io_timeout);
    auto [ec] =
        co_await stream->async_handshake(asio::ssl::stream_base::server, asio::as_tuple(asio::use_awaitable));
    if (ec) {
        log::warn(self->options.name + ": TLS handshake failed: " + ec.message());
        if (!self->stopping && ec != asio::error::operation_aborted) {
            report_rejection(*self, TransportRejection{0, "tls_handshake_failed",
                                                       "TLS handshake failed: " + ec.message(), false});
        }
        self->unregister(id);
        co_return;
    }
    self->set_idle(id, false);
    co_await serve(*self, id, *stream);
    beast::get_lowest_layer(*stream).expires_after(std::chrono::seconds(1));
    (void)co_await stream->async_shutdown(asio::as_tuple(asio::use_awaitable));
    self->unregister(id);
}

asio::awaitable<void> accept_loop(std::shared_ptr<HttpServer::Impl> self) {
    for (;;) {
        auto [ec, socket] = co_await self->acceptor.async_accept(asio::as_tuple(asio::use_awaitable));
        if (self->stopping || ec == asio::error::operation_aborted) co_return;
        if (ec) {
            log::warn(self->options.name + ": accept failed: " + ec.message());
            continue;
        }
        const std::string what = self->options.name + " connection";
        if (self->tls) {
            asio::co_spawn(self->ioc, run_tls(self, std::move(socket)),
                           [what](std::exception_ptr e) { log_exception(what, e); });
        } else {
            asio::co_spawn(self->ioc, run_plain(self, std::move(socket)),
                           [what](std::exception_ptr e) { log_exception(what, e); });
        }
    }
}

} // namespace

HttpServer::HttpServer(asio::io_context& ioc, RequestHandler handler, HttpServerOptions options,
                       std::shared_ptr<TlsContext> tls)
    : impl_(std::make_shared<Impl>(ioc, std::move(handler), std::move(options), std::move(tls))) {}

HttpServer::~HttpServer() = default;

base::Result<Endpoint> HttpServer::listen(const Endpoint& where) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(where.host, ec);
    if (ec) return base::make_error(ShellErrc::bad_endpoint, to_string(where) + ": " + ec.message());
    const tcp::endpoint ep{address, where.port};
    auto& acc = impl_->acceptor;
    acc.open(ep.protocol(), ec);
    if (!ec) acc.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acc.bind(ep, ec);
    if (!ec) acc.listen(asio::socket_base::max_listen_connections, ec);
    if (ec)
        return base::make_error(ShellErrc::io_error,
                                "cannot listen on " + to_string(where) + ": " + ec.message());
    return Endpoint{where.host, acc.local_endpoint().port()};
}

void HttpServer::start() {
    const std::string what = impl_->options.name + " acceptor";
    asio::co_spawn(impl_->ioc, accept_loop(impl_), [what](std::exception_ptr e) { log_exception(what, e); });
}

void HttpServer::stop() {
    if (impl_->ioc.get_executor().running_in_this_thread()) {
        impl_->do_stop();
    } else {
        asio::post(impl_->ioc, [self = impl_] { self->do_stop(); });
    }
}

Scheme HttpServer::scheme() const noexcept {
    return impl_->tls ? Scheme::Https : Scheme::Http;
}

std::size_t HttpServer::open_connections() const noexcept {
    return impl_->open_count.load();
}

} // namespace omadm::shell
