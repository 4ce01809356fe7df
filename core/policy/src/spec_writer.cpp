#include "omadm/policy/spec_writer.hpp"

#include <string>
#include <string_view>
#include <utility>

namespace omadm::policy {
namespace {

constexpr std::string_view kText = "text/plain";

/// The node at `rel` (an ExtNode::path, "A/B") below `base`.
tree::NodeUri below(tree::NodeUri base, std::string_view rel) {
    while (true) {
        const auto slash = rel.find('/');
        base = std::move(base) / rel.substr(0, slash);
        if (slash == std::string_view::npos) return base;
        rel.remove_prefix(slash + 1);
    }
}

class Writer {
public:
    Writer(const PolicyLayout& layout, std::vector<NodeWrite>& out) : l_(layout), out_(out) {}

    void interior(WriteOp op, const tree::NodeUri& uri, std::string type = {}) {
        out_.push_back({op, uri, tree::Format::Node, std::move(type), {}});
    }
    void leaf(WriteOp op, const tree::NodeUri& uri, std::string value, tree::Format f = tree::Format::Chr) {
        out_.push_back({op, uri, f, std::string(kText), std::move(value)});
    }

    void conditions(const PolicySpec& s, const tree::NodeUri& p) {
        const auto base = p / l_.conditions;
        interior(WriteOp::Add, base);
        leaf(WriteOp::Add, base / l_.expression, s.expression);
        const auto simple = base / l_.simple_conditions;
        interior(WriteOp::Add, simple);
        for (const auto& c : s.conditions) {
            const auto u = simple / c.name;
            interior(WriteOp::Add, u);
            leaf(WriteOp::Add, u / l_.condition_uri, c.uri);
            leaf(WriteOp::Add, u / l_.condition_operator,
                 l_.values.condition_operator.encode(c.operator_text()));
            leaf(WriteOp::Add, u / l_.condition_value, c.value);
            if (c.compare == CompareMode::Version) leaf(WriteOp::Add, u / l_.condition_compare, "version");
        }
    }

    void actions(const PolicySpec& s, const tree::NodeUri& p) {
        const auto base = p / l_.actions;
        interior(WriteOp::Add, base);
        leaf(WriteOp::Add, base / l_.action_mode, l_.values.action_mode.encode(action_mode_name(s.mode)));
        const auto simple = base / l_.simple_actions;
        interior(WriteOp::Add, simple);
        for (const auto& a : s.actions) {
            const auto u = simple / a.name;
            interior(WriteOp::Add, u);
            leaf(WriteOp::Add, u / l_.action_order, std::to_string(a.order), tree::Format::Int);
            leaf(WriteOp::Add, u / l_.action_command, a.command_text());
            leaf(WriteOp::Add, u / l_.action_target, a.target);
            if (!a.source.empty()) leaf(WriteOp::Add, u / l_.action_source, a.source);
            if (!a.data.empty()) leaf(WriteOp::Add, u / l_.action_data, a.data);
            leaf(WriteOp::Add, u / l_.action_format, std::string(format_name(a.format)));
            if (!a.type.empty()) leaf(WriteOp::Add, u / l_.action_type, a.type);
        }
    }

    void bindings(const PolicySpec& s, const tree::NodeUri& p) {
        const auto base = p / l_.bindings;
        interior(WriteOp::Add, base);
        std::size_t n = 0;
        for (const auto& binding : s.bindings) {
            std::string name = std::to_string(++n);
            name.insert(0, 1, 'b'); // not "b" + ...: GCC 12 -Wrestrict false positive at -O3
            const auto u = base / name;
            interior(WriteOp::Add, u);
            leaf(WriteOp::Add, u / l_.binding_uri, binding);
        }
    }

    void trigger(const PolicySpec& s, const tree::NodeUri& p) {
        const auto base = p / l_.trigger;
        interior(WriteOp::Add, base);
        leaf(WriteOp::Add, base / l_.trigger_mode,
             l_.values.trigger_mode.encode(trigger_mode_name(s.trigger.mode)));
        if (s.trigger.period.count() > 0) {
            leaf(WriteOp::Add, base / l_.trigger_period, std::to_string(s.trigger.period.count()),
                 tree::Format::Int);
        }
        if (s.trigger.valid_from) {
            leaf(WriteOp::Add, base / l_.valid_from, base::format_tstamp(*s.trigger.valid_from));
        }
        if (s.trigger.valid_until) {
            leaf(WriteOp::Add, base / l_.valid_until, base::format_tstamp(*s.trigger.valid_until));
        }
    }

    void notify(const PolicySpec& s, const tree::NodeUri& p) {
        const auto base = p / l_.notify;
        interior(WriteOp::Add, base);
        leaf(WriteOp::Add, base / l_.notify_enabled, s.notify ? "true" : "false", tree::Format::Bool);
    }

    void ext(const PolicySpec& s, const tree::NodeUri& p) {
        const auto base = p / l_.ext;
        interior(WriteOp::Add, base);
        for (const auto& e : s.ext) {
            const auto u = below(base, e.path);
            if (e.value.format == tree::Format::Node) {
                interior(WriteOp::Add, u);
            } else {
                leaf(WriteOp::Add, u, e.value.data, e.value.format);
            }
        }
    }

    void header(WriteOp op, const PolicySpec& s, const tree::NodeUri& p) {
        leaf(op, p / l_.policy_id, s.id);
        leaf(op, p / l_.name, s.name);
        leaf(op, p / l_.priority, std::to_string(s.priority), tree::Format::Int);
    }

    void body(const PolicySpec& s, const tree::NodeUri& p) {
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
                                       const tree::NodeUri& policy_uri) {
    std::vector<NodeWrite> out;
    Writer w(layout, out);
    w.interior(WriteOp::Add, policy_uri, layout.mo_type);
    w.header(WriteOp::Add, spec, policy_uri);
    w.leaf(WriteOp::Add, policy_uri / layout.version, spec.version);
    w.body(spec, policy_uri);
    w.ext(spec, policy_uri);
    return out;
}

std::vector<NodeWrite> update_writes(const PolicySpec& spec, const PolicyLayout& layout,
                                     const tree::NodeUri& policy_uri) {
    std::vector<NodeWrite> out;
    Writer w(layout, out);
    for (const auto* name :
         {&layout.conditions, &layout.actions, &layout.bindings, &layout.trigger, &layout.notify}) {
        out.push_back({WriteOp::Delete, policy_uri / *name, tree::Format::Node, {}, {}});
    }
    w.body(spec, policy_uri);
    w.header(WriteOp::Replace, spec, policy_uri);
    w.leaf(WriteOp::Replace, policy_uri / layout.version, spec.version);
    return out;
}

} // namespace omadm::policy
