#include "fake_host.hpp"

#include "omadm/policy/errc.hpp"

namespace omadm::policy::testing {
namespace {

using base::StatusCode;

} // namespace

tree::NodeUri node(std::string_view uri) {
    return tree::NodeUri::parse(uri).value();
}

void FakeHost::put(const tree::NodeUri& uri, NodeValue value) {
    for (auto p = uri.parent(); !p.is_root(); p = p.parent()) {
        nodes_.try_emplace(p, NodeValue{"", tree::Format::Node});
    }
    nodes_[uri] = std::move(value);
}

std::string FakeHost::data(const tree::NodeUri& uri) const {
    const auto it = nodes_.find(uri);
    return it == nodes_.end() ? std::string{"<absent>"} : it->second.data;
}

void FakeHost::apply(const std::vector<NodeWrite>& writes) {
    for (const auto& w : writes) {
        switch (w.op) {
        case WriteOp::Add:
        case WriteOp::Replace:
            put(w.uri, NodeValue{w.value, w.format});
            break;
        case WriteOp::Delete:
            erase_subtree(w.uri);
            break;
        }
    }
}

std::optional<NodeValue> FakeHost::get(const tree::NodeUri& uri) {
    const auto it = nodes_.find(uri);
    if (it == nodes_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> FakeHost::children(const tree::NodeUri& uri) {
    // The map orders a node's descendants right after it.
    std::vector<std::string> out;
    for (auto it = nodes_.upper_bound(uri); it != nodes_.end() && it->first.is_within(uri); ++it) {
        if (it->first.depth() == uri.depth() + 1) out.push_back(it->first.name());
    }
    return out;
}

bool FakeHost::is_denied(const tree::NodeUri& uri, const base::ServerId& server) const {
    for (const auto& [prefix, who] : denied_) {
        if (who == server && uri.is_within(prefix)) return true;
    }
    return false;
}

void FakeHost::erase_subtree(const tree::NodeUri& uri) {
    for (auto it = nodes_.begin(); it != nodes_.end();) {
        it = it->first.is_within(uri) ? nodes_.erase(it) : std::next(it);
    }
}

ActionOutcome FakeHost::execute(const syncml::Command& c, const base::ServerId& as_server) {
    executed_.emplace_back(c, as_server);
    const syncml::Item* item = action_item(c);
    if (item == nullptr) return {StatusCode::CommandFailed, std::nullopt, "no Item"};
    // The action's URIs are the policy's data: parsed here, as a device parses a command's.
    const auto target = tree::NodeUri::parse(action_target(c));
    if (!target) return {StatusCode::BadRequest, std::nullopt, "bad Target"};
    std::optional<tree::NodeUri> source;
    if (item->source) {
        auto parsed = tree::NodeUri::parse(item->source->loc_uri);
        if (!parsed) return {StatusCode::BadRequest, std::nullopt, "bad Source"};
        source = std::move(*parsed);
    }
    if (is_denied(*target, as_server) || (source && is_denied(*source, as_server))) {
        return {StatusCode::PermissionDenied, std::nullopt, "ACL denies " + as_server.value()};
    }
    const auto value = [&] {
        tree::Format format = tree::Format::Chr;
        if (item->meta && item->meta->format) {
            if (const auto parsed = tree::parse_format(*item->meta->format)) format = *parsed;
        }
        return NodeValue{item->data.value_or(""), format};
    };
    const auto it = nodes_.find(*target);
    switch (syncml::kind_of(c)) {
    case syncml::CommandKind::Add:
        if (it != nodes_.end()) return {StatusCode::AlreadyExists, std::nullopt, {}};
        put(*target, value());
        return {StatusCode::Ok, std::nullopt, {}};
    case syncml::CommandKind::Replace:
        if (it == nodes_.end()) return {StatusCode::NotFound, std::nullopt, {}};
        it->second = value();
        return {StatusCode::Ok, std::nullopt, {}};
    case syncml::CommandKind::Delete:
        if (it == nodes_.end()) return {StatusCode::NotFound, std::nullopt, {}};
        erase_subtree(*target);
        return {StatusCode::Ok, std::nullopt, {}};
    case syncml::CommandKind::Get:
        if (it == nodes_.end()) return {StatusCode::NotFound, std::nullopt, {}};
        return {StatusCode::Ok, it->second, {}};
    case syncml::CommandKind::Exec:
        return {it == nodes_.end() ? StatusCode::NotFound : StatusCode::Ok, std::nullopt, {}};
    case syncml::CommandKind::Copy: {
        const auto src = source ? nodes_.find(*source) : nodes_.end();
        if (src == nodes_.end()) return {StatusCode::NotFound, std::nullopt, "no source"};
        put(*target, src->second);
        return {StatusCode::Ok, std::nullopt, {}};
    }
    default:
        return {StatusCode::CommandFailed, std::nullopt, {}};
    }
}

AtomicOutcome FakeHost::execute_atomic(std::span<const syncml::Command> commands,
                                       const base::ServerId& as_server) {
    const auto snapshot = nodes_;
    AtomicOutcome out;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        auto o = execute(commands[i], as_server);
        if (base::is_success(o.status)) {
            out.items.push_back(std::move(o));
            continue;
        }
        nodes_ = snapshot; // roll back
        for (auto& done : out.items)
            done.status = StatusCode::AtomicRollbackOk;
        out.items.push_back(std::move(o));
        for (std::size_t j = i + 1; j < commands.size(); ++j)
            out.items.push_back({StatusCode::NotExecuted, {}, {}});
        out.status = StatusCode::AtomicFailed;
        return out;
    }
    return out;
}

base::StatusCode FakeHost::set_internal(const tree::NodeUri& uri, const NodeValue& value) {
    put(uri, value);
    return StatusCode::Ok;
}

base::StatusCode FakeHost::remove_internal(const tree::NodeUri& uri) {
    if (!nodes_.contains(uri)) return StatusCode::NotFound;
    erase_subtree(uri);
    return StatusCode::Ok;
}

base::Result<void> MemoryAlertStore::save(const QueuedAlert& alert) {
    if (fail_saves) return base::make_error(Errc::StoreFailure, "disk full");
    saved[alert.id.value()] = alert;
    return {};
}

base::Result<void> MemoryAlertStore::erase(AlertId id) {
    saved.erase(id.value());
    return {};
}

base::Result<std::vector<QueuedAlert>> MemoryAlertStore::load() {
    std::vector<QueuedAlert> out;
    for (const auto& [id, a] : saved)
        out.push_back(a);
    return out;
}

} // namespace omadm::policy::testing
