#include "outcome_json.hpp"

#include "omadm/shell/command_json.hpp"

#include <boost/json/array.hpp>

namespace omadm::client {
namespace {

namespace json = boost::json;

json::array results_json(const session::ResultsPayload& results) {
    json::array out;
    for (const auto& i : results.items) {
        json::object r;
        r["source"] = i.source ? i.source->loc_uri : std::string();
        if (i.meta && i.meta->format) r["format"] = *i.meta->format;
        if (i.meta && i.meta->type) r["type"] = *i.meta->type;
        if (i.data) r["data"] = *i.data;
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace

json::object outcome_to_json(const syncml::Command& command, const session::CommandOutcome& outcome) {
    json::object o{{"cmd", syncml::command_name(command)}, {"code", base::to_int(outcome.code)}};
    if (auto t = shell::command_target(command); !t.empty()) o["target"] = t;
    if (outcome.results) o["results"] = results_json(*outcome.results);
    if (const auto* members = shell::command_members(command)) {
        const session::CommandOutcome none{base::StatusCode::CommandFailed, {}, std::nullopt, {}};
        json::array list;
        for (std::size_t i = 0; i < members->size(); ++i)
            list.push_back(
                outcome_to_json((*members)[i], i < outcome.members.size() ? outcome.members[i] : none));
        o["members"] = std::move(list);
    }
    return o;
}

} // namespace omadm::client
