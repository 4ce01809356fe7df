#include "fake_host.hpp"

#include "omadm/policy/errc.hpp"

namespace omadm::policy::testing {
namespace {

using base::StatusCode;

bool under(std::string_view uri, std::string_view prefix) {
    return uri == prefix ||
           (uri.starts_with(prefix) && uri.size() > prefix.size() && uri[prefix.size()] == '/');
}

std::string parent_of(std::string_view uri) {
    const auto slash = uri.rfind('/');
    return slash == std::string_view::npos ? std::string{} : std::string(uri.substr(0, slash));
}

} // namespace

void FakeHost::put(const std::string& uri, NodeValue value) {
    for (auto p = parent_of(uri); !p.empty() && p != "."; p = parent_of(p)) {
        nodes_.try_emplace(p, NodeValue{"", tree::Format::Node});
    }
    nodes_[uri] = std::move(value);
}

std::string FakeHost::data(const std::string& uri) const {
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

std::optional<NodeValue> FakeHost::get(std::string_view uri) {
    const auto it = nodes_.find(uri);
    if (it == nodes_.end()) return std::nullopt;
    return it->second;
}

std::vector<std::string> FakeHost::children(std::string_view uri) {
    std::vector<std::string> out;
    const std::string prefix = std::string(uri) + "/";
    for (auto it = nodes_.lower_bound(prefix); it != nodes_.end() && it->first.starts_with(prefix); ++it) {
        const auto rest = std::string_view(it->first).substr(prefix.size());
        if (rest.find('/') == std::string_view::npos) out.emplace_back(rest);
    }
    return out;
}

bool FakeHost::is_denied(std::string_view uri, const base::ServerId& server) const {
    for (const auto& [prefix, who] : denied_) {
        if (who == server && under(uri, prefix)) return true;
    }
    return false;
}

void FakeHost::erase_subtree(std::string_view uri) {
    for (auto it = nodes_.begin(); it != nodes_.end();) {
        it = under(it->first, uri) ? nodes_.erase(it) : std::next(it);
    }
}

ActionOutcome FakeHost::execute(const syncml::Command& c, const base::ServerId& as_server) {
    executed_.emplace_back(c, as_server);
    const syncml::Item* item = action_item(c);
    if (item == nullptr) return {StatusCode::CommandFailed, std::nullopt, "no Item"};
    const std::string target(action_target(c));
    const std::string source = item != nullptr && item->source ? item->source->loc_uri : std::string();
    if (is_denied(target, as_server) || (!source.empty() && is_denied(source, as_server))) {
        return {StatusCode::PermissionDenied, std::nullopt, "ACL denies " + as_server.value()};
    }
    const auto value = [&] {
        tree::Format format = tree::Format::Chr;
        if (item->meta && item->meta->format) {
            if (const auto parsed = tree::parse_format(*item->meta->format)) format = *parsed;
        }
        return NodeValue{item->data.value_or(""), format};
    };
    const auto it = nodes_.find(target);
    switch (syncml::kind_of(c)) {
    case syncml::CommandKind::Add:
        if (it != nodes_.end()) return {StatusCode::AlreadyExists, std::nullopt, {}};
        put(target, value());
        return {StatusCode::Ok, std::nullopt, {}};
    case syncml::CommandKind::Replace:
        if (it == nodes_.end()) return {StatusCode::NotFound, std::nullopt, {}};
        it->second = value();
        return {StatusCode::Ok, std::nullopt, {}};
    case syncml::CommandKind::Delete:
        if (it == nodes_.end()) return {StatusCode::NotFound, std::nullopt, {}};
        erase_subtree(target);
        return {StatusCode::Ok, std::nullopt, {}};
    case syncml::CommandKind::Get:
        if (it == nodes_.end()) return {StatusCode::NotFound, std::nullopt, {}};
        return {StatusCode::Ok, it->second, {}};
    case syncml::CommandKind::Exec:
        return {it == nodes_.end() ? StatusCode::NotFound : StatusCode::Ok, std::nullopt, {}};
    case syncml::CommandKind::Copy: {
        const auto src = nodes_.find(source);
        if (src == nodes_.end()) return {StatusCode::NotFound, std::nullopt, "no source"};
        put(target, src->second);
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

base::StatusCode FakeHost::set_internal(std::string_view uri, const NodeValue& value) {
    put(std::string(uri), value);
    return StatusCode::Ok;
}

base::StatusCode FakeHost::remove_internal(std::string_view uri) {
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
