#include "omadm/syncml/builder.hpp"
#include "outcome_json.hpp"

#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

namespace omadm::client {
namespace {

syncml::Command get(std::string target) {
    syncml::Get g;
    g.items.push_back(syncml::target_item(std::move(target)));
    return g;
}

TEST(OutcomeToJson, NamesTheCommandTargetCodeAndResults) {
    syncml::Meta meta;
    meta.format = "chr";
    meta.type = "text/plain";
    session::CommandOutcome outcome;
    outcome.results = session::ResultsPayload{std::nullopt, {syncml::source_item("./A", "v", meta)}};

    const auto o = outcome_to_json(get("./A"), outcome);

    EXPECT_EQ(boost::json::serialize(o),
              R"({"cmd":"Get","code":200,"target":"./A","results":[)"
              R"({"source":"./A","format":"chr","type":"text/plain","data":"v"}]})");
}

TEST(OutcomeToJson, AtomicListsItsMembersAndAMissingOutcomeReads500) {
    syncml::Atomic atomic;
    atomic.commands = {get("./A"), get("./B")};
    session::CommandOutcome outcome{base::StatusCode::AtomicFailed, {}, std::nullopt, {}};
    outcome.members.push_back({base::StatusCode::NotFound, {}, std::nullopt, {}});

    const auto o = outcome_to_json(atomic, outcome);

    EXPECT_EQ(boost::json::serialize(o), R"({"cmd":"Atomic","code":507,"members":[)"
                                         R"({"cmd":"Get","code":404,"target":"./A"},)"
                                         R"({"cmd":"Get","code":500,"target":"./B"}]})");
}

} // namespace
} // namespace omadm::client
