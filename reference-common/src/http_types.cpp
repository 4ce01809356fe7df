// The helpers of http_types.hpp: answers that follow their request, header lookup, media types.
#include "omadm/shell/http_types.hpp"

#include <algorithm>
#include <cctype>

namespace omadm::shell {

Response make_response(const Request& req, http::status status, std::string_view content_type,
                       std::string body) {
    Response res{status, req.version()};
    res.set(http::field::server, "omadm-ref");
    if (!content_type.empty()) res.set(http::field::content_type, content_type);
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    return res;
}

std::string_view header_value(const Request& req, std::string_view name) {
    const auto it = req.find(name);
    if (it == req.end()) return {};
    return {it->value().data(), it->value().size()};
}

std::string media_type(std::string_view content_type) {
    const auto semi = content_type.find(';');
    auto mt = content_type.substr(0, semi);
    while (!mt.empty() && std::isspace(static_cast<unsigned char>(mt.front())) != 0)
        mt.remove_prefix(1);
    while (!mt.empty() && std::isspace(static_cast<unsigned char>(mt.back())) != 0)
        mt.remove_suffix(1);
    std::string out(mt);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string printable(std::string_view peer_text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(peer_text.size());
    for (const char ch : peer_text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c >= 0x20 && c < 0x7F) {
            out += ch;
        } else {
            out += "\\x";
            out += kHex[c >> 4U];
            out += kHex[c & 0x0FU];
        }
    }
    return out;
}

} // namespace omadm::shell
