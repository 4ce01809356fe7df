#include "omadm/shell/control_api.hpp"
#include "omadm/shell/http_client.hpp"
#include "omadm/shell/http_server.hpp"
#include "omadm/testing/temp_dir.hpp"
#include "test_support.hpp"

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <gtest/gtest.h>
#include <mutex>
#include <string_view>
#include <vector>

namespace omadm::shell {
namespace {

/// A server with an echo route on a background io_context.
class HttpServerTest : public ::testing::Test {
protected:
    void start(HttpServerOptions options = {}, std::shared_ptr<TlsContext> tls = nullptr) {
        router_.route(http::verb::post, "/echo", [](const Request& req, const RouteMatch&) {
            return make_response(req, http::status::ok, header_value(req, "content-type"), req.body());
        });
        router_.route(http::verb::get, "/hello", [](const Request& req, const RouteMatch&) {
            return make_response(req, http::status::ok, "text/plain", "hi");
        });
        server_ = std::make_unique<HttpServer>(
            io_.ioc(), [this](const Request& req) { return router_.dispatch(req); }, options, std::move(tls));
        auto bound = server_->listen(Endpoint{"127.0.0.1", 0});
        ASSERT_TRUE(bound.has_value());
        endpoint_ = *bound;
        server_->start();
    }
    /// Starts the server on HTTPS with a fresh self-signed certificate for localhost; returns the
    /// certificate's path.
    std::filesystem::path start_tls(HttpServerOptions options = {}) {
        std::filesystem::path cert;
        std::filesystem::path key;
        testing::write_self_signed(omadm::testing::test_temp_dir(), cert, key);
        auto server_tls = make_server_tls_context(cert, key);
        EXPECT_TRUE(server_tls.has_value()) << server_tls.error().detail;
        start(std::move(options), server_tls.value());
        return cert;
    }
    void TearDown() override {
        if (server_) server_->stop();
        io_.release_and_join(); // returns only when every connection has ended
    }

    /// Options whose on_rejected records every rejection (read back with rejections()).
    HttpServerOptions recording(HttpServerOptions options = {}) {
        options.on_rejected = [this](const TransportRejection& r) {
            const std::scoped_lock lock(mutex_);
            rejections_.push_back(r);
        };
        return options;
    }
    std::vector<TransportRejection> rejections() {
        const std::scoped_lock lock(mutex_);
        return rejections_;
    }

    testing::IoThread io_;
    std::mutex mutex_;
    std::vector<TransportRejection> rejections_;
    Router router_;
    std::unique_ptr<HttpServer> server_;
    Endpoint endpoint_;
};

TEST_F(HttpServerTest, RoutesARequestAndAnswers) {
    start();
    auto res = http_exchange_blocking(endpoint_,
                                      make_request(http::verb::post, "/echo", endpoint_, "text/x", "body"));
    ASSERT_TRUE(res.has_value()) << res.error().detail;
    EXPECT_EQ(res->result(), http::status::ok);
    EXPECT_EQ(res->body(), "body");
    EXPECT_EQ((*res)[http::field::content_type], "text/x");
}

TEST_F(HttpServerTest, AcceptsHttp10AndHeaderNamesInAnyCase) {
    start();
    const auto out = testing::raw_exchange(
        endpoint_.port, "POST /echo HTTP/1.0\r\nCONTENT-TYPE: a/b\r\ncontent-LENGTH: 3\r\n\r\nabc");
    EXPECT_TRUE(out.starts_with("HTTP/1.0 200 OK\r\n")) << out;
    EXPECT_NE(out.find("Content-Type: a/b"), std::string::npos);
    EXPECT_TRUE(out.ends_with("\r\n\r\nabc"));
}

TEST_F(HttpServerTest, AnswersPayloadTooLargeOverTheBodyLimit) {
    HttpServerOptions options;
    options.max_body_bytes = 16;
    start(options);
    auto res = http_exchange_blocking(
        endpoint_, make_request(http::verb::post, "/echo", endpoint_, "text/x", std::string(100, 'x')));
    ASSERT_TRUE(res.has_value()) << res.error().detail;
    EXPECT_EQ(res->result(), http::status::payload_too_large);
}

TEST_F(HttpServerTest, AnEndlessChunkExtensionIsRefusedAtTheReadBound) {
    start(recording());
    // 256 KiB of chunk extension without the line end: buffered without limit, it kept the
    // connection (and its memory) until the client stopped.
    const std::string request = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n1;ext=" +
                                std::string(256 * 1024, 'e');

    const auto out = testing::raw_exchange(endpoint_.port, request);

    EXPECT_TRUE(out.starts_with("HTTP/1.1 413")) << out.substr(0, 200);
    const auto seen = rejections();
    ASSERT_EQ(seen.size(), 1U);
    EXPECT_EQ(seen[0].error, "chunk_header_too_large");
}

TEST_F(HttpServerTest, AnswersBadRequestToGarbage) {
    start();
    const auto out = testing::raw_exchange(endpoint_.port, "NOT HTTP AT ALL\r\n\r\n");
    EXPECT_TRUE(out.starts_with("HTTP/1.1 400")) << out;
}

TEST_F(HttpServerTest, ReportsTheRejectionsToTheOwner) {
    HttpServerOptions options;
    options.max_body_bytes = 16;
    start(recording(options));
    auto res = http_exchange_blocking(
        endpoint_, make_request(http::verb::post, "/echo", endpoint_, "text/x", std::string(100, 'x')));
    ASSERT_TRUE(res.has_value()) << res.error().detail;
    EXPECT_NE(res->body().find("payload_too_large"), std::string::npos) << res->body();
    (void)testing::raw_exchange(endpoint_.port, "NOT HTTP AT ALL\r\n\r\n");
    const auto seen = rejections();
    ASSERT_EQ(seen.size(), 2U);
    EXPECT_EQ(seen[0].http_status, 413U);
    EXPECT_EQ(seen[0].error, "payload_too_large");
    EXPECT_TRUE(seen[0].answered);
    EXPECT_EQ(seen[1].http_status, 400U);
    EXPECT_EQ(seen[1].error, "bad_request");
}

TEST_F(HttpServerTest, AnswersBadRequestToATruncatedBody) {
    start(recording());
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket socket(ioc);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), endpoint_.port});
    boost::asio::write(socket,
                       boost::asio::buffer(std::string_view(
                           "POST /echo HTTP/1.1\r\nContent-Type: a/b\r\nContent-Length: 10\r\n\r\nabc")));
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send);
    std::string out;
    boost::system::error_code ec;
    boost::asio::read(socket, boost::asio::dynamic_buffer(out), ec); // until EOF
    EXPECT_TRUE(out.starts_with("HTTP/1.1 400")) << out;
    EXPECT_NE(out.find("truncated_body"), std::string::npos) << out;
    const auto seen = rejections();
    ASSERT_EQ(seen.size(), 1U);
    EXPECT_EQ(seen[0].error, "truncated_body");
    EXPECT_NE(seen[0].detail.find("3 body bytes of the 10"), std::string::npos) << seen[0].detail;
}

TEST_F(HttpServerTest, ClosingBetweenRequestsIsNoRejection) {
    start(recording());
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket socket(ioc);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), endpoint_.port});
    socket.shutdown(boost::asio::ip::tcp::socket::shutdown_send);
    std::string out;
    boost::system::error_code ec;
    boost::asio::read(socket, boost::asio::dynamic_buffer(out), ec); // until EOF
    EXPECT_EQ(out, "");
    EXPECT_TRUE(rejections().empty());
}

/// One persistent connection to the started server, GETting /hello on it.
class HelloConnection {
public:
    explicit HelloConnection(const Endpoint& server) : server_(server) {
        socket_.connect({boost::asio::ip::make_address("127.0.0.1"), server.port});
    }
    Response get_hello() {
        auto req = make_request(http::verb::get, "/hello", server_);
        http::write(socket_, req);
        Response res;
        http::read(socket_, buffer_, res);
        return res;
    }
    boost::asio::ip::tcp::socket& socket() { return socket_; }

private:
    Endpoint server_;
    boost::asio::io_context ioc_;
    boost::asio::ip::tcp::socket socket_{ioc_};
    boost::beast::flat_buffer buffer_;
};

TEST_F(HttpServerTest, KeepsTheConnectionAliveBetweenRequests) {
    start();
    HelloConnection connection(endpoint_);
    for (int i = 0; i < 2; ++i) {
        const auto res = connection.get_hello();
        EXPECT_EQ(res.body(), "hi");
        EXPECT_TRUE(res.keep_alive());
    }
}

TEST_F(HttpServerTest, StopClosesIdleConnections) {
    start();
    HelloConnection connection(endpoint_);
    (void)connection.get_hello();
    auto& socket = connection.socket();
    server_->stop();
    std::array<char, 16> byte{};
    boost::system::error_code ec;
    (void)socket.read_some(boost::asio::buffer(byte), ec); // returns when the server closes
    EXPECT_TRUE(ec == boost::asio::error::eof || ec == boost::asio::error::connection_reset) << ec.message();
}

TEST_F(HttpServerTest, ServesTls) {
    const auto cert = start_tls();
    EXPECT_EQ(server_->scheme(), Scheme::Https);
    auto client_tls = make_client_tls_context(PeerVerification::Verify, cert);
    ASSERT_TRUE(client_tls.has_value());
    HttpClientOptions options;
    options.tls = *client_tls;
    options.tls_server_name = "localhost";
    auto res = http_exchange_blocking(endpoint_, make_request(http::verb::get, "/hello", endpoint_), options);
    ASSERT_TRUE(res.has_value()) << res.error().detail;
    EXPECT_EQ(res->body(), "hi");
}

TEST_F(HttpServerTest, ReportsAFailedTlsHandshake) {
    (void)start_tls(recording());
    const auto out = testing::raw_exchange(endpoint_.port, "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
    EXPECT_FALSE(out.starts_with("HTTP/")) << out;
    const auto seen = rejections();
    ASSERT_EQ(seen.size(), 1U);
    EXPECT_EQ(seen[0].http_status, 0U);
    EXPECT_EQ(seen[0].error, "tls_handshake_failed");
    EXPECT_FALSE(seen[0].answered);
}

TEST_F(HttpServerTest, TlsClientRejectsUntrustedServer) {
    (void)start_tls();
    auto client_tls = make_client_tls_context(PeerVerification::Verify, std::nullopt);
    ASSERT_TRUE(client_tls.has_value());
    HttpClientOptions options;
    options.tls = *client_tls;
    auto res = http_exchange_blocking(endpoint_, make_request(http::verb::get, "/hello", endpoint_), options);
    EXPECT_FALSE(res.has_value());
}

TEST(TlsContext, ReportsTheMissingCertificateFile) {
    auto ctx = make_server_tls_context("/nonexistent/cert.pem", "/nonexistent/key.pem");
    ASSERT_FALSE(ctx.has_value());
    EXPECT_NE(ctx.error().detail.find("--tls-cert"), std::string::npos);
}

} // namespace
} // namespace omadm::shell
