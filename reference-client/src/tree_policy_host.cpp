#include "tree_policy_host.hpp"

#include "omadm/tree/errc.hpp"

namespace omadm::client {

using base::StatusCode;

tree::Format to_tree_format(policy::NodeFormat f) noexcept {
    auto parsed = tree::parse_format(policy::format_name(f));
    return parsed ? *parsed : tree::Format::Chr;
}

policy::NodeFormat to_policy_format(tree::Format f) noexcept {
    return policy::parse_format(tree::format_name(f)).value_or(policy::NodeFormat::Chr);
}

std::optional<policy::NodeValue> TreePolicyHost::get(std::string_view uri) {
    auto parsed = tree::NodeUri::parse(uri);
    if (!parsed) return std::nullopt;
    const tree::Node* n = tree_.find(*parsed);
    if (n == nullptr) return std::nullopt;
    return policy::NodeValue{n->is_interior() ? std::string() : n->value, to_policy_format(n->format)};
}

std::vector<std::string> TreePolicyHost::children(std::string_view uri) {
    auto parsed = tree::NodeUri::parse(uri);
    if (!parsed) return {};
    return tree_.children(*parsed);
}

tree::Principal TreePolicyHost::principal_for(const base::ServerId& server) const {
    return action_acl_ == ActionAcl::Skip ? tree::Principal::bootstrap() : tree::Principal::server(server);
}

policy::ActionOutcome TreePolicyHost::execute(const policy::LocalCommand& command,
                                              const base::ServerId& as_server) {
    return run(command, principal_for(as_server));
}

policy::ActionOutcome TreePolicyHost::run(const policy::LocalCommand& c, const tree::Principal& who) {
    policy::ActionOutcome out;
    auto target = tree::TargetUri::parse(c.target, tree_.options().uri_limits);
    if (!target) {
        out.status = tree::status_for(target.error());
        out.detail = target.error().detail;
        return out;
    }
    const tree::NodeContent content{to_tree_format(c.format), c.type, c.data};
    switch (c.kind) {
    case policy::CommandKind::Add:
        out.status = tree_.add(who, *target, content, clock_.now());
        break;
    case policy::CommandKind::Replace:
        out.status = tree_.replace(who, *target, content, clock_.now());
        break;
    case policy::CommandKind::Delete:
        out.status = tree_.remove(who, *target, clock_.now());
        break;
    case policy::CommandKind::Exec:
        out.status = tree_.exec(who, target->node, tree::ExecRequest{c.data, {}});
        break;
    case policy::CommandKind::Copy: {
        auto source = tree::NodeUri::parse(c.source, tree_.options().uri_limits);
        out.status =
            source ? tree_.copy(who, *source, target->node, clock_.now()) : tree::status_for(source.error());
        break;
    }
    case policy::CommandKind::Get: {
        const tree::GetResult r = tree_.get(who, *target);
        out.status = r.status;
        if (base::is_success(r.status) && !r.items.empty()) {
            const auto& item = r.items.front();
            out.value = policy::NodeValue{item.data.value_or(""), item.format ? to_policy_format(*item.format)
                                                                              : policy::NodeFormat::Chr};
        }
        break;
    }
    }
    if (!base::is_success(out.status))
        out.detail = std::string(policy::command_name(c.kind)) + " " + c.target;
    return out;
}

policy::AtomicOutcome TreePolicyHost::execute_atomic(std::span<const policy::LocalCommand> commands,
                                                     const base::ServerId& as_server) {
    policy::AtomicOutcome out;
    if (tree_.in_transaction()) {
        // A policy action cannot open a transaction inside another one (no nested Atomic).
        out.status = StatusCode::CommandFailed;
        out.items.resize(commands.size(), policy::ActionOutcome{StatusCode::NotExecuted, {}, {}});
        return out;
    }
    const tree::Principal who = principal_for(as_server);
    tree_.begin();
    std::optional<std::size_t> failed;
    for (std::size_t i = 0; i < commands.size(); ++i) {
        if (failed || commands[i].kind == policy::CommandKind::Get) {
            // Get inside Atomic is not allowed (500), like a server's Atomic.
            if (!failed) {
                out.items.push_back({StatusCode::CommandFailed, std::nullopt, "Get inside Atomic"});
                failed = i;
                continue;
            }
            out.items.push_back({StatusCode::NotExecuted, std::nullopt, {}});
            continue;
        }
        out.items.push_back(run(commands[i], who));
        if (!base::is_success(out.items.back().status)) failed = i;
    }
    if (!failed) {
        const StatusCode committed = tree_.commit();
        if (committed == StatusCode::Ok) return out;
        out.status = StatusCode::AtomicFailed;
        for (auto& item : out.items)
            item.status = StatusCode::AtomicRollbackOk;
        return out;
    }
    tree_.rollback();
    out.status = StatusCode::AtomicFailed;
    for (std::size_t i = 0; i < out.items.size(); ++i) {
        auto& item = out.items[i];
        if (i == *failed || item.status == StatusCode::NotExecuted) continue;
        item.status = tree::rolled_back_member_status(item.status);
        item.value.reset();
    }
    return out;
}

StatusCode TreePolicyHost::set_internal(std::string_view uri, const policy::NodeValue& value) {
    auto parsed = tree::NodeUri::parse(uri);
    if (!parsed) return tree::status_for(parsed.error());
    const tree::Principal who = tree::Principal::bootstrap();
    const tree::NodeContent content{to_tree_format(value.format), {}, value.data};
    if (tree_.exists(*parsed)) return tree_.replace(who, *parsed, content, clock_.now());
    return tree_.add(who, *parsed, content, clock_.now());
}

StatusCode TreePolicyHost::remove_internal(std::string_view uri) {
    auto parsed = tree::NodeUri::parse(uri);
    if (!parsed) return tree::status_for(parsed.error());
    if (!tree_.exists(*parsed)) return StatusCode::NotFound;
    return tree_.remove(tree::Principal::bootstrap(), *parsed, clock_.now());
}

} // namespace omadm::client
