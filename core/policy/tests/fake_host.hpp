#pragma once
// In-memory test doubles: a map-based DM tree behind PolicyHost (with ACL denial for configured
// URIs and real Atomic rollback) and an alert store.

#include "omadm/policy/outbox.hpp"
#include "omadm/policy/policy_host.hpp"
#include "omadm/policy/spec_writer.hpp"

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace omadm::policy::testing {

class FakeHost final : public PolicyHost {
public:
    /// Writes a leaf (or an interior node when the format is node), creating missing parents.
    void put(const std::string& uri, NodeValue value);
    void put(const std::string& uri, std::string data, tree::Format format = tree::Format::Chr) {
        put(uri, NodeValue{std::move(data), format});
    }
    /// Commands of `server` whose target (or Copy source) is `uri` or below get 425.
    void deny(std::string uri, base::ServerId server) { denied_.emplace(std::move(uri), std::move(server)); }
    /// Applies server-side writes as the DM commands they stand for.
    void apply(const std::vector<NodeWrite>& writes);
    [[nodiscard]] bool has(const std::string& uri) const { return nodes_.contains(uri); }
    [[nodiscard]] std::string data(const std::string& uri) const;
    [[nodiscard]] const std::vector<std::pair<syncml::Command, base::ServerId>>& executed() const {
        return executed_;
    }

    std::optional<NodeValue> get(std::string_view uri) override;
    std::vector<std::string> children(std::string_view uri) override;
    ActionOutcome execute(const syncml::Command& command, const base::ServerId& as_server) override;
    AtomicOutcome execute_atomic(std::span<const syncml::Command> commands,
                                 const base::ServerId& as_server) override;
    base::StatusCode set_internal(std::string_view uri, const NodeValue& value) override;
    base::StatusCode remove_internal(std::string_view uri) override;

private:
    [[nodiscard]] bool is_denied(std::string_view uri, const base::ServerId& server) const;
    void erase_subtree(std::string_view uri);
    std::map<std::string, NodeValue, std::less<>> nodes_;
    std::set<std::pair<std::string, base::ServerId>> denied_;
    std::vector<std::pair<syncml::Command, base::ServerId>> executed_;
};

class MemoryAlertStore final : public AlertStore {
public:
    base::Result<void> save(const QueuedAlert& alert) override;
    base::Result<void> erase(AlertId id) override;
    base::Result<std::vector<QueuedAlert>> load() override;
    std::map<std::uint64_t, QueuedAlert> saved;
    bool fail_saves = false;
};

} // namespace omadm::policy::testing
