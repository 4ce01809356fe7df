#include "tree_host.hpp"

#include <variant>

namespace omadm::agent {

using base::StatusCode;

namespace {

policy::ActionOutcome action_outcome(const syncml::Command& c, const session::CommandOutcome& o) {
    policy::ActionOutcome out;
    out.status = o.code;
    if (std::holds_alternative<syncml::Get>(c.variant()) && base::is_success(o.code) && o.results &&
        !o.results->items.empty()) {
        const auto& item = o.results->items.front();
        tree::Format format = tree::Format::Chr;
        if (item.meta && item.meta->format) {
            if (auto parsed = tree::parse_format(*item.meta->format)) format = *parsed;
        }
        out.value = policy::NodeValue{item.data.value_or(""), format};
    }
    if (!base::is_success(out.status)) {
        out.detail = syncml::command_name(c);
        out.detail.append(" ").append(policy::action_target(c));
    }
    return out;
}

} // namespace

std::optional<policy::NodeValue> TreeHost::get(const tree::NodeUri& uri) {
    const tree::Node* n = tree_.find(uri);
    if (n == nullptr) return std::nullopt;
    return policy::NodeValue{n->is_interior() ? std::string() : n->value, n->format};
}

std::vector<std::string> TreeHost::children(const tree::NodeUri& uri) {
    return tree_.children(uri);
}

tree::Principal TreeHost::principal_for(const base::ServerId& server) const {
    return skip_action_acl_ ? tree::Principal::bootstrap() : tree::Principal::server(server);
}

policy::ActionOutcome TreeHost::execute(const syncml::Command& command, const base::ServerId& as_server) {
    return action_outcome(command, actions_.run(command, principal_for(as_server), now_));
}

policy::AtomicOutcome TreeHost::execute_atomic(std::span<const syncml::Command> commands,
                                               const base::ServerId& as_server) {
    syncml::Atomic atomic;
    atomic.commands.assign(commands.begin(), commands.end());
    const session::CommandOutcome o = actions_.run(atomic, principal_for(as_server), now_);
    policy::AtomicOutcome out;
    out.status = o.code == StatusCode::Ok ? StatusCode::Ok : StatusCode::AtomicFailed;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        out.items.push_back(i < o.members.size() ? action_outcome(commands[i], o.members[i])
                                                 : policy::ActionOutcome{StatusCode::NotExecuted, {}, {}});
    }
    return out;
}

StatusCode TreeHost::set_internal(const tree::NodeUri& uri, const policy::NodeValue& value) {
    const tree::Principal who = tree::Principal::bootstrap();
    const tree::NodeContent content{value.format, {}, value.data};
    if (tree_.exists(uri)) return tree_.replace(who, uri, content, now_);
    return tree_.add(who, uri, content, now_);
}

StatusCode TreeHost::remove_internal(const tree::NodeUri& uri) {
    if (!tree_.exists(uri)) return StatusCode::NotFound;
    return tree_.remove(tree::Principal::bootstrap(), uri, now_);
}

} // namespace omadm::agent
