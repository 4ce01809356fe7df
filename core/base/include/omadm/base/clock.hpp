#pragma once
// Injected time: core code never reads the system clock (checked by tools/check_house_rules.py).

#include <chrono>
#include <string>

namespace omadm::base {

using Duration = std::chrono::milliseconds;
/// Wall-clock instant in UTC with millisecond resolution (policies compare against dates).
using TimePoint = std::chrono::time_point<std::chrono::system_clock, Duration>;

class Clock {
public:
    virtual ~Clock() = default;
    [[nodiscard]] virtual TimePoint now() const = 0;
};

/// A clock that moves only when told to: for tests and for the simulated device time.
class ManualClock final : public Clock {
public:
    explicit ManualClock(TimePoint start = TimePoint{}) : now_(start) {}
    [[nodiscard]] TimePoint now() const override { return now_; }
    void advance(Duration d) { now_ += d; }
    void set(TimePoint t) { now_ = t; }

private:
    TimePoint now_;
};

/// Formats as ISO 8601 basic UTC, the DM TStamp form: 20010711T163817Z.
[[nodiscard]] std::string format_tstamp(TimePoint t);

} // namespace omadm::base
