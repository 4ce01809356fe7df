#include "omadm/shell/http_client.hpp"

#include "omadm/shell/shell_errc.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/ssl.h>

namespace omadm::shell {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

namespace {

base::Error failure(const boost::system::error_code& ec, std::string_view step, const Endpoint& to) {
    const auto code = ec == beast::error::timeout ? ShellErrc::timeout : ShellErrc::http_error;
    return base::make_error(code, std::string(step) + " " + to_string(to) + ": " + ec.message());
}

template <class Stream>
asio::awaitable<base::Result<Response>> exchange(Stream& stream, Request& req,
                                                 const HttpClientOptions& options, const Endpoint& to) {
    auto [wec, wn] = co_await http::async_write(stream, req, asio::as_tuple(asio::use_awaitable));
    (void)wn;
    if (wec) co_return failure(wec, "write to", to);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(options.max_body_bytes);
    auto [rec, rn] = co_await http::async_read(stream, buffer, parser, asio::as_tuple(asio::use_awaitable));
    (void)rn;
    if (rec) co_return failure(rec, "read from", to);
    co_return parser.release();
}

} // namespace

Request make_request(http::verb method, std::string_view target, const Endpoint& host,
                     std::string_view content_type, std::string body) {
    Request req{method, target, 11};
    req.set(http::field::host, to_string(host));
    req.set(http::field::user_agent, "omadm-ref");
    if (!content_type.empty()) req.set(http::field::content_type, content_type);
    req.body() = std::move(body);
    req.prepare_payload();
    return req;
}

asio::awaitable<base::Result<Response>> http_exchange(asio::any_io_executor executor, Endpoint to,
                                                      Request req, HttpClientOptions options) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(to.host, ec);
    if (ec) co_return base::make_error(ShellErrc::bad_endpoint, to_string(to) + ": " + ec.message());
    req.keep_alive(false);
    req.prepare_payload();
    beast::tcp_stream tcp_stream(executor);
    tcp_stream.expires_after(options.timeout);
    auto [cec] = co_await tcp_stream.async_connect(tcp::endpoint{address, to.port},
                                                   asio::as_tuple(asio::use_awaitable));
    if (cec) co_return failure(cec, "connect to", to);
    if (!options.tls) {
        auto res = co_await exchange(tcp_stream, req, options, to);
        boost::system::error_code ignored;
        tcp_stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
        co_return res;
    }
    beast::ssl_stream<beast::tcp_stream> stream(std::move(tcp_stream), *options.tls);
    if (!options.tls_server_name.empty()) {
        // SSL_set_tlsext_host_name without its C cast.
        if (SSL_ctrl(stream.native_handle(), SSL_CTRL_SET_TLSEXT_HOSTNAME, TLSEXT_NAMETYPE_host_name,
                     options.tls_server_name.data()) != 1) {
            co_return base::make_error(ShellErrc::tls_error, "cannot set the TLS server name");
        }
        stream.set_verify_callback(asio::ssl::host_name_verification(options.tls_server_name));
    }
    auto [hec] =
        co_await stream.async_handshake(asio::ssl::stream_base::client, asio::as_tuple(asio::use_awaitable));
    if (hec) {
        co_return base::make_error(hec == beast::error::timeout ? ShellErrc::timeout : ShellErrc::tls_error,
                                   "TLS handshake with " + to_string(to) + ": " + hec.message());
    }
    auto res = co_await exchange(stream, req, options, to);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(1));
    (void)co_await stream.async_shutdown(asio::as_tuple(asio::use_awaitable));
    co_return res;
}

base::Result<Response> http_exchange_blocking(const Endpoint& to, Request req,
                                              const HttpClientOptions& options) {
    asio::io_context ioc;
    auto future =
        asio::co_spawn(ioc, http_exchange(ioc.get_executor(), to, std::move(req), options), asio::use_future);
    ioc.run();
    return future.get();
}

} // namespace omadm::shell
