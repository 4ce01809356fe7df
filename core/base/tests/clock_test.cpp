#include "omadm/base/clock.hpp"

#include <gtest/gtest.h>

namespace {
using namespace std::chrono;
using omadm::base::ManualClock;
using omadm::base::TimePoint;

TEST(ManualClock, MovesOnlyWhenAdvanced) {
    ManualClock c(TimePoint{seconds{100}});
    EXPECT_EQ(c.now(), TimePoint{seconds{100}});
    c.advance(milliseconds{1500});
    EXPECT_EQ(c.now(), TimePoint{milliseconds{101500}});
}

TEST(FormatTstamp, IsIso8601BasicUtc) {
    const TimePoint t = sys_days{year{2001} / July / 11} + hours{16} + minutes{38} + seconds{17};
    EXPECT_EQ(omadm::base::format_tstamp(t), "20010711T163817Z");
}
} // namespace
