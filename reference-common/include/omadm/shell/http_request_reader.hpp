#pragma once
// The byte-level half of the shells' HTTP/1.1 server, sans-IO: the bytes of a connection go in as
// they arrive, the requests they carry (or the refusal the server answers) come out. HttpServer reads
// its socket into it (reference-common/src/http_server.cpp); fuzz/http_request_fuzz.cpp feeds it
// arbitrary bytes.
//
// Beast's request parser reads each message (RFC 9112: HTTP/1.0 and 1.1, field names in any case,
// the chunked transfer coding with chunk extensions and trailer fields, section 7.1), driven the way
// http::async_read drives it. Every buffer is bounded: a body over max_body_bytes is refused with 413,
// a header section over max_header_bytes with 431, and the read buffer holds at most
// max_header_bytes + read_ahead_bytes, so that a chunk header (its extensions included) or a trailer
// section that does not end within it is refused with 413 instead of being buffered without end.

#include "omadm/shell/http_types.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/parser.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace omadm::shell {

struct HttpReadLimits {
    std::size_t max_body_bytes = 1024UL * 1024; // larger bodies get 413
    std::size_t max_header_bytes = 16UL * 1024; // larger header sections get 431
    std::size_t read_ahead_bytes = 64UL * 1024; // what the read buffer holds beyond a header section
};

/// A request that could not be read, and how the server answers it.
struct ReadRefusal {
    http::status status = http::status::bad_request; // 400, 413 or 431
    std::string error;     // payload_too_large, chunk_header_too_large, headers_too_large,
                           // truncated_body, truncated_request, bad_request
    std::string detail;    // the parser's reason
    unsigned version = 11; // the HTTP version to answer in: the request's (10 or 11) when it was read
};

/// The answer to a refused request: its status, {"error": …, "detail": …} and Connection: close.
[[nodiscard]] Response refusal_response(const ReadRefusal& refusal);

/// Reads the requests of one connection. States: `reading` wants more bytes (prepare() and commit(),
/// or feed()) or the end of the input; `complete` holds a request for take(); `refused` and `closed`
/// are final: answer refusal() and close, or close without an answer (the peer closed between
/// requests).
class RequestReader {
public:
    enum class State { reading, complete, refused, closed };

    explicit RequestReader(HttpReadLimits limits = {});
    RequestReader(const RequestReader&) = delete;
    RequestReader& operator=(const RequestReader&) = delete;

    [[nodiscard]] State state() const noexcept { return state_; }

    /// Where the transport writes the next bytes it reads (state `reading` only; never empty).
    [[nodiscard]] boost::asio::mutable_buffer prepare();
    /// `n` bytes were written at prepare(): parses them.
    void commit(std::size_t n);
    /// The peer closed its sending side.
    void end_of_input();
    /// Copies `bytes` in, one prepare() at a time, while reading: the number of bytes taken.
    std::size_t feed(std::string_view bytes);

    /// The request read (state `complete`); reading goes on with the bytes that followed it.
    [[nodiscard]] Request take();
    /// Why the request was refused (state `refused`).
    [[nodiscard]] const ReadRefusal& refusal() const;

    /// Bytes held in the read buffer: at most max_header_bytes + read_ahead_bytes.
    [[nodiscard]] std::size_t buffered() const noexcept { return buffer_.size(); }

private:
    void start_request();
    void parse();
    void need_more();
    void fail(const boost::system::error_code& ec);

    HttpReadLimits limits_;
    boost::beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    State state_ = State::reading;
    ReadRefusal refusal_;
};

} // namespace omadm::shell
