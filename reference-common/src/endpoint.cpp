#include "omadm/shell/endpoint.hpp"

#include "omadm/shell/shell_errc.hpp"

#include <boost/asio/ip/address.hpp>
#include <charconv>

namespace omadm::shell {

base::Result<Endpoint> parse_endpoint(std::string_view text) {
    const auto bad = [&](std::string_view why) {
        return base::make_error(ShellErrc::bad_endpoint, "'" + std::string(text) + "': " + std::string(why));
    };
    const auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return bad("expected HOST:PORT");
    auto host = text.substr(0, colon);
    const auto port_text = text.substr(colon + 1);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    boost::system::error_code ec;
    (void)boost::asio::ip::make_address(std::string(host), ec);
    if (ec || host.empty()) return bad("host must be an IP address");
    unsigned port = 0;
    const auto [ptr, err] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (port_text.empty() || err != std::errc{} || ptr != port_text.data() + port_text.size() ||
        port > 65535U) {
        return bad("port must be a number in 0..65535");
    }
    return Endpoint{std::string(host), static_cast<std::uint16_t>(port)};
}

std::string to_string(const Endpoint& ep) {
    const bool v6 = ep.host.find(':') != std::string::npos;
    return (v6 ? "[" + ep.host + "]" : ep.host) + ":" + std::to_string(ep.port);
}

} // namespace omadm::shell
