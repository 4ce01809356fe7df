#include "omadm/shell/http_request_reader.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>
#include <string>
#include <string_view>
#include <vector>

namespace omadm::shell {
namespace {

/// Feeds `bytes` in pieces of `piece` bytes, then the end of the input, taking every request read.
struct Reading {
    std::vector<Request> requests;
    RequestReader::State end = RequestReader::State::reading;
    ReadRefusal refusal;
    std::size_t most_buffered = 0;
};

Reading read_all(std::string_view bytes, HttpReadLimits limits = {}, std::size_t piece = 1 << 20) {
    RequestReader reader(limits);
    Reading out;
    for (;;) {
        out.most_buffered = std::max(out.most_buffered, reader.buffered());
        switch (reader.state()) {
        case RequestReader::State::reading:
            if (bytes.empty()) {
                reader.end_of_input();
            } else {
                bytes.remove_prefix(reader.feed(bytes.substr(0, piece)));
            }
            break;
        case RequestReader::State::complete:
            out.requests.push_back(reader.take());
            break;
        case RequestReader::State::refused:
            out.refusal = reader.refusal();
            [[fallthrough]];
        case RequestReader::State::closed:
            out.end = reader.state();
            return out;
        }
    }
}

constexpr std::string_view kChunkedPost = "POST /dm HTTP/1.1\r\n"
                                          "Host: dm.example.com\r\n"
                                          "Content-Type: application/vnd.syncml.dm+xml\r\n"
                                          "Transfer-Encoding: chunked\r\n\r\n"
                                          "5;name=value;q=\"a b\"\r\nhello\r\n"
                                          "6\r\n world\r\n"
                                          "0\r\nX-Trailer: t\r\n\r\n";

TEST(RequestReader, ReadsAChunkedBodyWithExtensionsAndATrailerInAnyPieces) {
    for (const std::size_t piece : {std::size_t{1}, std::size_t{7}, kChunkedPost.size()}) {
        const auto r = read_all(kChunkedPost, {}, piece);
        ASSERT_EQ(r.requests.size(), 1U) << piece;
        EXPECT_EQ(r.requests[0].method(), http::verb::post);
        EXPECT_EQ(r.requests[0].target(), "/dm");
        EXPECT_EQ(r.requests[0].body(), "hello world");
        EXPECT_EQ(header_value(r.requests[0], "content-type"), "application/vnd.syncml.dm+xml");
        EXPECT_EQ(r.end, RequestReader::State::closed) << piece;
    }
}

TEST(RequestReader, ReadsPipelinedRequestsOneAfterTheOther) {
    const auto r = read_all("GET /a HTTP/1.1\r\n\r\n"
                            "POST /b HTTP/1.1\r\nContent-Length: 3\r\n\r\nxyz"
                            "GET /c HTTP/1.0\r\n\r\n");
    ASSERT_EQ(r.requests.size(), 3U);
    EXPECT_EQ(r.requests[0].target(), "/a");
    EXPECT_EQ(r.requests[1].body(), "xyz");
    EXPECT_EQ(r.requests[2].target(), "/c");
    EXPECT_EQ(r.requests[2].version(), 10U);
    EXPECT_FALSE(r.requests[2].keep_alive());
    EXPECT_EQ(r.end, RequestReader::State::closed);
}

TEST(RequestReader, TheEndOfInputBetweenRequestsClosesWithoutARefusal) {
    EXPECT_EQ(read_all("").end, RequestReader::State::closed);
}

TEST(RequestReader, RefusesABodyOverTheLimitWith413) {
    HttpReadLimits limits;
    limits.max_body_bytes = 16;
    for (const std::string_view request :
         {std::string_view("POST /x HTTP/1.1\r\nContent-Length: 17\r\n\r\n"),
          std::string_view(
              "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n1\r\n")}) {
        const auto r = read_all(request, limits);
        ASSERT_EQ(r.end, RequestReader::State::refused) << request;
        EXPECT_EQ(r.refusal.status, http::status::payload_too_large);
        EXPECT_EQ(r.refusal.error, "payload_too_large");
    }
}

TEST(RequestReader, RefusesAHeaderSectionOverTheLimitWith431) {
    HttpReadLimits limits;
    limits.max_header_bytes = 64;
    const auto r = read_all("GET / HTTP/1.1\r\nX-Long: " + std::string(100, 'h') + "\r\n\r\n", limits);
    ASSERT_EQ(r.end, RequestReader::State::refused);
    EXPECT_EQ(r.refusal.status, http::status::request_header_fields_too_large);
    EXPECT_EQ(r.refusal.error, "headers_too_large");
}

TEST(RequestReader, AnEndlessChunkExtensionIsRefusedAtTheBoundWithoutBufferingMore) {
    // RFC 9112 section 7.1.1 sets no bound on chunk extensions; the read buffer's bound is the one.
    HttpReadLimits limits;
    limits.max_header_bytes = 256;
    limits.read_ahead_bytes = 256;
    const std::string request =
        "POST /dm HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n1;ext=" + std::string(64UL * 1024, 'e');
    for (const std::size_t piece : {std::size_t{100}, request.size()}) {
        const auto r = read_all(request, limits, piece);
        ASSERT_EQ(r.end, RequestReader::State::refused) << piece;
        EXPECT_EQ(r.refusal.status, http::status::payload_too_large);
        EXPECT_EQ(r.refusal.error, "chunk_header_too_large");
        EXPECT_LE(r.most_buffered, limits.max_header_bytes + limits.read_ahead_bytes);
    }
}

TEST(RequestReader, NamesWhatATruncatedBodyLacks) {
    const auto r = read_all("POST /echo HTTP/1.1\r\nContent-Type: a/b\r\nContent-Length: 10\r\n\r\nabc");
    ASSERT_EQ(r.end, RequestReader::State::refused);
    EXPECT_EQ(r.refusal.status, http::status::bad_request);
    EXPECT_EQ(r.refusal.error, "truncated_body");
    EXPECT_EQ(r.refusal.detail, "the connection was closed after 3 body bytes of the 10 announced");
}

TEST(RequestReader, ATruncatedHeaderSectionIsATruncatedRequest) {
    const auto r = read_all("GET / HTTP/1.1\r\nHost: x\r\n");
    ASSERT_EQ(r.end, RequestReader::State::refused);
    EXPECT_EQ(r.refusal.error, "truncated_request");
}

TEST(RequestReader, RefusesGarbageWith400) {
    const auto r = read_all("NOT HTTP AT ALL\r\n\r\n");
    ASSERT_EQ(r.end, RequestReader::State::refused);
    EXPECT_EQ(r.refusal.status, http::status::bad_request);
    EXPECT_EQ(r.refusal.error, "bad_request");
}

TEST(RequestReader, ARefusalIsAnsweredInTheRequestsVersionWithTheJsonErrorAndClose) {
    HttpReadLimits limits;
    limits.max_body_bytes = 1;
    const auto r = read_all("POST /x HTTP/1.0\r\nContent-Length: 2\r\n\r\nab", limits);
    ASSERT_EQ(r.end, RequestReader::State::refused);
    EXPECT_EQ(r.refusal.version, 10U);
    const auto res = refusal_response(r.refusal);
    EXPECT_EQ(res.result(), http::status::payload_too_large);
    EXPECT_EQ(res.version(), 10U);
    EXPECT_FALSE(res.keep_alive());
    EXPECT_EQ(res[http::field::content_type], "application/json");
    const auto body = boost::json::parse(res.body());
    EXPECT_EQ(body.at("error"), "payload_too_large");
    EXPECT_EQ(body.at("detail").as_string(), r.refusal.detail);
}

} // namespace
} // namespace omadm::shell
