#include "tree_host.hpp"

#include "omadm/tree/errc.hpp"

namespace omadm::agent {

using base::StatusCode;

namespace {

syncml::Item item_of(const policy::LocalCommand& c) {
    syncml::Item item;
    item.target = syncml::Location{c.target, std::nullopt};
    if (!c.source.empty()) item.source = syncml::Location{c.source, std::nullopt};
    switch (c.kind) {
    case policy::CommandKind::Add:
    case policy::CommandKind::Replace: {
        syncml::Meta meta;
        meta.format = std::string(tree::format_name(c.format));
        if (!c.type.empty()) meta.type = c.type;
        item.meta = meta;
        item.data = c.data;
        break;
    }
    case policy::CommandKind::Exec:
        if (!c.data.empty()) item.data = c.data;
        break;
    case policy::CommandKind::Delete:
    case policy::CommandKind::Get:
    case policy::CommandKind::Copy:
        break;
    }
    return item;
}

template <class C> syncml::Command item_command(const policy::LocalCommand& c) {
    C cmd;
    cmd.items.push_back(item_of(c));
    return cmd;
}

policy::ActionOutcome action_outcome(const policy::LocalCommand& c, const session::CommandOutcome& o) {
    policy::ActionOutcome out;
    out.status = o.code;
    if (c.kind == policy::CommandKind::Get && base::is_success(o.code) && o.results &&
        !o.results->items.empty()) {
        const auto& item = o.results->items.front();
        tree::Format format = tree::Format::Chr;
        if (item.meta && item.meta->format) {
            if (auto parsed = tree::parse_format(*item.meta->format)) format = *parsed;
        }
        out.value = policy::NodeValue{item.data.value_or(""), format};
    }
    if (!base::is_success(out.status))
        out.detail = std::string(policy::command_name(c.kind)) + " " + c.target;
    return out;
}

} // namespace

syncml::Command to_command(const policy::LocalCommand& c) {
    switch (c.kind) {
    case policy::CommandKind::Add:
        return item_command<syncml::Add>(c);
    case policy::CommandKind::Replace:
        return item_command<syncml::Replace>(c);
    case policy::CommandKind::Delete:
        return item_command<syncml::Delete>(c);
    case policy::CommandKind::Get:
        return item_command<syncml::Get>(c);
    case policy::CommandKind::Copy:
        return item_command<syncml::Copy>(c);
    case policy::CommandKind::Exec: {
        syncml::Exec exec;
        exec.item = item_of(c);
        return exec;
    }
    }
    return item_command<syncml::Get>(c);
}

std::optional<policy::NodeValue> TreeHost::get(std::string_view uri) {
    auto parsed = tree::NodeUri::parse(uri);
    if (!parsed) return std::nullopt;
    const tree::Node* n = tree_.find(*parsed);
    if (n == nullptr) return std::nullopt;
    return policy::NodeValue{n->is_interior() ? std::string() : n->value, n->format};
}

std::vector<std::string> TreeHost::children(std::string_view uri) {
    auto parsed = tree::NodeUri::parse(uri);
    if (!parsed) return {};
    return tree_.children(*parsed);
}

tree::Principal TreeHost::principal_for(const base::ServerId& server) const {
    return skip_action_acl_ ? tree::Principal::bootstrap() : tree::Principal::server(server);
}

policy::ActionOutcome TreeHost::execute(const policy::LocalCommand& command,
                                        const base::ServerId& as_server) {
    return action_outcome(command, actions_.run(to_command(command), principal_for(as_server), now_));
}

policy::AtomicOutcome TreeHost::execute_atomic(std::span<const policy::LocalCommand> commands,
                                               const base::ServerId& as_server) {
    syncml::Atomic atomic;
    for (const auto& c : commands)
        atomic.commands.push_back(to_command(c));
    const session::CommandOutcome o = actions_.run(atomic, principal_for(as_server), now_);
    policy::AtomicOutcome out;
    out.status = o.code == StatusCode::Ok ? StatusCode::Ok : StatusCode::AtomicFailed;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        out.items.push_back(i < o.members.size() ? action_outcome(commands[i], o.members[i])
                                                 : policy::ActionOutcome{StatusCode::NotExecuted, {}, {}});
    }
    return out;
}

StatusCode TreeHost::set_internal(std::string_view uri, const policy::NodeValue& value) {
    auto parsed = tree::NodeUri::parse(uri);
    if (!parsed) return tree::status_for(parsed.error());
    const tree::Principal who = tree::Principal::bootstrap();
    const tree::NodeContent content{value.format, {}, value.data};
    if (tree_.exists(*parsed)) return tree_.replace(who, *parsed, content, now_);
    return tree_.add(who, *parsed, content, now_);
}

StatusCode TreeHost::remove_internal(std::string_view uri) {
    auto parsed = tree::NodeUri::parse(uri);
    if (!parsed) return tree::status_for(parsed.error());
    if (!tree_.exists(*parsed)) return StatusCode::NotFound;
    return tree_.remove(tree::Principal::bootstrap(), *parsed, now_);
}

} // namespace omadm::agent
