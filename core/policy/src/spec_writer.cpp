#include "omadm/policy/spec_writer.hpp"

#include <string>

namespace omadm::policy {
namespace {

constexpr std::string_view kText = "text/plain";

class Writer {
public:
    Writer(const PolicyLayout& layout, std::vector<NodeWrite>& out) : l_(layout), out_(out) {}

    void interior(WriteOp op, const std::string& uri, std::string type = {}) {
        out_.push_back({op, uri, tree::Format::Node, std::move(type), {}});
    }
    void leaf(WriteOp op, const std::string& uri, std::string value, tree::Format f = tree::Format::Chr) {
        out_.push_back({op, uri, f, std::string(kText), std::move(value)});
    }

    void conditions(const PolicySpec& s, const std::string& p) {
        const auto base = join_uri(p, l_.conditions);
        interior(WriteOp::Add, base);
        leaf(WriteOp::Add, join_uri(base, l_.expression), s.expression);
        const auto simple = join_uri(base, l_.simple_conditions);
        interior(WriteOp::Add, simple);
        for (const auto& c : s.conditions) {
            const auto u = join_uri(simple, c.name);
            interior(WriteOp::Add, u);
            leaf(WriteOp::Add, join_uri(u, l_.condition_uri), c.uri);
            leaf(WriteOp::Add, join_uri(u, l_.condition_operator),
                 l_.values.condition_operator.encode(c.operator_text()));
            leaf(WriteOp::Add, join_uri(u, l_.condition_value), c.value);
            if (c.compare == CompareMode::Version)
                leaf(WriteOp::Add, join_uri(u, l_.condition_compare), "version");
        }
    }

    void actions(const PolicySpec& s, const std::string& p) {
        const auto base = join_uri(p, l_.actions);
        interior(WriteOp::Add, base);
        leaf(WriteOp::Add, join_uri(base, l_.action_mode),
             l_.values.action_mode.encode(action_mode_name(s.mode)));
        const auto simple = join_uri(base, l_.simple_actions);
        interior(WriteOp::Add, simple);
        for (const auto& a : s.actions) {
            const auto u = join_uri(simple, a.name);
            interior(WriteOp::Add, u);
            leaf(WriteOp::Add, join_uri(u, l_.action_order), std::to_string(a.order), tree::Format::Int);
            leaf(WriteOp::Add, join_uri(u, l_.action_command), a.command_text());
            leaf(WriteOp::Add, join_uri(u, l_.action_target), a.target);
            if (!a.source.empty()) leaf(WriteOp::Add, join_uri(u, l_.action_source), a.source);
            if (!a.data.empty()) leaf(WriteOp::Add, join_uri(u, l_.action_data), a.data);
            leaf(WriteOp::Add, join_uri(u, l_.action_format), std::string(format_name(a.format)));
            if (!a.type.empty()) leaf(WriteOp::Add, join_uri(u, l_.action_type), a.type);
        }
    }

    void bindings(const PolicySpec& s, const std::string& p) {
        const auto base = join_uri(p, l_.bindings);
        interior(WriteOp::Add, base);
        std::size_t n = 0;
        for (const auto& binding : s.bindings) {
            std::string name = std::to_string(++n);
            name.insert(0, 1, 'b'); // not "b" + ...: GCC 12 -Wrestrict false positive at -O3
            const auto u = join_uri(base, name);
            interior(WriteOp::Add, u);
            leaf(WriteOp::Add, join_uri(u, l_.binding_uri), binding);
        }
    }

    void trigger(const PolicySpec& s, const std::string& p) {
        const auto base = join_uri(p, l_.trigger);
        interior(WriteOp::Add, base);
        leaf(WriteOp::Add, join_uri(base, l_.trigger_mode),
             l_.values.trigger_mode.encode(trigger_mode_name(s.trigger.mode)));
        if (s.trigger.period.count() > 0) {
            leaf(WriteOp::Add, join_uri(base, l_.trigger_period), std::to_string(s.trigger.period.count()),
                 tree::Format::Int);
        }
        if (s.trigger.valid_from) {
            leaf(WriteOp::Add, join_uri(base, l_.valid_from), base::format_tstamp(*s.trigger.valid_from));
        }
        if (s.trigger.valid_until) {
            leaf(WriteOp::Add, join_uri(base, l_.valid_until), base::format_tstamp(*s.trigger.valid_until));
        }
    }

    void notify(const PolicySpec& s, const std::string& p) {
        const auto base = join_uri(p, l_.notify);
        interior(WriteOp::Add, base);
        leaf(WriteOp::Add, join_uri(base, l_.notify_enabled), s.notify ? "true" : "false",
             tree::Format::Bool);
    }

    void ext(const PolicySpec& s, const std::string& p) {
        const auto base = join_uri(p, l_.ext);
        interior(WriteOp::Add, base);
        for (const auto& e : s.ext) {
            const auto u = join_uri(base, e.path);
            if (e.value.format == tree::Format::Node) {
                interior(WriteOp::Add, u);
            } else {
                leaf(WriteOp::Add, u, e.value.data, e.value.format);
            }
        }
    }

    void header(WriteOp op, const PolicySpec& s, const std::string& p) {
        leaf(op, join_uri(p, l_.policy_id), s.id);
        leaf(op, join_uri(p, l_.name), s.name);
        leaf(op, join_uri(p, l_.priority), std::to_string(s.priority), tree::Format::Int);
    }

    void body(const PolicySpec& s, const std::string& p) {
        conditions(s, p);
        actions(s, p);
        bindings(s, p);
        trigger(s, p);
        notify(s, p);
    }

private:
    const PolicyLayout& l_;
    std::vector<NodeWrite>& out_;
};

} // namespace

std::vector<NodeWrite> download_writes(const PolicySpec& spec, const PolicyLayout& layout,
                                       std::string_view policy_uri) {
    std::vector<NodeWrite> out;
    Writer w(layout, out);
    const std::string p(policy_uri);
    w.interior(WriteOp::Add, p, layout.mo_type);
    w.header(WriteOp::Add, spec, p);
    w.leaf(WriteOp::Add, join_uri(p, layout.version), spec.version);
    w.body(spec, p);
    w.ext(spec, p);
    return out;
}

std::vector<NodeWrite> update_writes(const PolicySpec& spec, const PolicyLayout& layout,
                                     std::string_view policy_uri) {
    std::vector<NodeWrite> out;
    Writer w(layout, out);
    const std::string p(policy_uri);
    for (const auto* name :
         {&layout.conditions, &layout.actions, &layout.bindings, &layout.trigger, &layout.notify}) {
        out.push_back({WriteOp::Delete, join_uri(p, *name), tree::Format::Node, {}, {}});
    }
    w.body(spec, p);
    w.header(WriteOp::Replace, spec, p);
    w.leaf(WriteOp::Replace, join_uri(p, layout.version), spec.version);
    return out;
}

} // namespace omadm::policy
