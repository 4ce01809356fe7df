#include "omadm/testing/covers.hpp"
#include "omadm/tree/tree.hpp"
#include "tree_fixture.hpp"

#include <gtest/gtest.h>

namespace omadm::tree::test {
namespace {

enum class Cmd { Add, Replace, Delete, Get, Exec, Copy };

struct Case {
    const char* name;
    Cmd cmd;
    Principal who;
    const char* target;
    NodeContent content;
    StatusCode expected;
    const char* source = nullptr; // Copy only
};

class CommandTable : public ::testing::TestWithParam<Case> {};

TEST_P(CommandTable, ReturnsTheDocumentedStatus) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01, omadm::req::MgmtPolicyMO_ATHOR_1);
    Tree t = seeded_tree();
    ASSERT_TRUE(t.register_exec("A/L", [](const ExecContext&) { return StatusCode::Accepted; }));
    const Case& c = GetParam();
    StatusCode st = StatusCode::CommandFailed;
    switch (c.cmd) {
    case Cmd::Add:
        st = t.add(c.who, target(c.target), c.content, kNow);
        break;
    case Cmd::Replace:
        st = t.replace(c.who, target(c.target), c.content, kNow);
        break;
    case Cmd::Delete:
        st = t.remove(c.who, target(c.target), kNow);
        break;
    case Cmd::Get:
        st = t.get(c.who, target(c.target)).status;
        break;
    case Cmd::Exec:
        st = t.exec(c.who, uri(c.target), ExecRequest{});
        break;
    case Cmd::Copy:
        st = t.copy(c.who, uri(c.source), uri(c.target), kNow);
        break;
    }
    EXPECT_EQ(st, c.expected) << c.name;
}

const Case kCases[] = {
    {"add_leaf", Cmd::Add, srv("srvA"), "A/New", leaf("v"), StatusCode::Ok},
    {"add_interior", Cmd::Add, srv("srvA"), "A/Dir", interior(), StatusCode::Ok},
    {"add_implicit_parents", Cmd::Add, srv("srvA"), "A/X/Y/Z", leaf("v"), StatusCode::Ok},
    {"add_exists", Cmd::Add, srv("srvA"), "A/L", leaf("v"), StatusCode::AlreadyExists},
    {"add_root", Cmd::Add, srv("srvA"), ".", interior(), StatusCode::AlreadyExists},
    {"add_under_leaf", Cmd::Add, srv("srvA"), "A/L/C", leaf("v"), StatusCode::CommandNotAllowed},
    {"add_no_acl", Cmd::Add, srv("srvB"), "A/New", leaf("v"), StatusCode::PermissionDenied},
    {"add_bad_int", Cmd::Add, srv("srvA"), "A/I", leaf("abc", Format::Int), StatusCode::UnsupportedMediaType},
    {"add_property", Cmd::Add, srv("srvA"), "A?prop=Title", value("t"), StatusCode::CommandNotAllowed},
    {"add_root_star", Cmd::Add, srv("anyone"), "Top", interior(), StatusCode::Ok},
    {"replace_leaf", Cmd::Replace, srv("srvA"), "A/L", value("y"), StatusCode::Ok},
    {"replace_missing", Cmd::Replace, srv("srvA"), "A/Missing", value("y"), StatusCode::NotFound},
    {"replace_interior", Cmd::Replace, srv("srvA"), "A", value("y"), StatusCode::CommandNotAllowed},
    {"replace_no_acl", Cmd::Replace, srv("srvB"), "A/L", value("y"), StatusCode::PermissionDenied},
    {"replace_int_abc", Cmd::Replace, srv("srvA"), "A/N", value("abc"), StatusCode::UnsupportedMediaType},
    {"replace_int_ok", Cmd::Replace, srv("srvA"), "A/N", value("-12"), StatusCode::Ok},
    {"replace_title", Cmd::Replace, srv("srvA"), "A/L?prop=Title", value("T"), StatusCode::Ok},
    {"replace_format_prop", Cmd::Replace, srv("srvA"), "A/L?prop=Format", value("int"),
     StatusCode::CommandNotAllowed},
    {"replace_long_title", Cmd::Replace, srv("srvA"), "A/L?prop=Title", value(std::string(256, 't')),
     StatusCode::RequestEntityTooLarge},
    {"replace_bad_acl", Cmd::Replace, srv("srvA"), "A?prop=ACL", value("Get"), StatusCode::BadRequest},
    {"replace_list", Cmd::Replace, srv("srvA"), "A?list=Struct", value(""), StatusCode::CommandNotAllowed},
    {"rename", Cmd::Replace, srv("srvA"), "A/L?prop=Name", value("L2"), StatusCode::Ok},
    {"rename_clash", Cmd::Replace, srv("srvA"), "A/L?prop=Name", value("N"), StatusCode::AlreadyExists},
    {"rename_root", Cmd::Replace, kBoot, ".?prop=Name", value("R"), StatusCode::CommandNotAllowed},
    {"rename_bad", Cmd::Replace, srv("srvA"), "A/L?prop=Name", value("a/b"), StatusCode::BadRequest},
    {"delete_leaf", Cmd::Delete, srv("srvA"), "A/L", {}, StatusCode::Ok},
    {"delete_subtree", Cmd::Delete, srv("srvA"), "A", {}, StatusCode::Ok},
    {"delete_missing", Cmd::Delete, srv("srvA"), "A/Missing", {}, StatusCode::NotFound},
    {"delete_root", Cmd::Delete, kBoot, ".", {}, StatusCode::CommandNotAllowed},
    {"delete_no_acl", Cmd::Delete, srv("srvB"), "A/L", {}, StatusCode::PermissionDenied},
    {"get_leaf", Cmd::Get, srv("srvB"), "A/L", {}, StatusCode::Ok},
    {"get_missing", Cmd::Get, srv("srvA"), "A/Missing", {}, StatusCode::NotFound},
    {"get_no_acl", Cmd::Get, srv("srvC"), "A/L", {}, StatusCode::PermissionDenied},
    {"get_size_interior", Cmd::Get, srv("srvA"), "A?prop=Size", {}, StatusCode::OptionalFeatureNotSupported},
    {"exec_handler", Cmd::Exec, srv("srvA"), "A/L", {}, StatusCode::Accepted},
    {"exec_no_handler", Cmd::Exec, srv("srvA"), "A/N", {}, StatusCode::CommandNotAllowed},
    {"exec_missing", Cmd::Exec, srv("srvA"), "A/Missing", {}, StatusCode::NotFound},
    {"exec_no_acl", Cmd::Exec, srv("srvB"), "A/L", {}, StatusCode::PermissionDenied},
    {"copy_new", Cmd::Copy, srv("srvA"), "A/Copy", {}, StatusCode::Ok, "A/L"},
    {"copy_replace", Cmd::Copy, srv("srvA"), "A/L", {}, StatusCode::Ok, "A/N"},
    {"copy_missing", Cmd::Copy, srv("srvA"), "A/Copy", {}, StatusCode::NotFound, "A/Missing"},
    {"copy_interior", Cmd::Copy, srv("srvA"), "A/Copy", {}, StatusCode::CommandNotAllowed, "A"},
    {"copy_no_get", Cmd::Copy, srv("srvC"), "Copy", {}, StatusCode::PermissionDenied, "A/L"},
    {"copy_no_add", Cmd::Copy, srv("srvB"), "A/Copy", {}, StatusCode::PermissionDenied, "A/L"},
};

INSTANTIATE_TEST_SUITE_P(Tree, CommandTable, ::testing::ValuesIn(kCases),
                         [](const auto& p) { return std::string(p.param.name); });

TEST(Tree, AddCreatesImplicitInteriorParents) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Tree t;
    ASSERT_EQ(t.add(srv("s"), uri("X/Y/Z"), leaf("v"), kNow), StatusCode::Ok);
    ASSERT_NE(t.find(uri("X/Y")), nullptr);
    EXPECT_TRUE(t.find(uri("X/Y"))->is_interior());
    EXPECT_EQ(t.find(uri("X/Y/Z"))->value, "v");
}

TEST(Tree, ReplaceNeverCreates) {
    Tree t;
    EXPECT_EQ(t.replace(kBoot, uri("Nope"), leaf("v"), kNow), StatusCode::NotFound);
    EXPECT_FALSE(t.exists(uri("Nope")));
}

TEST(Tree, ReplaceUpdatesTStampAndVerNo) {
    Tree t = seeded_tree();
    const auto later = kNow + std::chrono::hours{1};
    ASSERT_EQ(t.replace(srv("srvA"), uri("A/L"), value("y"), later), StatusCode::Ok);
    EXPECT_EQ(t.find(uri("A/L"))->ver_no, 1);
    EXPECT_EQ(t.find(uri("A/L"))->tstamp, later);
    EXPECT_EQ(t.get(srv("srvA"), target("A/L?prop=TStamp")).items.at(0).data, "20010711T173817Z");
}

TEST(Tree, DeleteRemovesTheSubtree) {
    Tree t = seeded_tree();
    ASSERT_EQ(t.remove(srv("srvA"), uri("A"), kNow), StatusCode::Ok);
    EXPECT_FALSE(t.exists(uri("A/L")));
    EXPECT_FALSE(t.exists(uri("A")));
}

TEST(Tree, PermanentNodeCannotBeDeletedOrRenamed) {
    Tree t = seeded_tree();
    ASSERT_EQ(t.set_scope(uri("A/L"), Scope::Permanent), StatusCode::Ok);
    EXPECT_EQ(t.remove(srv("srvA"), uri("A/L"), kNow), StatusCode::CommandNotAllowed);
    EXPECT_EQ(t.remove(srv("srvA"), uri("A"), kNow), StatusCode::CommandNotAllowed);
    EXPECT_EQ(t.replace(srv("srvA"), target("A/L?prop=Name"), value("Q"), kNow),
              StatusCode::CommandNotAllowed);
}

TEST(Tree, RenameMovesTheSubtree) {
    Tree t = seeded_tree();
    ASSERT_EQ(t.add(kBoot, uri("A/D/E"), leaf("e"), kNow), StatusCode::Ok);
    ASSERT_EQ(t.replace(srv("srvA"), target("A/D?prop=Name"), value("F"), kNow), StatusCode::Ok);
    EXPECT_FALSE(t.exists(uri("A/D")));
    EXPECT_EQ(t.find(uri("A/F/E"))->value, "e");
}

TEST(Tree, ExecPassesRequestAndPatternMatchesOneSegment) {
    Tree t;
    ASSERT_EQ(t.add(kBoot, uri("P/one/Op"), leaf(""), kNow), StatusCode::Ok);
    std::string seen;
    ASSERT_TRUE(t.register_exec("P/*/Op", [&](const ExecContext& c) {
        seen = c.uri.str() + "|" + c.request.data + "|" + c.request.correlator;
        return StatusCode::Ok;
    }));
    EXPECT_EQ(t.exec(kBoot, uri("P/one/Op"), ExecRequest{"d", "corr"}), StatusCode::Ok);
    EXPECT_EQ(seen, "./P/one/Op|d|corr");
}

TEST(Tree, CopyCopiesFormatTypeAndValue) {
    Tree t = seeded_tree();
    ASSERT_EQ(t.copy(srv("srvA"), uri("A/N"), uri("A/N2"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.find(uri("A/N2"))->format, Format::Int);
    EXPECT_EQ(t.find(uri("A/N2"))->value, "7");
}

TEST(Tree, ReplaceChangesFormatWhenGivenWithoutSchema) {
    Tree t = seeded_tree();
    EXPECT_EQ(t.replace(srv("srvA"), uri("A/N"), leaf("abc"), kNow), StatusCode::Ok);
    EXPECT_EQ(t.find(uri("A/N"))->format, Format::Chr);
}

} // namespace
} // namespace omadm::tree::test
