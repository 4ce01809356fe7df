#include "omadm/agent/command_runner.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>

namespace omadm::agent {
namespace {

using base::StatusCode;

syncml::Item item(std::string target, std::optional<std::string> data = std::nullopt,
                  std::optional<std::string> format = std::nullopt) {
    syncml::Item i;
    i.target = syncml::Location{std::move(target), std::nullopt};
    i.data = std::move(data);
    if (format) {
        syncml::Meta m;
        m.format = format;
        i.meta = m;
    }
    return i;
}

template <class C> syncml::Command cmd(std::vector<syncml::Item> items) {
    C c;
    c.items = std::move(items);
    return c;
}

syncml::Command add(std::string uri, std::string value) {
    return cmd<syncml::Add>({item(std::move(uri), value)});
}
syncml::Command add_node(std::string uri) {
    return cmd<syncml::Add>({item(std::move(uri), std::nullopt, "node")});
}
syncml::Command replace(std::string uri, std::string value) {
    return cmd<syncml::Replace>({item(std::move(uri), value)});
}
syncml::Command get(std::string uri) {
    return cmd<syncml::Get>({item(std::move(uri))});
}
syncml::Command del(std::string uri) {
    return cmd<syncml::Delete>({item(std::move(uri))});
}
/// The statuses of an Atomic's or Sequence's members, in order.
std::vector<StatusCode> member_codes(const session::CommandOutcome& o) {
    std::vector<StatusCode> codes;
    for (const auto& m : o.members)
        codes.push_back(m.code);
    return codes;
}

class HandlerTest : public ::testing::Test {
protected:
    HandlerTest() {
        tree_.attach_store(store_);
        const auto boot = tree::Principal::bootstrap();
        EXPECT_EQ(
            tree_.add(boot, *tree::NodeUri::parse("./A"), tree::NodeContent{tree::Format::Node, {}, {}}, {}),
            StatusCode::Ok);
        EXPECT_EQ(tree_.replace(boot, *tree::TargetUri::parse("./A?prop=ACL"),
                                tree::NodeContent{{}, {}, "Add=srv&Get=srv&Replace=srv&Delete=srv&Exec=srv"},
                                {}),
                  StatusCode::Ok);
        EXPECT_EQ(tree_.add(boot, *tree::NodeUri::parse("./A/B"), tree::NodeContent{{}, {}, "b"}, {}),
                  StatusCode::Ok);
    }
    session::CommandOutcome run(const syncml::Command& c, std::string server = "srv") {
        return runner_.run(c, tree::Principal::server(base::ServerId{std::move(server)}), clock_.now());
    }
    std::string value(std::string_view uri) {
        const auto* n = tree_.find(*tree::NodeUri::parse(uri));
        return n != nullptr ? n->value : "<missing>";
    }

    base::ManualClock clock_;
    tree::InMemoryTreeStore store_;
    tree::Tree tree_;
    CommandRunner runner_{tree_};
};

TEST_F(HandlerTest, AddReplaceDeleteReportTheirStatus) {
    omadm::testing::covers(req::MgmtPolicyMO_Device_02);
    EXPECT_EQ(run(add("./A/C", "c")).code, StatusCode::Ok);
    EXPECT_EQ(run(add("./A/C", "again")).code, StatusCode::AlreadyExists);
    EXPECT_EQ(run(replace("./A/C", "c2")).code, StatusCode::Ok);
    EXPECT_EQ(value("./A/C"), "c2");
    EXPECT_EQ(run(replace("./A/Missing", "x")).code, StatusCode::NotFound);
    EXPECT_EQ(run(del("./A/C")).code, StatusCode::Ok);
    EXPECT_EQ(run(del("./A/C")).code, StatusCode::NotFound);
    EXPECT_EQ(run(del(".")).code, StatusCode::CommandNotAllowed);
}

TEST_F(HandlerTest, GetReturnsResultsAndListForms) {
    auto leaf = run(get("./A/B"));
    ASSERT_EQ(leaf.code, StatusCode::Ok);
    ASSERT_TRUE(leaf.results);
    ASSERT_EQ(leaf.results->items.size(), 1U);
    EXPECT_EQ(leaf.results->items[0].source->loc_uri, "./A/B");
    EXPECT_EQ(leaf.results->items[0].data, "b");
    auto list = run(get("./A?list=Struct"));
    ASSERT_EQ(list.code, StatusCode::Ok);
    EXPECT_GE(list.results->items.size(), 2U);
    auto acl = run(get("./A?prop=ACL"));
    ASSERT_EQ(acl.code, StatusCode::Ok);
    EXPECT_EQ(acl.results->items[0].data, "Add=srv&Get=srv&Replace=srv&Delete=srv&Exec=srv");
    EXPECT_EQ(run(get("./A/Nope")).code, StatusCode::NotFound);
    EXPECT_EQ(run(get("./A?list=Bogus")).code, StatusCode::OptionalFeatureNotSupported);
}

TEST_F(HandlerTest, CopyAndExecWithoutHandler) {
    EXPECT_EQ(run(cmd<syncml::Copy>({[] {
                  auto i = item("./A/D");
                  i.source = syncml::Location{"./A/B", std::nullopt};
                  return i;
              }()}))
                  .code,
              StatusCode::Ok);
    EXPECT_EQ(value("./A/D"), "b");
    syncml::Exec exec;
    exec.item = item("./A/B");
    EXPECT_EQ(run(exec).code, StatusCode::CommandNotAllowed);
    exec.item = item("./A/Missing");
    EXPECT_EQ(run(exec).code, StatusCode::NotFound);
}

TEST_F(HandlerTest, AclDeniesAnotherServer) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    EXPECT_EQ(run(get("./A/B"), "intruder").code, StatusCode::PermissionDenied);
    EXPECT_EQ(run(replace("./A/B", "x"), "intruder").code, StatusCode::PermissionDenied);
    EXPECT_EQ(run(del("./A/B"), "intruder").code, StatusCode::PermissionDenied);
    EXPECT_EQ(value("./A/B"), "b");
}

TEST_F(HandlerTest, AtomicRollsBackEverything) {
    omadm::testing::covers(req::MgmtPolicyMO_MP_04);
    syncml::Atomic atomic;
    atomic.commands = {add("./A/E", "e"), replace("./A/B", "changed"), replace("./A/Missing", "x"),
                       add("./A/F", "f")};
    const std::size_t persisted = store_.persist_count();
    auto out = run(atomic);
    EXPECT_EQ(out.code, StatusCode::AtomicFailed);
    EXPECT_EQ(member_codes(out), (std::vector{StatusCode::AtomicRollbackOk, StatusCode::AtomicRollbackOk,
                                              StatusCode::NotFound, StatusCode::NotExecuted}));
    EXPECT_EQ(value("./A/E"), "<missing>");
    EXPECT_EQ(value("./A/B"), "b");
    EXPECT_EQ(store_.persist_count(), persisted);
}

TEST_F(HandlerTest, AtomicCommitsOnceWhenAllSucceed) {
    syncml::Atomic atomic;
    atomic.commands = {add_node("./A/P"), add("./A/P/X", "1"), add("./A/P/Y", "2")};
    const std::size_t persisted = store_.persist_count();
    auto out = run(atomic);
    EXPECT_EQ(out.code, StatusCode::Ok);
    for (const auto& m : out.members)
        EXPECT_EQ(m.code, StatusCode::Ok);
    EXPECT_EQ(value("./A/P/Y"), "2");
    EXPECT_EQ(store_.persist_count(), persisted + 1);
}

TEST_F(HandlerTest, GetAndNestedAtomicInsideAtomicFail) {
    syncml::Atomic inner;
    inner.commands = {add("./A/I", "i")};
    syncml::Atomic atomic;
    atomic.commands = {add("./A/G", "g"), get("./A/B")};
    auto out = run(atomic);
    EXPECT_EQ(out.code, StatusCode::AtomicFailed);
    EXPECT_EQ(member_codes(out), (std::vector{StatusCode::AtomicRollbackOk, StatusCode::CommandFailed}));
    atomic.commands = {inner};
    EXPECT_EQ(run(atomic).members[0].code, StatusCode::CommandFailed);
    EXPECT_EQ(value("./A/G"), "<missing>");
}

TEST_F(HandlerTest, AtomicStoreFailureRollsBack) {
    syncml::Atomic atomic;
    atomic.commands = {add("./A/S", "s")};
    store_.fail_next_persist();
    auto out = run(atomic);
    EXPECT_EQ(out.code, StatusCode::AtomicFailed);
    EXPECT_EQ(value("./A/S"), "<missing>");
}

TEST_F(HandlerTest, SequenceSkipsMembersAfterAFailure) {
    syncml::Sequence seq;
    seq.commands = {add("./A/Q", "q"), replace("./A/Missing", "x"), add("./A/R", "r")};
    auto out = run(seq);
    EXPECT_EQ(out.code, StatusCode::Ok);
    EXPECT_EQ(member_codes(out),
              (std::vector{StatusCode::Ok, StatusCode::NotFound, StatusCode::NotExecuted}));
    EXPECT_EQ(value("./A/Q"), "q");
    EXPECT_EQ(value("./A/R"), "<missing>");
}

TEST_F(HandlerTest, TndsAddCreatesASubtree) {
    syncml::Add a;
    auto i =
        item("./A", "<MgmtTree xmlns='syncml:dmddf1.2'><VerDTD>1.2</VerDTD><Node><NodeName>T</NodeName>"
                    "<RTProperties><Format><node/></Format><Type><DDFName/></Type></RTProperties>"
                    "<Node><NodeName>L</NodeName><RTProperties><Format><chr/></Format><Type><MIME>text/plain"
                    "</MIME></Type></RTProperties><Value>v</Value></Node></Node></MgmtTree>");
    syncml::Meta m;
    m.format = "xml";
    m.type = std::string(tree::kTndsXmlMime);
    i.meta = m;
    a.items.push_back(i);
    EXPECT_EQ(run(a).code, StatusCode::Ok);
    EXPECT_EQ(value("./A/T/L"), "v");
}

/// Hooks that refuse every commit and count the rollbacks.
class RefusingHooks final : public RunnerHooks {
public:
    StatusCode may_write(const tree::NodeUri&, const tree::Principal&, base::TimePoint) override {
        return StatusCode::Ok;
    }
    StatusCode before_commit(const tree::Principal&, base::TimePoint) override {
        return StatusCode::UnsupportedMediaType;
    }
    void after_rollback(base::TimePoint) override { ++rolled_back; }
    std::optional<StatusCode> exec(const tree::Principal&, const tree::NodeUri&, const tree::ExecRequest&,
                                   base::TimePoint) override {
        return std::nullopt;
    }
    int rolled_back = 0;
};

TEST_F(HandlerTest, HooksCanRefuseACommit) {
    RefusingHooks hooks;
    CommandRunner refusing(tree_, &hooks);
    syncml::Atomic atomic;
    atomic.commands = {add("./A/H", "h")};
    auto out = refusing.run(atomic, tree::Principal::server(base::ServerId{"srv"}), clock_.now());
    EXPECT_EQ(out.code, StatusCode::AtomicFailed);
    EXPECT_EQ(out.members[0].code, StatusCode::UnsupportedMediaType);
    EXPECT_EQ(hooks.rolled_back, 1);
    EXPECT_EQ(value("./A/H"), "<missing>");
}

} // namespace
} // namespace omadm::agent
