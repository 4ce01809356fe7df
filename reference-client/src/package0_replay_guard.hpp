#pragma once
// Refusing a replayed Package 0 (OMA-TS-DM_Notification-V1_2_1 §6.2.10: a re-trigger of the same session
// carries the same session identifier, and duplicates open one session): the SessionIDs of the last
// accepted notifications of each server are remembered, and a notification repeating one of them
// starts no second session.

#include "omadm/auth/package0.hpp"

#include <cstddef>
#include <cstdint>
#include <deque>
#include <map>
#include <string>

namespace omadm::client {

enum class ReplayVerdict {
    Fresh,  ///< a SessionID not in the server's window: remembered, the session may start
    Replay, ///< the SessionID of a recently accepted notification of the same server
};

class Package0ReplayGuard {
public:
    /// How many accepted SessionIDs are remembered per server (oldest forgotten first).
    static constexpr std::size_t kDefaultWindow = 16;

    explicit Package0ReplayGuard(std::size_t window = kDefaultWindow) : window_(window == 0 ? 1 : window) {}

    /// Judges a notification whose digest verified; a Fresh one is remembered.
    [[nodiscard]] ReplayVerdict admit(const auth::Package0& message);
    [[nodiscard]] bool remembers(const std::string& server_id, std::uint16_t session_id) const;

private:
    std::size_t window_;
    std::map<std::string, std::deque<std::uint16_t>, std::less<>> seen_;
};

} // namespace omadm::client
