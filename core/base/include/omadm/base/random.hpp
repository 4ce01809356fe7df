#pragma once
// Injected randomness: nonces and session ids come from a Random& (checked by
// tools/check_house_rules.py: core never draws OS randomness).

#include <cstddef>
#include <cstdint>
#include <span>

namespace omadm::base {

class Random {
public:
    virtual ~Random() = default;
    virtual void fill(std::span<std::byte> out) = 0;
    [[nodiscard]] std::uint64_t next_u64();
};

/// Deterministic generator (splitmix64) for tests and reproducible runs.
class SeededRandom final : public Random {
public:
    explicit SeededRandom(std::uint64_t seed) : state_(seed) {}
    void fill(std::span<std::byte> out) override;

private:
    std::uint64_t state_;
};

} // namespace omadm::base
