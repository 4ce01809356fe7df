#include "package0_replay_guard.hpp"

#include <algorithm>

namespace omadm::client {

bool Package0ReplayGuard::remembers(const std::string& server_id, std::uint16_t session_id) const {
    const auto it = seen_.find(server_id);
    if (it == seen_.end()) return false;
    return std::find(it->second.begin(), it->second.end(), session_id) != it->second.end();
}

ReplayVerdict Package0ReplayGuard::admit(const auth::Package0& message) {
    if (remembers(message.server_id, message.session_id)) return ReplayVerdict::Replay;
    auto& ids = seen_[message.server_id];
    ids.push_back(message.session_id);
    while (ids.size() > window_)
        ids.pop_front();
    return ReplayVerdict::Fresh;
}

} // namespace omadm::client
