#include "json_commands.hpp"

#include "omadm/shell/shell_errc.hpp"

namespace omadm::client {
namespace {

namespace json = boost::json;

base::Error bad(std::string detail) {
    return base::make_error(shell::ShellErrc::bad_json, std::move(detail));
}

std::optional<std::string> str(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return std::string(v->as_string());
}

syncml::Item item_of(const json::object& o) {
    syncml::Item i;
    if (auto t = str(o, "target")) i.target = syncml::Location{*t, std::nullopt};
    if (auto s = str(o, "source")) i.source = syncml::Location{*s, std::nullopt};
    syncml::Meta m;
    m.format = str(o, "format");
    m.type = str(o, "type");
    if (!m.empty()) i.meta = m;
    i.data = str(o, "data");
    return i;
}

template <class C> syncml::Command item_command(const json::object& o) {
    C c;
    c.items.push_back(item_of(o));
    return c;
}

template <class C> base::Result<syncml::Command> container(const json::object& o) {
    const json::value* list = o.if_contains("commands");
    if (list == nullptr || !list->is_array()) return bad("'commands' must be an array");
    C c;
    for (const auto& member : list->as_array()) {
        auto m = command_from_json(member);
        if (!m) return m.error();
        c.commands.push_back(std::move(*m));
    }
    return syncml::Command{std::move(c)};
}

std::string target_text(const syncml::Command& c) {
    return std::visit(
        [](const auto& x) -> std::string {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_base_of_v<syncml::ItemCommand, T>) {
                if (!x.items.empty() && x.items.front().target) return x.items.front().target->loc_uri;
            } else if constexpr (std::is_same_v<T, syncml::Exec>) {
                if (x.item.target) return x.item.target->loc_uri;
            }
            return {};
        },
        c.variant());
}

const std::vector<syncml::Command>* members_of(const syncml::Command& c) {
    if (const auto* a = std::get_if<syncml::Atomic>(&c.variant())) return &a->commands;
    if (const auto* s = std::get_if<syncml::Sequence>(&c.variant())) return &s->commands;
    return nullptr;
}

} // namespace

base::Result<syncml::Command> command_from_json(const json::value& v) {
    if (!v.is_object()) return bad("a command must be a JSON object");
    const auto& o = v.as_object();
    const auto name = str(o, "cmd");
    if (!name) return bad("command without 'cmd'");
    if (*name == "Atomic") return container<syncml::Atomic>(o);
    if (*name == "Sequence") return container<syncml::Sequence>(o);
    if (!str(o, "target")) return bad("'" + *name + "' without 'target'");
    if (*name == "Add") return item_command<syncml::Add>(o);
    if (*name == "Replace") return item_command<syncml::Replace>(o);
    if (*name == "Delete") return item_command<syncml::Delete>(o);
    if (*name == "Get") return item_command<syncml::Get>(o);
    if (*name == "Copy") return item_command<syncml::Copy>(o);
    if (*name == "Exec") {
        syncml::Exec e;
        e.item = item_of(o);
        e.correlator = str(o, "correlator");
        return syncml::Command{std::move(e)};
    }
    return bad("unknown cmd '" + *name + "'");
}

json::object outcome_to_json(const syncml::Command& command, const session::CommandOutcome& outcome) {
    json::object o{{"cmd", syncml::command_name(command)}, {"code", base::to_int(outcome.code)}};
    if (auto t = target_text(command); !t.empty()) o["target"] = t;
    if (outcome.results) {
        json::array results;
        for (const auto& i : outcome.results->items) {
            json::object r;
            r["source"] = i.source ? i.source->loc_uri : std::string();
            if (i.meta && i.meta->format) r["format"] = *i.meta->format;
            if (i.meta && i.meta->type) r["type"] = *i.meta->type;
            if (i.data) r["data"] = *i.data;
            results.push_back(std::move(r));
        }
        o["results"] = std::move(results);
    }
    if (const auto* members = members_of(command)) {
        json::array list;
        for (std::size_t i = 0; i < members->size(); ++i) {
            const session::CommandOutcome none{base::StatusCode::CommandFailed, {}, std::nullopt, {}};
            list.push_back(
                outcome_to_json((*members)[i], i < outcome.members.size() ? outcome.members[i] : none));
        }
        o["members"] = std::move(list);
    }
    return o;
}

} // namespace omadm::client
