#include "omadm/shell/http_request_reader.hpp"

#include <boost/beast/core/read_size.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <cstring>

namespace omadm::shell {
namespace {

/// The most one read asks for, as http::async_read asks (boost/beast/http/impl/read.hpp).
constexpr std::size_t kMaxReadSize = 64UL * 1024;

} // namespace

Response refusal_response(const ReadRefusal& refusal) {
    Response res{refusal.status, refusal.version};
    res.set(http::field::server, "omadm-ref");
    res.set(http::field::content_type, "application/json");
    res.keep_alive(false);
    res.body() =
        boost::json::serialize(boost::json::object{{"error", refusal.error}, {"detail", refusal.detail}});
    res.prepare_payload();
    return res;
}

RequestReader::RequestReader(HttpReadLimits limits)
    : limits_(limits), buffer_(limits.max_header_bytes + limits.read_ahead_bytes) {
    start_request();
}

void RequestReader::start_request() {
    parser_.emplace();
    parser_->body_limit(limits_.max_body_bytes);
    parser_->header_limit(static_cast<std::uint32_t>(limits_.max_header_bytes));
    state_ = State::reading;
}

boost::asio::mutable_buffer RequestReader::prepare() {
    return buffer_.prepare(boost::beast::read_size(buffer_, kMaxReadSize));
}

void RequestReader::commit(std::size_t n) {
    buffer_.commit(n);
    parse();
}

std::size_t RequestReader::feed(std::string_view bytes) {
    std::size_t taken = 0;
    while (state_ == State::reading && taken < bytes.size()) {
        const auto space = prepare();
        const std::size_t n = std::min(space.size(), bytes.size() - taken);
        std::memcpy(space.data(), bytes.data() + taken, n);
        taken += n;
        commit(n);
    }
    return taken;
}

void RequestReader::parse() {
    // As http::async_read drives the parser: what the buffer holds goes in until the request is
    // complete, fails, or needs bytes that have not arrived.
    while (!parser_->is_done()) {
        if (buffer_.size() == 0) return need_more();
        boost::system::error_code ec;
        const auto used = parser_->put(buffer_.data(), ec);
        buffer_.consume(used);
        if (ec == http::error::need_more) return need_more();
        if (ec) return fail(ec);
        if (used == 0) return need_more();
    }
    state_ = State::complete;
}

void RequestReader::need_more() {
    // A full buffer that still holds no complete element: a chunk header (size and extensions) or a
    // trailer section longer than the bound (a header section meets its own limit first).
    if (buffer_.size() >= buffer_.max_size()) fail(http::error::buffer_overflow);
}

void RequestReader::end_of_input() {
    if (state_ != State::reading) return;
    if (!parser_->got_some()) {
        // Between requests: the peer is done with the connection.
        state_ = State::closed;
        return;
    }
    boost::system::error_code ec;
    parser_->put_eof(ec);
    if (ec) return fail(ec);
    state_ = parser_->is_done() ? State::complete : State::closed;
}

void RequestReader::fail(const boost::system::error_code& ec) {
    const auto& parser = *parser_;
    refusal_ = ReadRefusal{http::status::bad_request, "bad_request", ec.message(),
                           parser.get().version() == 10 ? 10U : 11U};
    if (ec == http::error::body_limit) {
        refusal_.status = http::status::payload_too_large;
        refusal_.error = "payload_too_large";
    } else if (ec == http::error::buffer_overflow) {
        refusal_.status = http::status::payload_too_large;
        refusal_.error = "chunk_header_too_large";
    } else if (ec == http::error::header_limit) {
        refusal_.status = http::status::request_header_fields_too_large;
        refusal_.error = "headers_too_large";
    } else if (ec == http::error::partial_message) {
        // The peer closed its sending side inside a request: the body (or head) is shorter than announced.
        refusal_.error = parser.is_header_done() ? "truncated_body" : "truncated_request";
        if (parser.is_header_done()) {
            const auto declared = parser.content_length();
            refusal_.detail =
                "the connection was closed after " + std::to_string(parser.get().body().size()) +
                " body bytes" +
                (declared ? " of the " + std::to_string(*declared) + " announced" : std::string());
        }
    }
    state_ = State::refused;
}

Request RequestReader::take() {
    Request req = parser_->release();
    start_request();
    parse(); // a request sent right behind this one may be complete already
    return req;
}

const ReadRefusal& RequestReader::refusal() const {
    return refusal_;
}

} // namespace omadm::shell
