#include "control_routes.hpp"
#include "omadm/shell/control_api.hpp"
#include "omadm/testing/covers.hpp"
#include "server_faults.hpp"
#include "server_test_support.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace omadm::server {
namespace {

namespace http = shell::http;
namespace json = boost::json;

TEST(ServerFaults, ApplyingAnUnknownNameChangesNothing) {
    ServerFaults f;
    f.no_cred = true;
    const auto r = apply_faults(f, json::object{{"wrong_operator", true}, {"no_such_fault", true}});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().detail.find("no_such_fault"), std::string::npos);
}

TEST(ServerFaults, ApplyingRefusesANonBooleanValue) {
    const auto r = apply_faults(ServerFaults{}, json::object{{"no_cred", "yes"}});
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().detail.find("no_cred"), std::string::npos);
}

TEST(ServerFaults, ApplyingSetsAndClearsOnlyTheNamedFaults) {
    ServerFaults f;
    f.no_cred = true;
    const auto r = apply_faults(f, json::object{{"wrong_operator", true}, {"no_cred", false}});
    ASSERT_TRUE(r.has_value());
    ServerFaults want;
    want.wrong_operator = true;
    EXPECT_EQ(*r, want);
}

TEST(ServerFaults, JsonNamesEveryFault) {
    const auto j = faults_json(ServerFaults{});
    EXPECT_EQ(j.size(), server_fault_names().size());
    EXPECT_GE(j.size(), 12U);
    for (const auto& f : server_fault_names())
        EXPECT_EQ(j.at(f.name), false) << f.name;
}

TEST(ServerFaults, ParsesACommaSeparatedList) {
    const auto r = parse_fault_list("reuse_cmd_ids,,wrong_ver_proto");
    ASSERT_TRUE(r.has_value());
    ServerFaults want;
    want.reuse_cmd_ids = true;
    want.wrong_ver_proto = true;
    EXPECT_EQ(*r, want);
    EXPECT_FALSE(parse_fault_list("reuse_cmd_ids,typo").has_value());
}

/// The control API of the server (token "tok") over a fresh store.
class FaultRoutesTest : public testing::EndpointTest {
protected:
    FaultRoutesTest() : EndpointTest("fault-routes") {
        add_control_routes(api_.router(),
                           ControlDeps{*store_, events_, config_, nullptr, [] {}, [] { return 1; }, faults_});
    }

    shell::Response call(http::verb verb, std::string target, std::string body = "",
                         std::string_view token = "tok") {
        shell::Request req{verb, target, 11};
        if (!token.empty()) req.set(http::field::authorization, "Bearer " + std::string(token));
        req.set(http::field::content_type, "application/json");
        req.body() = std::move(body);
        req.prepare_payload();
        boost::asio::io_context ioc;
        auto future = boost::asio::co_spawn(ioc, api_.handle(req), boost::asio::use_future);
        ioc.run();
        return future.get();
    }

    /// The commands of the device's newest batch, as stored.
    std::vector<std::string> last_batch_commands() {
        const auto queued = store_->batches_in_state("dev", BatchState::Queued).value();
        EXPECT_FALSE(queued.empty());
        return queued.empty() ? std::vector<std::string>{} : queued.back().commands_json;
    }

    std::vector<std::string> applied() const {
        std::vector<std::string> out;
        for (const auto& e : events_.events_after(0, "fault_applied"))
            out.emplace_back(e.fields.at("fault").as_string());
        return out;
    }

    static constexpr const char* kPolicy =
        R"({"id":"p1","version":"1","conditions":[{"id":"c1","uri":"./DevDetail/Ext/SysProps/Battery",)"
        R"("operator":"lt","value":"20"}],"actions":[{"id":"a1","order":1,"command":"Replace",)"
        R"("target":"./Vendor/Demo/Brightness","data":"30"}]})";

    ServerConfig config_;
    ServerFaults faults_;
    shell::ControlApi api_{"tok"};
};

TEST_F(FaultRoutesTest, PutFaultsNeedsTheToken) {
    EXPECT_EQ(call(http::verb::put, "/v1/faults", R"({"no_cred":true})", "").result(),
              http::status::unauthorized);
    EXPECT_FALSE(faults_.no_cred);
}

TEST_F(FaultRoutesTest, PutFaultsSetsThemAndPublishesFaultsSet) {
    const auto res = call(http::verb::put, "/v1/faults", R"({"no_cred":true,"reuse_cmd_ids":true})");
    ASSERT_EQ(res.result(), http::status::ok);
    EXPECT_TRUE(faults_.no_cred);
    EXPECT_TRUE(faults_.reuse_cmd_ids);
    EXPECT_EQ(json::parse(res.body()).at("no_cred"), true);
    const auto set = events_.events_after(0, "faults_set");
    ASSERT_EQ(set.size(), 1U);
    EXPECT_EQ(set[0].fields.at("reuse_cmd_ids"), true);
    const auto got = call(http::verb::get, "/v1/faults");
    EXPECT_EQ(json::parse(got.body()).at("no_cred"), true);
    EXPECT_EQ(json::parse(got.body()).at("wrong_operator"), false);
}

TEST_F(FaultRoutesTest, PutFaultsRefusesAnUnknownNameAndChangesNothing) {
    const auto res = call(http::verb::put, "/v1/faults", R"({"no_cred":true,"bogus":true})");
    EXPECT_EQ(res.result(), http::status::bad_request);
    EXPECT_EQ(json::parse(res.body()).at("error"), "bad_request");
    EXPECT_FALSE(faults_.no_cred);
    EXPECT_TRUE(events_.events_after(0, "faults_set").empty());
    EXPECT_EQ(call(http::verb::put, "/v1/faults", "[true]").result(), http::status::bad_request);
}

TEST_F(FaultRoutesTest, ConformingDownloadIsOneAtomicAsDescribed) {
    omadm::testing::covers(req::MgmtPolicyMO_HLF_1);
    ASSERT_EQ(call(http::verb::post, "/v1/devices/dev/policies", kPolicy).result(), http::status::ok);
    const auto commands = last_batch_commands();
    ASSERT_EQ(commands.size(), 1U);
    EXPECT_NE(commands[0].find(R"("cmd":"Atomic")"), std::string::npos);
    EXPECT_NE(commands[0].find(R"("data":"lt")"), std::string::npos);
    EXPECT_TRUE(applied().empty());
}

TEST_F(FaultRoutesTest, WrongOperatorAndTargetChangeTheDownload) {
    omadm::testing::covers(req::MgmtPolicyMO_MP_01);
    faults_.wrong_operator = true;
    faults_.wrong_action_target = true;
    ASSERT_EQ(call(http::verb::post, "/v1/devices/dev/policies", kPolicy).result(), http::status::ok);
    const auto commands = last_batch_commands();
    ASSERT_EQ(commands.size(), 1U);
    EXPECT_NE(commands[0].find(R"("data":"gt")"), std::string::npos);
    EXPECT_NE(commands[0].find("Brightness_wrong"), std::string::npos);
    EXPECT_EQ(applied(), (std::vector<std::string>{"wrong_operator", "wrong_action_target"}));
}

TEST_F(FaultRoutesTest, DownloadWithoutAtomicQueuesLooseAdds) {
    faults_.download_without_atomic = true;
    ASSERT_EQ(call(http::verb::post, "/v1/devices/dev/policies", kPolicy).result(), http::status::ok);
    const auto commands = last_batch_commands();
    ASSERT_GT(commands.size(), 1U);
    for (const auto& c : commands)
        EXPECT_NE(c.find(R"("cmd":"Add")"), std::string::npos) << c;
    EXPECT_EQ(applied(), std::vector<std::string>{"download_without_atomic"});
}

TEST_F(FaultRoutesTest, UpdateOnlyVersionReplacesVersionAlone) {
    faults_.update_only_version = true;
    ASSERT_EQ(call(http::verb::put, "/v1/devices/dev/policies/p1", kPolicy).result(), http::status::ok);
    const auto commands = last_batch_commands();
    ASSERT_EQ(commands.size(), 1U);
    const auto seq = json::parse(commands[0]);
    ASSERT_EQ(seq.at("commands").as_array().size(), 1U);
    EXPECT_EQ(seq.at("commands").at(0).at("target"), "./MgmtPolicy/p1/Version");
    EXPECT_EQ(applied(), std::vector<std::string>{"update_only_version"});
}

TEST_F(FaultRoutesTest, ExecWrongNodeAndDropCorrelatorChangeTheExec) {
    faults_.exec_wrong_node = true;
    faults_.drop_correlator = true;
    ASSERT_EQ(
        call(http::verb::post, "/v1/devices/dev/policies/p1/activate", R"({"correlator":"c-1"})").result(),
        http::status::ok);
    const auto exec = json::parse(last_batch_commands().at(0));
    EXPECT_EQ(exec.at("target"), "./MgmtPolicy/p1/Operations/Deactivate");
    EXPECT_FALSE(exec.as_object().contains("correlator"));
    EXPECT_EQ(applied(), (std::vector<std::string>{"exec_wrong_node", "drop_correlator"}));
}

TEST_F(FaultRoutesTest, DeletingAQueuedBatchCancelsItAndNothingElse) {
    const auto queued = store_->queue_batch("dev", {R"({"cmd":"Get","target":"./A"})"}).value();
    const auto sent = store_->queue_batch("dev", {R"({"cmd":"Get","target":"./B"})"}).value();
    ASSERT_TRUE(store_->set_batch_state(sent, BatchState::Sent).has_value());
    const auto path = [](std::int64_t id) { return "/v1/devices/dev/batches/" + std::to_string(id); };

    EXPECT_EQ(call(http::verb::delete_, path(queued), "", "").result(), http::status::unauthorized);
    EXPECT_EQ(call(http::verb::delete_, "/v1/devices/other/batches/" + std::to_string(queued)).result(),
              http::status::not_found);
    const auto conflict = call(http::verb::delete_, path(sent));
    EXPECT_EQ(conflict.result(), http::status::conflict);
    EXPECT_NE(conflict.body().find("is sent"), std::string::npos) << conflict.body();
    EXPECT_EQ(store_->batch("dev", queued).value()->state, BatchState::Queued);

    const auto res = call(http::verb::delete_, path(queued));
    ASSERT_EQ(res.result(), http::status::ok) << res.body();
    EXPECT_EQ(json::parse(res.body()).at("state"), "cancelled");
    EXPECT_EQ(store_->batch("dev", queued).value()->state, BatchState::Cancelled);
    EXPECT_EQ(store_->batch("dev", sent).value()->state, BatchState::Sent);
    EXPECT_TRUE(store_->batches_in_state("dev", BatchState::Queued).value().empty()); // no session takes it
    EXPECT_EQ(events_.events_after(0, "batch_cancelled").size(), 1U);
    EXPECT_EQ(call(http::verb::delete_, path(queued)).result(), http::status::conflict); // once only
}

TEST_F(FaultRoutesTest, QueryWrongNodeGetsAnotherNode) {
    faults_.query_wrong_node = true;
    ASSERT_EQ(call(http::verb::post, "/v1/devices/dev/policies/p1/query").result(), http::status::ok);
    for (const auto& c : last_batch_commands())
        EXPECT_EQ(c.find("/Results"), std::string::npos) << c;
    EXPECT_EQ(applied(), std::vector<std::string>{"query_wrong_node"});
}

} // namespace
} // namespace omadm::server
