#include "omadm/agent/command_runner.hpp"

#include "omadm/base/overloaded.hpp"
#include "omadm/tree/errc.hpp"

#include <algorithm>
#include <cctype>

namespace omadm::agent {

using base::StatusCode;
using session::CommandOutcome;

namespace {

using base::Overloaded;

CommandOutcome outcome(StatusCode code) {
    CommandOutcome o;
    o.code = code;
    return o;
}

/// Meta of an item, falling back field by field on the command's Meta.
syncml::Meta effective_meta(const syncml::ItemCommand& cmd, const syncml::Item& item) {
    syncml::Meta m = item.meta.value_or(syncml::Meta{});
    if (cmd.meta) {
        if (!m.format) m.format = cmd.meta->format;
        if (!m.type) m.type = cmd.meta->type;
    }
    return m;
}

base::Result<tree::NodeContent> content_of(const syncml::ItemCommand& cmd, const syncml::Item& item) {
    const syncml::Meta m = effective_meta(cmd, item);
    tree::NodeContent c;
    if (m.format && !m.format->empty()) {
        std::string f = *m.format;
        std::transform(f.begin(), f.end(), f.begin(),
                       [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
        auto parsed = tree::parse_format(f);
        if (!parsed) return parsed.error();
        c.format = *parsed;
    }
    c.type = m.type.value_or("");
    c.data = item.data.value_or("");
    return c;
}

std::optional<std::string> target_of(const syncml::Item& item) {
    if (!item.target || item.target->loc_uri.empty()) return std::nullopt;
    return item.target->loc_uri;
}

syncml::Item to_item(const tree::ResultItem& r) {
    syncml::Item item;
    item.source = syncml::Location{r.source, std::nullopt};
    syncml::Meta meta;
    if (r.format) meta.format = std::string(tree::format_name(*r.format));
    if (!r.type.empty()) meta.type = r.type;
    if (!meta.empty()) item.meta = meta;
    item.data = r.data;
    return item;
}

} // namespace

bool is_tnds_item(const syncml::ItemCommand& cmd, const syncml::Item& item) {
    return effective_meta(cmd, item).type.value_or("") == tree::kTndsXmlMime;
}

CommandOutcome CommandRunner::run(const syncml::Command& command, const tree::Principal& who,
                                  base::TimePoint now) {
    return dispatch(command, Call{who, now}, Nesting::TopLevel);
}

CommandOutcome CommandRunner::dispatch(const syncml::Command& command, const Call& call, Nesting nesting) {
    const bool top = nesting == Nesting::TopLevel;
    return std::visit(
        Overloaded{
            [&](const syncml::Add& c) {
                return outcome(top ? write_top_level(c, call, false) : write(c, call, false));
            },
            [&](const syncml::Replace& c) {
                return outcome(top ? write_top_level(c, call, true) : write(c, call, true));
            },
            [&](const syncml::Delete& c) { return outcome(remove(c, call)); },
            [&](const syncml::Copy& c) { return outcome(copy(c, call)); },
            [&](const syncml::Exec& c) { return outcome(exec(c, call)); },
            [&](const syncml::Get& c) {
                // Get is not allowed inside Atomic: 500.
                return nesting == Nesting::InAtomic ? outcome(StatusCode::CommandFailed) : get(c, call);
            },
            [&](const syncml::Atomic& c) {
                return nesting == Nesting::InAtomic ? outcome(StatusCode::CommandFailed)
                                                    : run_atomic(c, call);
            },
            [&](const syncml::Sequence& c) { return run_sequence(c, call, nesting); },
            [&](const syncml::Alert& c) {
                // UI alerts: DISPLAY and CONFIRM are accepted at once (no user); the others are
                // optional features this device does not offer.
                const bool shown =
                    c.code == syncml::alert_code::kDisplay || c.code == syncml::alert_code::kConfirmOrReject;
                return outcome(shown ? StatusCode::Ok : StatusCode::OptionalFeatureNotSupported);
            },
            [&](const syncml::Results&) { return outcome(StatusCode::BadRequest); },
            [&](const syncml::Status&) { return outcome(StatusCode::BadRequest); },
        },
        command.variant());
}

template <class Apply>
StatusCode CommandRunner::write_each(const syncml::ItemCommand& cmd, const Call& call, Apply&& apply) {
    if (cmd.items.empty()) return StatusCode::IncompleteCommand;
    for (const auto& item : cmd.items) {
        const auto uri = target_of(item);
        if (!uri) return StatusCode::IncompleteCommand;
        auto target = tree::TargetUri::parse(*uri, tree_.options().uri_limits);
        if (!target) return tree::status_for(target.error());
        if (const StatusCode allowed = may_write(target->node, call); !base::is_success(allowed))
            return allowed;
        if (const StatusCode st = apply(*target, item); !base::is_success(st)) return st;
    }
    return StatusCode::Ok;
}

StatusCode CommandRunner::write(const syncml::ItemCommand& cmd, const Call& call, bool replace) {
    return write_each(cmd, call, [&](const tree::TargetUri& target, const syncml::Item& item) {
        auto content = content_of(cmd, item);
        if (!content) return StatusCode::UnsupportedMediaType;
        return replace ? tree_.replace(call.who, target, *content, call.now)
                       : tree_.add(call.who, target, *content, call.now);
    });
}

StatusCode CommandRunner::write_top_level(const syncml::ItemCommand& cmd, const Call& call, bool replace) {
    const bool tnds = std::any_of(cmd.items.begin(), cmd.items.end(),
                                  [&](const syncml::Item& i) { return is_tnds_item(cmd, i); });
    if (!tnds || tree_.in_transaction()) return write(cmd, call, replace);
    // A TNDS subtree is one transaction, so that a policy it carries is installed or refused whole.
    tree_.begin();
    const StatusCode st = write(cmd, call, replace);
    return commit_or_rollback(st, call);
}

StatusCode CommandRunner::commit_or_rollback(StatusCode members, const Call& call) {
    StatusCode st = members;
    if (base::is_success(st) && hooks_ != nullptr) st = hooks_->before_commit(call.who, call.now);
    if (!base::is_success(st)) {
        tree_.rollback();
        if (hooks_ != nullptr) hooks_->after_rollback(call.now);
        return st;
    }
    const StatusCode committed = tree_.commit();
    if (committed != StatusCode::Ok) {
        if (hooks_ != nullptr) hooks_->after_rollback(call.now);
        return committed;
    }
    return members;
}

StatusCode CommandRunner::may_write(const tree::NodeUri& target, const Call& call) const {
    return hooks_ != nullptr ? hooks_->may_write(target, call.who, call.now) : StatusCode::Ok;
}

StatusCode CommandRunner::remove(const syncml::ItemCommand& cmd, const Call& call) {
    return write_each(cmd, call, [&](const tree::TargetUri& target, const syncml::Item&) {
        return tree_.remove(call.who, target, call.now);
    });
}

CommandOutcome CommandRunner::get(const syncml::ItemCommand& cmd, const Call& call) {
    if (cmd.items.empty()) return outcome(StatusCode::IncompleteCommand);
    session::ResultsPayload results;
    StatusCode code = StatusCode::Ok;
    for (const auto& item : cmd.items) {
        const auto uri = target_of(item);
        if (!uri) return outcome(StatusCode::IncompleteCommand);
        auto target = tree::TargetUri::parse(*uri, tree_.options().uri_limits);
        if (!target) return outcome(tree::status_for(target.error()));
        const tree::GetResult r = tree_.get(call.who, *target);
        if (!base::is_success(r.status)) return outcome(r.status);
        if (r.status != StatusCode::Ok) code = r.status; // 217: inherited ACL (DM 1.3)
        for (const auto& ri : r.items)
            results.items.push_back(to_item(ri));
    }
    CommandOutcome out = outcome(code);
    out.results = std::move(results);
    return out;
}

StatusCode CommandRunner::exec(const syncml::Exec& cmd, const Call& call) {
    const auto uri = target_of(cmd.item);
    if (!uri) return StatusCode::IncompleteCommand;
    auto target = tree::NodeUri::parse(*uri, tree_.options().uri_limits);
    if (!target) return tree::status_for(target.error());
    const tree::ExecRequest request{cmd.item.data.value_or(""), cmd.correlator.value_or("")};
    if (hooks_ != nullptr) {
        const tree::NodeUri resolved = tree_.resolve(*target);
        if (const StatusCode allowed = tree_.may_exec(call.who, resolved); allowed != StatusCode::Ok)
            return allowed;
        if (const auto taken = hooks_->exec(call.who, resolved, request, call.now)) return *taken;
    }
    return tree_.exec(call.who, *target, request);
}

StatusCode CommandRunner::copy(const syncml::ItemCommand& cmd, const Call& call) {
    if (cmd.items.empty()) return StatusCode::IncompleteCommand;
    for (const auto& item : cmd.items) {
        const auto target_text = target_of(item);
        if (!target_text || !item.source || item.source->loc_uri.empty())
            return StatusCode::IncompleteCommand;
        auto target = tree::NodeUri::parse(*target_text, tree_.options().uri_limits);
        if (!target) return tree::status_for(target.error());
        auto source = tree::NodeUri::parse(item.source->loc_uri, tree_.options().uri_limits);
        if (!source) return tree::status_for(source.error());
        if (const StatusCode allowed = may_write(*target, call); !base::is_success(allowed)) return allowed;
        const StatusCode st = tree_.copy(call.who, *source, *target, call.now);
        if (!base::is_success(st)) return st;
    }
    return StatusCode::Ok;
}

CommandOutcome CommandRunner::run_atomic(const syncml::Atomic& atomic, const Call& call) {
    if (tree_.in_transaction()) return outcome(StatusCode::CommandFailed);
    tree_.begin();
    CommandOutcome out;
    std::optional<std::size_t> failed;
    for (std::size_t i = 0; i < atomic.commands.size(); ++i) {
        if (failed) {
            out.members.push_back(outcome(StatusCode::NotExecuted));
            continue;
        }
        out.members.push_back(dispatch(atomic.commands[i], call, Nesting::InAtomic));
        if (!base::is_success(out.members.back().code)) failed = i;
    }
    const StatusCode members = failed ? out.members[*failed].code : StatusCode::Ok;
    const StatusCode st = commit_or_rollback(members, call);
    if (base::is_success(st)) {
        out.code = StatusCode::Ok;
        return out;
    }
    out.code = StatusCode::AtomicFailed;
    for (std::size_t i = 0; i < out.members.size(); ++i) {
        auto& m = out.members[i];
        m.results.reset();
        if (failed && i == *failed) continue;            // the failing member keeps its own code
        if (m.code == StatusCode::NotExecuted) continue; // never reached
        m.code = tree::rolled_back_member_status(m.code);
    }
    // Refused at commit (a policy the Atomic carried was invalid, or the store failed): the first
    // member reports why.
    if (!failed && !out.members.empty()) out.members.front().code = st;
    return out;
}

CommandOutcome CommandRunner::run_sequence(const syncml::Sequence& seq, const Call& call, Nesting nesting) {
    CommandOutcome out;
    bool stopped = false;
    const Nesting inner = nesting == Nesting::InAtomic ? Nesting::InAtomic : Nesting::InSequence;
    for (const auto& member : seq.commands) {
        if (stopped) {
            out.members.push_back(outcome(StatusCode::NotExecuted));
            continue;
        }
        out.members.push_back(dispatch(member, call, inner));
        if (!base::is_success(out.members.back().code)) stopped = true;
    }
    out.code = StatusCode::Ok;
    if (stopped && nesting == Nesting::InAtomic) {
        for (const auto& m : out.members) {
            if (!base::is_success(m.code)) out.code = m.code;
        }
    }
    return out;
}

} // namespace omadm::agent
