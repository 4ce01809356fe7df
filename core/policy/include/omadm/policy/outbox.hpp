#pragma once
// Alerts waiting for the server: persisted through an injected store, removed only when the
// server acknowledged them, so a shell retries across sessions and restarts.

#include "omadm/base/result.hpp"
#include "omadm/base/strong_id.hpp"
#include "omadm/policy/generic_alert.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace omadm::policy {

struct AlertIdTag {};
using AlertId = base::StrongId<AlertIdTag, std::uint64_t>;

struct QueuedAlert {
    AlertId id;
    syncml::GenericAlert alert; ///< as sent: one item (make_alert)
    AlertPayload payload;       ///< what the item's Data encodes
    /// The DM server the alert is for: the owner of the policy that ran (MgmtPolicyMO-Device-01).
    base::ServerId to;
    bool operator==(const QueuedAlert&) const = default;
};

/// Persistence of queued alerts; the reference client implements it with SQLite.
class AlertStore {
public:
    virtual ~AlertStore() = default;
    [[nodiscard]] virtual base::Result<void> save(const QueuedAlert& alert) = 0;
    [[nodiscard]] virtual base::Result<void> erase(AlertId id) = 0;
    /// Every saved alert, in id order.
    [[nodiscard]] virtual base::Result<std::vector<QueuedAlert>> load() = 0;
};

class Outbox {
public:
    explicit Outbox(AlertStore& store) : store_(store) {}
    /// Reloads what the store holds (after a restart); ids continue after the highest one.
    [[nodiscard]] base::Result<void> restore();
    /// Saves first, then queues: an alert the store refused is not queued.
    [[nodiscard]] base::Result<AlertId> enqueue(syncml::GenericAlert alert, AlertPayload payload,
                                                base::ServerId to);
    /// The server acknowledged the alert (status 200/202): erase it from store and queue.
    [[nodiscard]] base::Result<void> ack(AlertId id);
    [[nodiscard]] std::span<const QueuedAlert> pending() const noexcept { return queue_; }

private:
    AlertStore& store_;
    std::vector<QueuedAlert> queue_;
    std::uint64_t next_id_ = 1;
};

} // namespace omadm::policy
