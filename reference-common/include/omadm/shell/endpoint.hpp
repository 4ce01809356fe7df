#pragma once
// HOST:PORT endpoints of the command line ("127.0.0.1:0", "[::1]:8080").

#include "omadm/base/result.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace omadm::shell {

struct Endpoint {
    std::string host = "127.0.0.1"; // an IP literal (no brackets)
    std::uint16_t port = 0;
    bool operator==(const Endpoint&) const = default;
};

/// Parses HOST:PORT; the host must be an IPv4 or bracketed IPv6 literal, the port 0..65535.
[[nodiscard]] base::Result<Endpoint> parse_endpoint(std::string_view text);
/// "127.0.0.1:8080" or "[::1]:8080".
[[nodiscard]] std::string to_string(const Endpoint& ep);

} // namespace omadm::shell
