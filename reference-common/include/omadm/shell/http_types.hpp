#pragma once
// HTTP message types shared by the shells' servers, clients and route handlers.

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdint>
#include <string>
#include <string_view>

namespace omadm::shell {

namespace http = boost::beast::http;

using Request = http::request<http::string_body>;
using Response = http::response<http::string_body>;

/// Transport of an endpoint: plain HTTP or HTTPS.
enum class Scheme { Http, Https };

[[nodiscard]] inline const char* scheme_name(Scheme s) noexcept {
    return s == Scheme::Https ? "https" : "http";
}

/// A response with the request's version and keep-alive, the given status, type and body.
[[nodiscard]] Response make_response(const Request& req, http::status status, std::string_view content_type,
                                     std::string body);

/// The value of a header (any case) or an empty view.
[[nodiscard]] std::string_view header_value(const Request& req, std::string_view name);

/// Media type of a Content-Type value: parameters dropped, lower-cased, trimmed.
[[nodiscard]] std::string media_type(std::string_view content_type);

/// Text a peer sent (a header value), fit for a JSON answer, an event or a log line: printable
/// ASCII kept, every other byte written as \xNN. HTTP allows bytes 0x80-0xFF in field values
/// (RFC 9110, 5.5), which need not be UTF-8 and would make the JSON invalid.
[[nodiscard]] std::string printable(std::string_view peer_text);

} // namespace omadm::shell
