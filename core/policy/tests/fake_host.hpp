#pragma once
// In-memory test doubles: a map-based DM tree behind PolicyHost (with ACL denial for configured
// URIs and real Atomic rollback) and an alert store.

#include "omadm/policy/outbox.hpp"
#include "omadm/policy/policy_host.hpp"
#include "omadm/policy/spec_writer.hpp"

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace omadm::policy::testing {

/// The node a test names by its URI text; a malformed text fails the test (an exception).
[[nodiscard]] tree::NodeUri node(std::string_view uri);

class FakeHost final : public PolicyHost {
public:
    /// Writes a leaf (or an interior node when the format is node), creating missing parents.
    void put(const tree::NodeUri& uri, NodeValue value);
    void put(std::string_view uri, std::string data, tree::Format format = tree::Format::Chr) {
        put(node(uri), NodeValue{std::move(data), format});
    }
    void put(const tree::NodeUri& uri, std::string data, tree::Format format = tree::Format::Chr) {
        put(uri, NodeValue{std::move(data), format});
    }
    /// Commands of `server` whose target (or Copy source) is `uri` or below get 425.
    void deny(std::string_view uri, base::ServerId server) { denied_.emplace(node(uri), std::move(server)); }
    /// Applies server-side writes as the DM commands they stand for.
    void apply(const std::vector<NodeWrite>& writes);
    [[nodiscard]] bool has(const tree::NodeUri& uri) const { return nodes_.contains(uri); }
    [[nodiscard]] bool has(std::string_view uri) const { return has(node(uri)); }
    /// The node's data, "<absent>" for a missing node.
    [[nodiscard]] std::string data(const tree::NodeUri& uri) const;
    [[nodiscard]] std::string data(std::string_view uri) const { return data(node(uri)); }
    [[nodiscard]] const std::vector<std::pair<syncml::Command, base::ServerId>>& executed() const {
        return executed_;
    }

    std::optional<NodeValue> get(const tree::NodeUri& uri) override;
    std::vector<std::string> children(const tree::NodeUri& uri) override;
    ActionOutcome execute(const syncml::Command& command, const base::ServerId& as_server) override;
    AtomicOutcome execute_atomic(std::span<const syncml::Command> commands,
                                 const base::ServerId& as_server) override;
    base::StatusCode set_internal(const tree::NodeUri& uri, const NodeValue& value) override;
    base::StatusCode remove_internal(const tree::NodeUri& uri) override;

private:
    [[nodiscard]] bool is_denied(const tree::NodeUri& uri, const base::ServerId& server) const;
    void erase_subtree(const tree::NodeUri& uri);
    std::map<tree::NodeUri, NodeValue> nodes_;
    std::set<std::pair<tree::NodeUri, base::ServerId>> denied_;
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
