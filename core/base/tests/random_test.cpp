#include "omadm/base/random.hpp"

#include <array>
#include <gtest/gtest.h>

namespace {
using omadm::base::SeededRandom;

TEST(SeededRandom, SameSeedSameSequence) {
    SeededRandom a(42), b(42);
    for (int i = 0; i < 16; ++i)
        EXPECT_EQ(a.next_u64(), b.next_u64());
}

TEST(SeededRandom, DifferentSeedsDiffer) {
    SeededRandom a(1), b(2);
    EXPECT_NE(a.next_u64(), b.next_u64());
}

TEST(SeededRandom, FillsOddLengths) {
    SeededRandom a(7);
    std::array<std::byte, 13> buf{};
    a.fill(buf);
    int nonzero = 0;
    for (auto x : buf)
        nonzero += x != std::byte{0};
    EXPECT_GT(nonzero, 8);
}
} // namespace
