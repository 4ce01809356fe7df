#include "omadm/policy/outbox.hpp"

#include "omadm/policy/errc.hpp"
#include "result_access.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace omadm::policy {

base::Result<void> Outbox::restore() {
    auto loaded = store_.load();
    if (!loaded) return base::make_error(Errc::StoreFailure, "outbox restore: " + loaded.error().detail);
    queue_ = std::move(detail::value_of(loaded));
    std::sort(queue_.begin(), queue_.end(),
              [](const QueuedAlert& a, const QueuedAlert& b) { return a.id < b.id; });
    next_id_ = queue_.empty() ? 1 : queue_.back().id.value() + 1;
    return {};
}

base::Result<AlertId> Outbox::enqueue(syncml::GenericAlert alert, AlertPayload payload, base::ServerId to) {
    QueuedAlert entry{AlertId{next_id_}, std::move(alert), std::move(payload), std::move(to)};
    if (auto saved = store_.save(entry); !saved) {
        return base::make_error(Errc::StoreFailure, "outbox save: " + saved.error().detail);
    }
    ++next_id_;
    queue_.push_back(std::move(entry));
    return queue_.back().id;
}

base::Result<void> Outbox::ack(AlertId id) {
    const auto it =
        std::find_if(queue_.begin(), queue_.end(), [&](const QueuedAlert& q) { return q.id == id; });
    if (it == queue_.end()) {
        return base::make_error(Errc::UnknownAlert, "no queued alert " + std::to_string(id.value()));
    }
    if (auto erased = store_.erase(id); !erased) {
        return base::make_error(Errc::StoreFailure, "outbox erase: " + erased.error().detail);
    }
    queue_.erase(it);
    return {};
}

} // namespace omadm::policy
