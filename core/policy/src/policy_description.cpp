#include "omadm/policy/policy_description.hpp"

#include "internal.hpp"
#include "omadm/policy/errc.hpp"
#include "omadm/policy/extension_registry.hpp"
#include "omadm/policy/policy_reader.hpp"
#include "omadm/policy/value_compare.hpp"
#include "result_access.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <initializer_list>
#include <limits>
#include <set>

namespace omadm::policy {

namespace {

using base::Result;

base::Error fail(Errc code, const std::string& path, const std::string& what) {
    return base::make_error(code, (path.empty() ? std::string("description") : path) + ": " + what);
}

std::string member(const std::string& parent, std::string_view key) {
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string element(const std::string& parent, std::size_t index) {
    return parent + "[" + std::to_string(index) + "]";
}

using detail::absolute;

enum class Need { Optional, Required };

// Typed access to the members of one object, with paths for the errors.
class Fields {
public:
    static Result<Fields> of(const DescValue& v, std::string path,
                             std::initializer_list<std::string_view> known) {
        const auto* object = v.as<DescObject>();
        if (object == nullptr) return fail(Errc::BadValue, path, "expected an object, got " + kind(v));
        for (const auto& [name, value] : *object) {
            if (std::find(known.begin(), known.end(), name) == known.end())
                return fail(Errc::BadValue, member(path, name), "unknown field");
        }
        return Fields(*object, std::move(path));
    }

    [[nodiscard]] const std::string& path() const noexcept { return path_; }
    [[nodiscard]] std::string path(std::string_view name) const { return member(path_, name); }

    /// The member, or nullptr when it is absent or null.
    [[nodiscard]] const DescValue* get(std::string_view name) const {
        for (const auto& [key, value] : *object_) {
            if (key == name) return value.is_null() ? nullptr : &value;
        }
        return nullptr;
    }

    [[nodiscard]] Result<std::string> text(std::string_view name, Need need = Need::Optional) const {
        const auto* v = get(name);
        if (v == nullptr) {
            if (need == Need::Required) return fail(Errc::MissingNode, path(name), "missing");
            return std::string{};
        }
        if (const auto* s = v->as<std::string>()) return *s;
        return fail(Errc::BadValue, path(name), "expected a string, got " + kind(*v));
    }

    /// A string, or a number or bool written as the device would read it from a chr leaf.
    [[nodiscard]] Result<std::string> scalar(std::string_view name) const {
        const auto* v = get(name);
        if (v == nullptr) return std::string{};
        if (const auto* s = v->as<std::string>()) return *s;
        if (const auto* b = v->as<bool>()) return std::string(*b ? "true" : "false");
        if (const auto* i = v->as<std::int64_t>()) return std::to_string(*i);
        if (const auto* d = v->as<double>()) return double_text(*d);
        return fail(Errc::BadValue, path(name), "expected a scalar, got " + kind(*v));
    }

    [[nodiscard]] Result<std::int64_t> integer(std::string_view name, std::int64_t low, std::int64_t high,
                                               std::int64_t fallback) const {
        const auto* v = get(name);
        if (v == nullptr) return fallback;
        const auto* i = v->as<std::int64_t>();
        if (i == nullptr) return fail(Errc::BadValue, path(name), "expected an int, got " + kind(*v));
        if (*i < low || *i > high) {
            return fail(Errc::BadValue, path(name),
                        std::to_string(*i) + " is outside [" + std::to_string(low) + ", " +
                            std::to_string(high) + "]");
        }
        return *i;
    }

    static std::string kind(const DescValue& v) { return std::string(v.kind_name()); }

    static std::string double_text(double d) {
        std::array<char, 32> buf{};
        const auto [ptr, ec] = std::to_chars(buf.data(), buf.data() + buf.size(), d);
        return ec == std::errc{} ? std::string(buf.data(), ptr) : std::string{};
    }

private:
    Fields(const DescObject& object, std::string path) : object_(&object), path_(std::move(path)) {}
    const DescObject* object_;
    std::string path_;
};

// A node name chosen by the server (tree::is_valid_node_name), unique among its siblings.
Result<std::string> node_name(const Fields& f, std::set<std::string>& seen) {
    auto name = f.text("id", Need::Required);
    if (!name) return name.error();
    const auto& n = detail::value_of(name);
    if (!tree::is_valid_node_name(n))
        return fail(Errc::BadValue, f.path("id"), "not a node name: '" + n + "'");
    if (!seen.insert(n).second) return fail(Errc::BadValue, f.path("id"), "duplicate '" + n + "'");
    return name;
}

Result<const DescArray*> array_of(const Fields& f, std::string_view name) {
    const auto* v = f.get(name);
    if (v == nullptr) return static_cast<const DescArray*>(nullptr);
    const auto* a = v->as<DescArray>();
    if (a == nullptr) return fail(Errc::BadValue, f.path(name), "expected an array, got " + Fields::kind(*v));
    return a;
}

class DescReader {
public:
    explicit DescReader(const DescriptionOptions& options) : options_(options) {}

    Result<PolicySpec> policy(const DescValue& d) {
        auto f = Fields::of(d, "",
                            {"id", "name", "version", "priority", "conditions", "expression", "trigger",
                             "actions", "mode", "bindings", "notify", "ext"});
        if (!f) return f.error();
        const auto& fields = detail::value_of(f);
        PolicySpec spec;
        for (auto step :
             {&DescReader::header, &DescReader::conditions, &DescReader::trigger, &DescReader::bindings,
              &DescReader::actions, &DescReader::notify, &DescReader::ext}) {
            if (auto r = (this->*step)(fields, spec); !r) return r.error();
        }
        if (auto r = cross_checks(spec); !r) return r.error();
        return spec;
    }

private:
    Result<void> header(const Fields& f, PolicySpec& spec) {
        auto id = f.text("id", Need::Required);
        if (!id) return id.error();
        auto version = f.text("version", Need::Required);
        if (!version) return version.error();
        auto name = f.text("name");
        if (!name) return name.error();
        using Limits = std::numeric_limits<std::int32_t>;
        auto priority = f.integer("priority", Limits::min(), Limits::max(), 0);
        if (!priority) return priority.error();
        auto expression = f.text("expression");
        if (!expression) return expression.error();
        spec.id = std::move(detail::value_of(id));
        spec.version = std::move(detail::value_of(version));
        spec.name = std::move(detail::value_of(name));
        spec.priority = static_cast<std::int32_t>(detail::value_of(priority));
        spec.expression = std::move(detail::value_of(expression));
        if (spec.id.empty()) return fail(Errc::MissingNode, "id", "empty");
        if (spec.version.empty()) return fail(Errc::MissingNode, "version", "empty");
        return {};
    }

    Result<void> condition(const DescValue& v, const std::string& path, std::set<std::string>& seen,
                           PolicySpec& spec) {
        auto f = Fields::of(v, path, {"id", "uri", "operator", "value", "compare"});
        if (!f) return f.error();
        const auto& c = detail::value_of(f);
        auto name = node_name(c, seen);
        if (!name) return name.error();
        auto uri = c.text("uri", Need::Required);
        if (!uri) return uri.error();
        auto op = c.text("operator", Need::Required);
        if (!op) return op.error();
        auto value = c.scalar("value");
        if (!value) return value.error();
        auto compare = c.text("compare");
        if (!compare) return compare.error();
        SimpleCondition out;
        out.name = std::move(detail::value_of(name));
        out.uri = std::move(detail::value_of(uri));
        if (!absolute(out.uri))
            return fail(Errc::BadValue, c.path("uri"), "not an absolute URI: '" + out.uri + "'");
        if (auto r = set_operator(c, detail::value_of(op), out); !r) return r;
        out.value = std::move(detail::value_of(value));
        const auto& cmp = detail::value_of(compare);
        if (!cmp.empty() && cmp != "text" && cmp != "version")
            return fail(Errc::BadValue, c.path("compare"), "must be text or version, not '" + cmp + "'");
        out.compare = cmp == "version" ? CompareMode::Version : CompareMode::Text;
        spec.conditions.push_back(std::move(out));
        return {};
    }

    Result<void> set_operator(const Fields& c, const std::string& op, SimpleCondition& out) const {
        if (const auto known = parse_operator(op)) {
            out.op = *known;
            return {};
        }
        const auto& ext = options_.extension_operators;
        if (std::find(ext.begin(), ext.end(), op) == ext.end())
            return fail(Errc::UnknownOperator, c.path("operator"), "unknown operator '" + op + "'");
        out.op = Operator::Extension;
        out.extension_operator = op;
        return {};
    }

    Result<void> conditions(const Fields& f, PolicySpec& spec) {
        auto list = array_of(f, "conditions");
        if (!list) return list.error();
        const auto* items = detail::value_of(list);
        if (items == nullptr) return {};
        std::set<std::string> seen;
        for (std::size_t i = 0; i < items->size(); ++i) {
            if (auto r = condition((*items)[i], element("conditions", i), seen, spec); !r) return r;
        }
        return {};
    }

    Result<void> trigger_object(const Fields& t, Trigger& out) {
        auto mode = t.text("mode");
        if (!mode) return mode.error();
        if (const auto& m = detail::value_of(mode); !m.empty()) {
            const auto parsed = parse_trigger_mode(m);
            if (!parsed)
                return fail(Errc::BadValue, t.path("mode"),
                            "must be OnChange, Periodic or Both, not '" + m + "'");
            out.mode = *parsed;
        }
        auto period = t.integer("period_s", 1, std::numeric_limits<std::int32_t>::max(), 0);
        if (!period) return period.error();
        out.period = std::chrono::seconds{detail::value_of(period)};
        if (out.periodic() && out.period.count() == 0)
            return fail(Errc::MissingNode, t.path("period_s"), "required by a periodic trigger");
        for (const auto& [name, slot] :
             {std::pair{"valid_from", &out.valid_from}, std::pair{"valid_until", &out.valid_until}}) {
            auto text = t.text(name);
            if (!text) return text.error();
            const auto& s = detail::value_of(text);
            if (s.empty()) continue;
            const auto ms = parse_iso8601(s);
            if (!ms) return fail(Errc::BadValue, t.path(name), "not an ISO 8601 date-time: '" + s + "'");
            *slot = base::TimePoint{base::Duration{*ms}};
        }
        if (out.valid_from && out.valid_until && *out.valid_until <= *out.valid_from)
            return fail(Errc::BadValue, t.path("valid_until"), "not after valid_from");
        return {};
    }

    Result<void> trigger(const Fields& f, PolicySpec& spec) {
        const auto* v = f.get("trigger");
        if (v == nullptr) return {};
        if (const auto* s = v->as<std::string>()) {
            if (*s != "OnChange")
                return fail(Errc::BadValue, "trigger", "a string trigger must be OnChange, not '" + *s + "'");
            spec.trigger.mode = TriggerMode::OnChange;
            return {};
        }
        auto t = Fields::of(*v, "trigger", {"mode", "period_s", "valid_from", "valid_until"});
        if (!t) return t.error();
        return trigger_object(detail::value_of(t), spec.trigger);
    }

    Result<void> set_command(const Fields& a, const std::string& command, SimpleAction& out) const {
        out.command = parse_command(command);
        if (out.command) return {};
        const auto& ext = options_.extension_commands;
        if (std::find(ext.begin(), ext.end(), command) == ext.end())
            return fail(Errc::UnknownCommand, a.path("command"), "unknown command '" + command + "'");
        out.extension_kind = command;
        return {};
    }

    Result<void> action_texts(const Fields& a, SimpleAction& out) const {
        for (const auto& [name, slot] : {std::pair{"target", &out.target}, std::pair{"source", &out.source},
                                         std::pair{"type", &out.type}}) {
            auto text = a.text(name, slot == &out.target ? Need::Required : Need::Optional);
            if (!text) return text.error();
            *slot = std::move(detail::value_of(text));
        }
        auto data = a.scalar("data");
        if (!data) return data.error();
        out.data = std::move(detail::value_of(data));
        auto format = a.text("format");
        if (!format) return format.error();
        if (const auto& fmt = detail::value_of(format); !fmt.empty()) {
            const auto parsed = tree::parse_format(fmt);
            if (!parsed) return fail(Errc::BadValue, a.path("format"), "unknown format '" + fmt + "'");
            out.format = *parsed;
        }
        return {};
    }

    Result<void> action(const DescValue& v, std::size_t position, std::set<std::string>& seen,
                        PolicySpec& spec) {
        auto f = Fields::of(v, element("actions", position),
                            {"id", "order", "command", "target", "source", "data", "format", "type"});
        if (!f) return f.error();
        const auto& a = detail::value_of(f);
        SimpleAction out;
        auto name = node_name(a, seen);
        if (!name) return name.error();
        out.name = std::move(detail::value_of(name));
        auto order = a.integer("order", 0, std::numeric_limits<std::uint32_t>::max(),
                               static_cast<std::int64_t>(position));
        if (!order) return order.error();
        out.order = static_cast<std::uint32_t>(detail::value_of(order));
        auto command = a.text("command", Need::Required);
        if (!command) return command.error();
        if (auto r = set_command(a, detail::value_of(command), out); !r) return r;
        if (auto r = action_texts(a, out); !r) return r;
        if (auto r = check_action(a, out, spec); !r) return r;
        spec.actions.push_back(std::move(out));
        return {};
    }

    [[nodiscard]] Result<void> check_action(const Fields& a, const SimpleAction& act,
                                            const PolicySpec& spec) const {
        const auto& placeholder = options_.layout.binding_placeholder;
        if (!absolute(act.target) && !act.target.starts_with(placeholder))
            return fail(Errc::BadValue, a.path("target"), "not an absolute URI: '" + act.target + "'");
        if (act.command == CommandKind::Copy && act.source.empty())
            return fail(Errc::MissingNode, a.path("source"), "required by Copy");
        if (spec.bindings.empty()) {
            for (const auto& [name, text] :
                 {std::pair{"target", &act.target}, std::pair{"source", &act.source},
                  std::pair{"data", &act.data}}) {
                if (text->find(placeholder) != std::string::npos)
                    return fail(Errc::UnboundPlaceholder, a.path(name),
                                "uses " + placeholder + " but there are no bindings");
            }
        }
        if (!act.command && spec.mode == ActionMode::Atomic)
            return fail(Errc::Inconsistent, a.path("command"), "an extension kind cannot run in an Atomic");
        return {};
    }

    Result<void> actions(const Fields& f, PolicySpec& spec) {
        auto mode = f.text("mode");
        if (!mode) return mode.error();
        if (const auto& m = detail::value_of(mode); !m.empty()) {
            const auto parsed = parse_action_mode(m);
            if (!parsed) return fail(Errc::BadValue, "mode", "must be Sequence or Atomic, not '" + m + "'");
            spec.mode = *parsed;
        }
        auto list = array_of(f, "actions");
        if (!list) return list.error();
        const auto* items = detail::value_of(list);
        if (items == nullptr || items->empty())
            return fail(Errc::Inconsistent, "actions", "at least one action");
        std::set<std::string> seen;
        for (std::size_t i = 0; i < items->size(); ++i) {
            if (auto r = action((*items)[i], i, seen, spec); !r) return r;
        }
        std::stable_sort(spec.actions.begin(), spec.actions.end(),
                         [](const SimpleAction& x, const SimpleAction& y) { return x.order < y.order; });
        return {};
    }

    Result<void> bindings(const Fields& f, PolicySpec& spec) {
        auto list = array_of(f, "bindings");
        if (!list) return list.error();
        const auto* items = detail::value_of(list);
        if (items == nullptr) return {};
        for (std::size_t i = 0; i < items->size(); ++i) {
            const auto* uri = (*items)[i].as<std::string>();
            const auto path = element("bindings", i);
            if (uri == nullptr)
                return fail(Errc::BadValue, path, "expected a string, got " + Fields::kind((*items)[i]));
            if (!absolute(*uri)) return fail(Errc::BadValue, path, "not an absolute URI: '" + *uri + "'");
            spec.bindings.push_back(*uri);
        }
        return {};
    }

    Result<void> notify(const Fields& f, PolicySpec& spec) {
        const auto* v = f.get("notify");
        if (v == nullptr) return {};
        if (const auto* b = v->as<bool>()) {
            spec.notify = *b;
            return {};
        }
        auto n = Fields::of(*v, "notify", {"enabled"});
        if (!n) return n.error();
        const auto* enabled = detail::value_of(n).get("enabled");
        if (enabled == nullptr) return {};
        const auto* b = enabled->as<bool>();
        if (b == nullptr)
            return fail(Errc::BadValue, "notify.enabled", "expected a bool, got " + Fields::kind(*enabled));
        spec.notify = *b;
        return {};
    }

    Result<void> ext_node(const DescValue& v, const std::string& rel, const std::string& path,
                          PolicySpec& spec) {
        if (spec.ext.size() >= kMaxExtNodes) return fail(Errc::BadValue, path, "too many Ext nodes");
        if (const auto* object = v.as<DescObject>()) {
            if (!rel.empty()) spec.ext.push_back(ExtNode{rel, {"", tree::Format::Node}});
            for (const auto& [name, child] : *object) {
                if (!tree::is_valid_node_name(name))
                    return fail(Errc::BadValue, member(path, name), "not a node name");
                if (auto r = ext_node(child, detail::ext_path(rel, name), member(path, name), spec); !r)
                    return r;
            }
            return {};
        }
        NodeValue leaf;
        if (const auto* s = v.as<std::string>())
            leaf = {*s, tree::Format::Chr};
        else if (const auto* b = v.as<bool>())
            leaf = {*b ? "true" : "false", tree::Format::Bool};
        else if (const auto* i = v.as<std::int64_t>())
            leaf = {std::to_string(*i), tree::Format::Int};
        else if (const auto* d = v.as<double>())
            leaf = {Fields::double_text(*d), tree::Format::Float};
        else
            return fail(Errc::BadValue, path, "expected a scalar or an object, got " + Fields::kind(v));
        spec.ext.push_back(ExtNode{rel, std::move(leaf)});
        return {};
    }

    Result<void> ext(const Fields& f, PolicySpec& spec) {
        const auto* v = f.get("ext");
        if (v == nullptr) return {};
        if (v->as<DescObject>() == nullptr)
            return fail(Errc::BadValue, "ext", "expected an object, got " + Fields::kind(*v));
        return ext_node(*v, "", "ext", spec);
    }

    [[nodiscard]] Result<void> cross_checks(const PolicySpec& spec) const {
        const auto& t = spec.trigger;
        if (t.on_change() && spec.conditions.empty())
            return fail(Errc::Inconsistent, "conditions", "an OnChange trigger needs at least one condition");
        if (!spec.expression.empty()) {
            std::vector<std::string> names;
            for (const auto& c : spec.conditions)
                names.push_back(c.name);
            auto e = Expression::parse(spec.expression, names);
            if (!e) return base::make_error(e.error().code, "expression: " + e.error().detail);
        }
        ExtensionRegistry registry;
        for (const auto& op : options_.extension_operators)
            (void)registry.add_operator(
                op, [](const std::optional<NodeValue>&, std::string_view) { return false; });
        for (const auto& kind : options_.extension_commands)
            (void)registry.add_action_kind(kind,
                                           [](const ExtensionActionContext&) { return ActionOutcome{}; });
        auto all = validate_spec(spec, options_.layout, registry);
        if (!all) return base::make_error(all.error().code, "policy: " + all.error().detail);
        return {};
    }

    static constexpr std::size_t kMaxExtNodes = 1024;
    const DescriptionOptions& options_;
};

} // namespace

Result<PolicySpec> spec_from_description(const DescValue& description, const DescriptionOptions& options) {
    return DescReader(options).policy(description);
}

} // namespace omadm::policy
