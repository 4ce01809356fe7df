#include "omadm/base/random.hpp"

#include <array>
#include <cstring>

namespace omadm::base {

std::uint64_t Random::next_u64() {
    std::array<std::byte, 8> b{};
    fill(b);
    std::uint64_t v = 0;
    std::memcpy(&v, b.data(), b.size());
    return v;
}

void SeededRandom::fill(std::span<std::byte> out) {
    std::size_t i = 0;
    while (i < out.size()) {
        state_ += 0x9E3779B97F4A7C15ULL;
        std::uint64_t z = state_;
        z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
        z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
        z ^= z >> 31U;
        for (int k = 0; k < 8 && i < out.size(); ++k, ++i) {
            out[i] = static_cast<std::byte>((z >> (8U * static_cast<unsigned>(k))) & 0xFFU);
        }
    }
}

} // namespace omadm::base
