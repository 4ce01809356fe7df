#include "omadm/shell/router.hpp"

#include "omadm/shell/control_api.hpp"

namespace omadm::shell {
namespace {

std::vector<std::string> split_path(std::string_view path) {
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos <= path.size()) {
        const auto next = path.find('/', pos);
        const auto end = next == std::string_view::npos ? path.size() : next;
        if (end > pos) out.emplace_back(path.substr(pos, end - pos));
        if (next == std::string_view::npos) break;
        pos = next + 1;
    }
    return out;
}

bool is_capture(const std::string& segment) {
    return segment.size() > 2 && segment.front() == '{' && segment.back() == '}';
}

int hex_value(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool match_segments(const std::vector<std::string>& pattern, const std::vector<std::string>& path,
                    std::map<std::string, std::string, std::less<>>& params) {
    if (pattern.size() != path.size()) return false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (is_capture(pattern[i])) {
            params[pattern[i].substr(1, pattern[i].size() - 2)] = percent_decode(path[i]);
        } else if (pattern[i] != path[i]) {
            return false;
        }
    }
    return true;
}

} // namespace

std::string percent_decode(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '+') {
            out.push_back(' ');
        } else if (c == '%' && i + 2 < text.size() && hex_value(text[i + 1]) >= 0 &&
                   hex_value(text[i + 2]) >= 0) {
            out.push_back(static_cast<char>(hex_value(text[i + 1]) * 16 + hex_value(text[i + 2])));
            i += 2;
        } else {
            out.push_back(c);
        }
    }
    return out;
}

std::map<std::string, std::string, std::less<>> parse_query(std::string_view query) {
    std::map<std::string, std::string, std::less<>> out;
    while (!query.empty()) {
        const auto amp = query.find('&');
        const auto pair = query.substr(0, amp);
        if (!pair.empty()) {
            const auto eq = pair.find('=');
            if (eq == std::string_view::npos) {
                out[percent_decode(pair)] = "";
            } else {
                out[percent_decode(pair.substr(0, eq))] = percent_decode(pair.substr(eq + 1));
            }
        }
        if (amp == std::string_view::npos) break;
        query.remove_prefix(amp + 1);
    }
    return out;
}

const std::string& RouteMatch::param(std::string_view name) const {
    static const std::string empty;
    const auto it = params.find(name);
    return it == params.end() ? empty : it->second;
}

std::optional<std::string> RouteMatch::query_value(std::string_view name) const {
    const auto it = query.find(name);
    if (it == query.end()) return std::nullopt;
    return it->second;
}

void Router::route_async(http::verb method, std::string_view pattern, AsyncHandler handler) {
    routes_.push_back(Route{method, split_path(pattern), std::move(handler)});
}

void Router::route(http::verb method, std::string_view pattern, SyncHandler handler) {
    route_async(method, pattern,
                [h = std::move(handler)](const Request& req, const RouteMatch& m)
                    -> boost::asio::awaitable<Response> { co_return h(req, m); });
}

Router::Lookup Router::find(http::verb method, std::string_view target) const {
    Lookup out;
    const auto qpos = target.find('?');
    const auto path = split_path(target.substr(0, qpos));
    for (const auto& r : routes_) {
        std::map<std::string, std::string, std::less<>> params;
        if (!match_segments(r.segments, path, params)) continue;
        if (r.method != method) {
            out.failure = http::status::method_not_allowed;
            continue;
        }
        out.handler = &r.handler;
        out.match.params = std::move(params);
        if (qpos != std::string_view::npos) out.match.query = parse_query(target.substr(qpos + 1));
        return out;
    }
    return out;
}

boost::asio::awaitable<Response> Router::dispatch(const Request& req) const {
    auto lookup = find(req.method(), {req.target().data(), req.target().size()});
    if (lookup.handler == nullptr) {
        if (lookup.failure == http::status::method_not_allowed) {
            co_return error_response(req, lookup.failure, "method_not_allowed",
                                     "method not allowed on this path");
        }
        co_return error_response(req, http::status::not_found, "not_found", "no such path");
    }
    co_return co_await (*lookup.handler)(req, lookup.match);
}

} // namespace omadm::shell
