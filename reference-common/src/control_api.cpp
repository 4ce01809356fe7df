#include "omadm/shell/control_api.hpp"

#include "omadm/shell/shell_errc.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cctype>
#include <charconv>
#include <chrono>

namespace omadm::shell {
namespace {

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

bool constant_time_equal(std::string_view a, std::string_view b) {
    unsigned diff = a.size() == b.size() ? 0U : 1U;
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
        diff |= static_cast<unsigned>(static_cast<unsigned char>(a[i]) ^ static_cast<unsigned char>(b[i]));
    }
    return diff == 0;
}

} // namespace

Response json_response(const Request& req, http::status status, const boost::json::value& body) {
    return make_response(req, status, kJsonContentType, boost::json::serialize(body));
}

Response error_response(const Request& req, http::status status, std::string_view code,
                        std::string_view detail) {
    boost::json::object body;
    body["error"] = code;
    body["detail"] = detail;
    return json_response(req, status, body);
}

base::Result<boost::json::value> parse_json_body(const Request& req) {
    if (req.body().empty()) return boost::json::value(boost::json::object{});
    boost::system::error_code ec;
    auto v = boost::json::parse(req.body(), ec);
    if (ec) return base::make_error(ShellErrc::bad_json, "request body is not JSON: " + ec.message());
    return v;
}

base::Result<boost::json::object> parse_json_object(const Request& req) {
    auto v = parse_json_body(req);
    if (!v) return v.error();
    if (!v->is_object()) return base::make_error(ShellErrc::bad_json, "request body is not a JSON object");
    return std::move(v->as_object());
}

bool bearer_token_ok(const Request& req, std::string_view token) {
    std::string_view auth = header_value(req, "Authorization");
    constexpr std::string_view kScheme = "bearer ";
    if (auth.size() <= kScheme.size() || !iequals(auth.substr(0, kScheme.size()), kScheme)) return false;
    auto presented = auth.substr(kScheme.size());
    while (!presented.empty() && presented.front() == ' ')
        presented.remove_prefix(1);
    while (!presented.empty() && presented.back() == ' ')
        presented.remove_suffix(1);
    return !token.empty() && constant_time_equal(presented, token);
}

boost::asio::awaitable<Response> ControlApi::handle(const Request& req) const {
    if (!bearer_token_ok(req, token_)) {
        auto res = error_response(req, http::status::unauthorized, "unauthorized",
                                  "missing or wrong Authorization: Bearer token");
        res.set(http::field::www_authenticate, "Bearer");
        co_return res;
    }
    co_return co_await router_.dispatch(req);
}

std::optional<std::int64_t> parse_non_negative(std::string_view text) {
    std::int64_t v = 0;
    const auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc{} || p != text.data() + text.size() || v < 0) return std::nullopt;
    return v;
}

boost::asio::awaitable<Response> events_response(EventBus& bus, const Request& req, const RouteMatch& m,
                                                 std::string_view bad_query_code) {
    constexpr std::int64_t kMaxWaitMs = 60'000;
    const auto after = parse_non_negative(m.query_value("after").value_or("0"));
    const auto wait_ms = parse_non_negative(m.query_value("wait_ms").value_or("0"));
    if (!after || !wait_ms) {
        co_return error_response(req, http::status::bad_request, bad_query_code,
                                 "after and wait_ms must be non-negative integers");
    }
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(std::min(*wait_ms, kMaxWaitMs));
    auto events =
        co_await bus.wait(static_cast<std::uint64_t>(*after), m.query_value("kind").value_or(""), deadline);
    boost::json::array list;
    for (const auto& e : events)
        list.push_back(event_to_json(e));
    const std::uint64_t next = events.empty() ? static_cast<std::uint64_t>(*after) : events.back().seq;
    co_return json_response(
        req, http::status::ok,
        boost::json::object{{"events", std::move(list)}, {"next", next}, {"oldest", bus.oldest_seq()}});
}

std::optional<std::string> json_string(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return std::string(v->as_string());
}

std::optional<std::int64_t> json_int(const boost::json::object& o, std::string_view key) {
    const auto* v = o.if_contains(key);
    if (v == nullptr) return std::nullopt;
    if (v->is_int64()) return v->as_int64();
    if (v->is_uint64() && v->as_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
        return static_cast<std::int64_t>(v->as_uint64());
    }
    return std::nullopt;
}

} // namespace omadm::shell
