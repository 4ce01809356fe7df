// libFuzzer target: arbitrary bytes as what arrives on a connection of the shells' HTTP server, read
// by shell::RequestReader as HttpServer reads its socket (reference-common/src/http_server.cpp), up to
// the end of the input. Reading must never crash or buffer beyond its bound; each request read goes
// through what the handlers look at before a body is decoded (the DM endpoint's Content-Type and
// x-syncml-hmac, reference-server/src/dm_endpoint.cpp) and gets an answer; a refusal must be a 400,
// 413 or 431 whose body is the JSON error. The bytes are read with the server's limits and with small
// ones (so that short inputs reach the body, header and chunk-header bounds), each time as the
// socket's reads deliver them and in 3-byte pieces: the requests read and the end must not depend on
// how the bytes were cut (but see consistent()).
#include "omadm/auth/credentials.hpp"
#include "omadm/shell/http_request_reader.hpp"
#include "omadm/syncml/codec.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

using omadm::shell::HttpReadLimits;
using omadm::shell::Request;
using omadm::shell::RequestReader;
namespace http = omadm::shell::http;

/// What a connection's bytes came to: one line per request read, then how reading ended.
struct Outcome {
    std::vector<std::string> requests;
    enum class End { answered_then_closed, refused, closed } end = End::closed;
    std::string error; // when refused
};

/// Whether two readings of the same bytes agree: the same requests read, and the reading ending the
/// same way. Which refusal a malformed request gets may depend on where the reads cut it, as Beast
/// 1.81 parses: a request line or field line is checked as it comes when the header section arrives
/// in one read, only once the section is complete when it arrives in pieces (bad_request against
/// truncated_request or headers_too_large); a chunk header whose quoted extension runs past its line
/// end counts the chunk against the body limit again each time more bytes arrive (bad_request
/// against payload_too_large). And the header limit applies to the request line and to the field
/// lines apart in the first case, to both together in the second: where it refused a request in
/// one reading, the other may have read it and more.
bool consistent(const Outcome& a, const Outcome& b) {
    if (a.requests != b.requests) {
        const auto& shorter = a.requests.size() < b.requests.size() ? a : b;
        const auto& longer = a.requests.size() < b.requests.size() ? b : a;
        return shorter.end == Outcome::End::refused && shorter.error == "headers_too_large" &&
               std::equal(shorter.requests.begin(), shorter.requests.end(), longer.requests.begin());
    }
    return a.end == b.end;
}

std::string describe(const Request& req) {
    std::string out(req.method_string());
    out += ' ';
    out += req.target();
    out += ' ' + std::to_string(req.version());
    for (const auto& field : req) {
        out += '|';
        out += field.name_string();
        out += ':';
        out += field.value();
    }
    out += "|body:" + req.body();
    return out;
}

/// What the handlers read of a request before its body, and the answer it gets.
void handle(const Request& req) {
    const auto content_type = omadm::shell::header_value(req, "Content-Type");
    const auto encoding = omadm::syncml::encoding_from_content_type(content_type);
    // The shells' media_type agrees with the DM endpoint on what is a SyncML DM type.
    const auto media = omadm::shell::media_type(content_type);
    if (encoding && !media.starts_with("application/vnd.syncml")) std::abort();
    if (const auto mac = omadm::shell::header_value(req, "x-syncml-hmac"); !mac.empty()) {
        (void)omadm::auth::parse_hmac_header(mac);
    }
    const auto res = omadm::shell::make_response(req, http::status::ok, content_type, req.body());
    if (res.version() != req.version() || res.keep_alive() != req.keep_alive()) std::abort();
}

void check_refusal(const omadm::shell::ReadRefusal& refusal) {
    const auto status = static_cast<unsigned>(refusal.status);
    if (status != 400 && status != 413 && status != 431) std::abort();
    const auto res = omadm::shell::refusal_response(refusal);
    boost::system::error_code ec;
    const auto body = boost::json::parse(res.body(), ec);
    if (ec || !body.is_object() || body.as_object().at("error") != refusal.error.c_str() ||
        res.keep_alive()) {
        std::abort();
    }
}

Outcome read_connection(std::string_view bytes, const HttpReadLimits& limits, std::size_t piece) {
    RequestReader reader(limits);
    Outcome out;
    for (;;) {
        if (reader.buffered() > limits.max_header_bytes + limits.read_ahead_bytes) std::abort();
        switch (reader.state()) {
        case RequestReader::State::reading:
            if (bytes.empty()) {
                reader.end_of_input();
            } else {
                const auto taken = reader.feed(bytes.substr(0, piece));
                if (taken == 0) std::abort(); // a reader that reads takes bytes
                bytes.remove_prefix(taken);
            }
            break;
        case RequestReader::State::complete: {
            const Request req = reader.take();
            if (req.body().size() > limits.max_body_bytes) std::abort();
            handle(req);
            out.requests.push_back(describe(req));
            if (!req.keep_alive()) {
                out.end = Outcome::End::answered_then_closed;
                return out;
            }
            break;
        }
        case RequestReader::State::refused:
            check_refusal(reader.refusal());
            out.end = Outcome::End::refused;
            out.error = reader.refusal().error;
            return out;
        case RequestReader::State::closed:
            out.end = Outcome::End::closed;
            return out;
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view bytes(reinterpret_cast<const char*>(data), size);
    for (const auto& limits : {HttpReadLimits{}, HttpReadLimits{64, 256, 256}}) {
        const auto whole = read_connection(bytes, limits, bytes.size());
        const auto pieces = read_connection(bytes, limits, 3);
        if (!consistent(whole, pieces)) std::abort();
    }
    return 0;
}
