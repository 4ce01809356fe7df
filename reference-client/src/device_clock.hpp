#pragma once
// The device's clock: the wall clock moved by an offset the control API sets (POST /v1/clock), so
// periodic triggers and validity windows can be reached without waiting.

#include "omadm/base/clock.hpp"

namespace omadm::client {

class DeviceClock final : public base::Clock {
public:
    explicit DeviceClock(const base::Clock& wall) : wall_(wall) {}
    [[nodiscard]] base::TimePoint now() const override { return wall_.now() + offset_; }
    void advance(base::Duration d) { offset_ += d; }
    void set(base::TimePoint t) { offset_ = t - wall_.now(); }

private:
    const base::Clock& wall_;
    base::Duration offset_{0};
};

/// Parses "2026-01-01T00:00:00Z" (optional fraction); nullopt otherwise.
[[nodiscard]] std::optional<base::TimePoint> parse_rfc3339_utc(std::string_view text);

} // namespace omadm::client
