#pragma once
// A CommandHandler that records what it executes and answers from a table.

#include "omadm/session/command_handler.hpp"

#include <map>
#include <string>
#include <variant>
#include <vector>

namespace omadm::session::testing {

class FakeHandler final : public CommandHandler {
public:
    CommandOutcome handle(const syncml::Command& command, const CommandContext& context) override {
        executed.push_back(command);
        contexts.push_back(context);
        return outcome_for(command);
    }
    std::vector<PackageRefusal> end_package(base::TimePoint) override {
        ++packages_ended;
        return refusals;
    }

    /// Get on `uri` returns `value` in Results.
    std::map<std::string, std::string> values;
    /// Commands on `uri` answer this code (default 200).
    std::map<std::string, base::StatusCode> codes;
    std::vector<syncml::Command> executed;
    std::vector<CommandContext> contexts;
    /// What end_package() answers, and how often it was called.
    std::vector<PackageRefusal> refusals;
    int packages_ended = 0;

private:
    static std::string uri_of(const syncml::Command& c) {
        if (const auto* e = std::get_if<syncml::Exec>(&c.variant())) return e->item.target->loc_uri;
        return std::visit(
            [](const auto& x) -> std::string {
                using T = std::decay_t<decltype(x)>;
                if constexpr (std::is_base_of_v<syncml::ItemCommand, T>) {
                    if (!x.items.empty() && x.items.front().target) return x.items.front().target->loc_uri;
                }
                return {};
            },
            c.variant());
    }

    CommandOutcome outcome_for(const syncml::Command& c) {
        CommandOutcome o;
        const std::string uri = uri_of(c);
        if (const auto it = codes.find(uri); it != codes.end()) o.code = it->second;
        const std::vector<syncml::Command>* members = nullptr;
        if (const auto* a = std::get_if<syncml::Atomic>(&c.variant())) members = &a->commands;
        if (const auto* s = std::get_if<syncml::Sequence>(&c.variant())) members = &s->commands;
        if (members != nullptr) {
            for (const auto& m : *members)
                o.members.push_back(outcome_for(m));
        }
        if (std::holds_alternative<syncml::Get>(c.variant())) {
            const auto it = values.find(uri);
            if (it == values.end()) {
                o.code = base::StatusCode::NotFound;
            } else {
                syncml::Item item;
                item.source = syncml::Location{uri, std::nullopt};
                item.data = it->second;
                o.results = ResultsPayload{std::nullopt, {item}};
            }
        }
        return o;
    }
};

} // namespace omadm::session::testing
