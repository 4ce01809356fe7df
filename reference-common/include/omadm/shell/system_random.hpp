#pragma once
// The shells' randomness (nonces, session ids): the system's cryptographic generator behind the
// core's base::Random interface.

#include "omadm/base/random.hpp"

namespace omadm::shell {

class SystemRandom final : public base::Random {
public:
    /// Fills `out` from OpenSSL's RAND_bytes; aborts (OMADM_CHECK) if the generator fails.
    void fill(std::span<std::byte> out) override;
};

} // namespace omadm::shell
