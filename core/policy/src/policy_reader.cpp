#include "omadm/policy/policy_reader.hpp"

#include "internal.hpp"
#include "omadm/policy/errc.hpp"
#include "result_access.hpp"

#include <algorithm>
#include <charconv>

namespace omadm::policy {
namespace {

using base::Result;

using detail::error;

template <class Int> std::optional<Int> parse_int(std::string_view s) {
    Int v{};
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

// Reads a policy subtree through the host, one node family at a time. Every name appended to a node
// URI is the layout's or one the host listed as a child.
class SubtreeReader {
public:
    SubtreeReader(PolicyHost& host, const PolicyLayout& layout, const ExtensionRegistry& extensions)
        : host_(host), layout_(layout), extensions_(extensions) {}

    std::optional<std::string> leaf(const tree::NodeUri& uri) {
        auto v = host_.get(uri);
        if (!v || v->format == tree::Format::Node) return std::nullopt;
        return std::move(v->data);
    }

    Result<std::string> required(const tree::NodeUri& uri) {
        auto v = leaf(uri);
        if (!v) return error(Errc::MissingNode, "missing mandatory node " + uri.str());
        return std::move(*v);
    }

    Result<void> header(const tree::NodeUri& p, PolicySpec& spec) {
        auto id = required(p / layout_.policy_id);
        if (!id) return id.error();
        auto version = required(p / layout_.version);
        if (!version) return version.error();
        spec.id = std::move(detail::value_of(id));
        spec.version = std::move(detail::value_of(version));
        spec.name = leaf(p / layout_.name).value_or("");
        if (const auto prio = leaf(p / layout_.priority)) {
            const auto v = parse_int<std::int32_t>(*prio);
            if (!v) return error(Errc::BadValue, "Priority is not an int: '" + *prio + "'");
            spec.priority = *v;
        }
        return {};
    }

    Result<void> conditions(const tree::NodeUri& p, PolicySpec& spec) {
        const auto base = p / layout_.conditions;
        spec.expression = leaf(base / layout_.expression).value_or("");
        const auto simple = base / layout_.simple_conditions;
        for (auto& name : host_.children(simple)) {
            const auto c = simple / name;
            SimpleCondition cond;
            auto uri = required(c / layout_.condition_uri);
            if (!uri) return uri.error();
            auto op = required(c / layout_.condition_operator);
            if (!op) return op.error();
            cond.uri = std::move(detail::value_of(uri));
            auto op_text = layout_.values.condition_operator.decode(detail::value_of(op));
            if (const auto known = parse_operator(op_text)) {
                cond.op = *known;
            } else {
                cond.op = Operator::Extension;
                cond.extension_operator = std::move(op_text);
            }
            cond.value = leaf(c / layout_.condition_value).value_or("");
            const auto compare = leaf(c / layout_.condition_compare).value_or("text");
            if (compare != "text" && compare != "version") {
                std::string detail = c.str() + ": Compare must be text or version, not '";
                detail += compare;
                detail += '\'';
                return error(Errc::BadValue, std::move(detail));
            }
            cond.compare = compare == "version" ? CompareMode::Version : CompareMode::Text;
            cond.name = std::move(name);
            spec.conditions.push_back(std::move(cond));
        }
        return {};
    }

    Result<void> action(const tree::NodeUri& a, std::string name, std::uint32_t position, PolicySpec& spec) {
        SimpleAction act;
        act.name = std::move(name);
        act.order = position;
        if (const auto order = leaf(a / layout_.action_order)) {
            const auto v = parse_int<std::uint32_t>(*order);
            if (!v)
                return error(Errc::BadValue, a.str() + ": Order is not a non-negative int: '" + *order + "'");
            act.order = *v;
        }
        auto command = required(a / layout_.action_command);
        if (!command) return command.error();
        act.command = parse_command(detail::value_of(command));
        if (!act.command) act.extension_kind = detail::value_of(command);
        act.target = leaf(a / layout_.action_target).value_or("");
        act.source = leaf(a / layout_.action_source).value_or("");
        act.data = leaf(a / layout_.action_data).value_or("");
        act.type = leaf(a / layout_.action_type).value_or("");
        if (const auto f = leaf(a / layout_.action_format)) {
            const auto fmt = tree::parse_format(*f);
            if (!fmt) return error(Errc::BadValue, a.str() + ": unknown Format '" + *f + "'");
            act.format = *fmt;
        }
        spec.actions.push_back(std::move(act));
        return {};
    }

    Result<void> actions(const tree::NodeUri& p, PolicySpec& spec) {
        const auto base = p / layout_.actions;
        if (const auto mode = leaf(base / layout_.action_mode)) {
            const auto m = parse_action_mode(layout_.values.action_mode.decode(*mode));
            if (!m)
                return error(Errc::BadValue, "Actions Mode must be Sequence or Atomic, not '" + *mode + "'");
            spec.mode = *m;
        }
        const auto simple = base / layout_.simple_actions;
        std::uint32_t position = 0;
        for (auto& name : host_.children(simple)) {
            const auto a = simple / name;
            if (auto r = action(a, std::move(name), position++, spec); !r) return r;
        }
        std::stable_sort(spec.actions.begin(), spec.actions.end(),
                         [](const SimpleAction& x, const SimpleAction& y) { return x.order < y.order; });
        return {};
    }

    Result<void> trigger(const tree::NodeUri& p, PolicySpec& spec) {
        const auto base = p / layout_.trigger;
        if (const auto mode = leaf(base / layout_.trigger_mode)) {
            const auto m = parse_trigger_mode(layout_.values.trigger_mode.decode(*mode));
            if (!m)
                return error(Errc::BadValue,
                             "Trigger Mode must be OnChange, Periodic or Both, not '" + *mode + "'");
            spec.trigger.mode = *m;
        }
        if (const auto period = leaf(base / layout_.trigger_period)) {
            const auto v = parse_int<std::int64_t>(*period);
            if (!v || *v <= 0)
                return error(Errc::BadValue, "Trigger Period must be a positive int: '" + *period + "'");
            spec.trigger.period = std::chrono::seconds{*v};
        }
        for (const auto& [name, slot] : {std::pair{&layout_.valid_from, &spec.trigger.valid_from},
                                         std::pair{&layout_.valid_until, &spec.trigger.valid_until}}) {
            if (const auto text = leaf(base / *name)) {
                const auto ms = parse_iso8601(*text);
                if (!ms)
                    return error(Errc::BadValue, "Trigger " + *name + " is not ISO 8601: '" + *text + "'");
                *slot = base::TimePoint{base::Duration{*ms}};
            }
        }
        return {};
    }

    Result<void> others(const tree::NodeUri& p, PolicySpec& spec) {
        const auto bindings = p / layout_.bindings;
        for (const auto& name : host_.children(bindings)) {
            auto uri = required(bindings / name / layout_.binding_uri);
            if (!uri) return uri.error();
            spec.bindings.push_back(std::move(detail::value_of(uri)));
        }
        if (const auto enabled = leaf(p / layout_.notify / layout_.notify_enabled)) {
            if (*enabled != "true" && *enabled != "false") {
                return error(Errc::BadValue, "Notify Enabled must be true or false, not '" + *enabled + "'");
            }
            spec.notify = *enabled == "true";
        }
        read_ext(p / layout_.ext, "", spec.ext);
        return {};
    }

private:
    void read_ext(const tree::NodeUri& uri, const std::string& rel, std::vector<ExtNode>& out) {
        for (const auto& name : host_.children(uri)) {
            const auto child = uri / name;
            const auto child_rel = detail::ext_path(rel, name);
            auto v = host_.get(child);
            if (!v) continue;
            const bool interior = v->format == tree::Format::Node;
            out.push_back(ExtNode{child_rel, std::move(*v)});
            if (interior && out.size() < kMaxExtNodes) read_ext(child, child_rel, out);
        }
    }

    static constexpr std::size_t kMaxExtNodes = 1024;
    PolicyHost& host_;
    const PolicyLayout& layout_;
    [[maybe_unused]] const ExtensionRegistry& extensions_;
};

/// The node each condition reads: its URI parsed (a URI that does not parse names no node).
std::vector<std::optional<tree::NodeUri>> condition_nodes(const PolicySpec& spec) {
    std::vector<std::optional<tree::NodeUri>> out;
    out.reserve(spec.conditions.size());
    for (const auto& c : spec.conditions) {
        auto node = tree::NodeUri::parse(c.uri);
        if (node) {
            out.emplace_back(std::move(detail::value_of(node)));
        } else {
            out.emplace_back(std::nullopt);
        }
    }
    return out;
}

/// The errors a lenient read lets through (Validation::Lenient).
bool tolerated(const base::Error& e) {
    const auto code = static_cast<Errc>(e.code.value());
    return code == Errc::UnknownOperator || code == Errc::ExpressionSyntax || code == Errc::UnknownCondition;
}

/// The expression as far as it parses: every condition when it is empty, always true when it is bad.
Expression lenient_expression(const PolicySpec& spec) {
    std::vector<std::string> names;
    std::string all;
    for (const auto& c : spec.conditions) {
        names.push_back(c.name);
        all += (all.empty() ? "" : " and ") + c.name;
    }
    const bool empty = spec.expression.find_first_not_of(" \t\r\n") == std::string::npos;
    auto e = Expression::parse(empty ? all : spec.expression, names);
    return e ? std::move(detail::value_of(e)) : Expression{};
}

} // namespace

Result<CompiledPolicy> read_policy(PolicyHost& host, const PolicyLayout& layout,
                                   const ExtensionRegistry& extensions, const tree::NodeUri& policy_uri,
                                   Validation validation) {
    const auto root = host.get(policy_uri);
    if (!root || root->format != tree::Format::Node)
        return error(Errc::MissingNode, "no policy node at " + policy_uri.str());
    SubtreeReader reader(host, layout, extensions);
    CompiledPolicy out;
    out.uri = policy_uri;
    for (auto step : {&SubtreeReader::header, &SubtreeReader::conditions, &SubtreeReader::actions,
                      &SubtreeReader::trigger, &SubtreeReader::others}) {
        if (auto r = (reader.*step)(policy_uri, out.spec); !r) return r.error();
    }
    out.condition_nodes = condition_nodes(out.spec);
    auto expression = validate_spec(out.spec, layout, extensions);
    if (!expression && validation == Validation::Lenient && tolerated(expression.error())) {
        out.expression = lenient_expression(out.spec);
        return out;
    }
    if (!expression) return expression.error();
    out.expression = std::move(detail::value_of(expression));
    return out;
}

} // namespace omadm::policy
