#include "omadm/shell/system_random.hpp"

#include "omadm/base/result.hpp"

#include <algorithm>
#include <climits>
#include <openssl/rand.h>

namespace omadm::shell {

void SystemRandom::fill(std::span<std::byte> out) {
    while (!out.empty()) {
        const std::size_t n = std::min<std::size_t>(out.size(), INT_MAX);
        OMADM_CHECK(RAND_bytes(reinterpret_cast<unsigned char*>(out.data()), static_cast<int>(n)) == 1);
        out = out.subspan(n);
    }
}

} // namespace omadm::shell
