// libFuzzer target: arbitrary bytes as an x-syncml-hmac header value. Whatever parses must format
// to a value that parses to the same fields.
#include "omadm/auth/credentials.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view value(reinterpret_cast<const char*>(data), size);
    const auto parsed = omadm::auth::parse_hmac_header(value);
    if (!parsed) return 0;
    if (parsed->username.empty() || parsed->mac.empty()) std::abort();
    const auto again = omadm::auth::parse_hmac_header(omadm::auth::format_hmac_header(*parsed));
    if (!again || again->username != parsed->username || again->mac != parsed->mac ||
        again->algorithm != parsed->algorithm) {
        std::abort();
    }
    return 0;
}
