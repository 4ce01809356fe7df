#include "omadm/shell/command_json.hpp"
#include "omadm/shell/shell_errc.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace omadm::shell {
namespace {

base::Result<syncml::Command> read(std::string_view text) {
    return command_from_json(boost::json::parse(text), "commands[0]");
}

TEST(CommandFromJson, AcceptsTheDocumentedForms) {
    const char* const documented[] = {
        R"({"cmd":"Add","target":"./A/B","format":"chr","type":"text/plain","data":"v"})",
        R"({"cmd":"Replace","target":"./A/B","data":"w"})",
        R"({"cmd":"Get","target":"./A?list=Struct"})",
        R"({"cmd":"Delete","target":"./A"})",
        R"({"cmd":"Exec","target":"./P/Operations/Activate","correlator":"c-1","data":""})",
        R"({"cmd":"Copy","target":"./A/C","source":"./A/B"})",
        R"({"cmd":"Atomic","commands":[{"cmd":"Delete","target":"./A"}]})",
        R"({"cmd":"Sequence","commands":[{"cmd":"Get","target":"./A"}]})",
    };
    for (const auto* text : documented)
        EXPECT_TRUE(read(text)) << text;
}

TEST(CommandFromJson, NamesTheFieldPathOfTheFault) {
    struct Case {
        const char* text;
        const char* detail;
    };
    const Case cases[] = {
        {R"([1])", "commands[0]: must be an object"},
        {R"({"target":"./A"})", "commands[0].cmd: must be a string"},
        {R"({"cmd":"Frob","target":"./A"})", "commands[0].cmd: 'Frob' is not a DM command"},
        {R"({"cmd":"Get"})", "commands[0].target: must be a non-empty string"},
        {R"({"cmd":"Get","target":""})", "commands[0].target: must be a non-empty string"},
        {R"({"cmd":"Add","target":"./A","data":5})", "commands[0].data: must be a string"},
        {R"({"cmd":"Exec","target":"./A","correlator":1})", "commands[0].correlator: must be a string"},
        {R"({"cmd":"Copy","target":"./A"})", "commands[0].source: required for Copy"},
        {R"({"cmd":"Atomic"})", "commands[0].commands: must be a non-empty array"},
        {R"({"cmd":"Atomic","commands":[]})", "commands[0].commands: must be a non-empty array"},
        {R"({"cmd":"Sequence","commands":[{"cmd":"Get","target":"./A"},{"cmd":"Get"}]})",
         "commands[0].commands[1].target: must be a non-empty string"},
    };
    for (const auto& c : cases) {
        const auto r = read(c.text);
        ASSERT_FALSE(r) << c.text;
        EXPECT_EQ(r.error().code, make_error_code(ShellErrc::bad_command)) << c.text;
        EXPECT_EQ(r.error().detail, c.detail) << c.text;
    }
}

TEST(CommandFromJson, ItemCommandCarriesTargetDataAndMeta) {
    const auto c = read(R"({"cmd":"Add","target":"./A/B","format":"chr","type":"text/plain","data":"v"})");
    ASSERT_TRUE(c);
    const auto& add = std::get<syncml::Add>(c->variant());
    ASSERT_EQ(add.items.size(), 1U);
    EXPECT_EQ(add.items[0].target->loc_uri, "./A/B");
    EXPECT_EQ(add.items[0].data, "v");
    EXPECT_EQ(add.items[0].meta->format, "chr");
    EXPECT_EQ(add.items[0].meta->type, "text/plain");
    EXPECT_EQ(command_target(*c), "./A/B");
}

TEST(CommandFromJson, WithoutFormatOrTypeTheItemHasNoMeta) {
    const auto c = read(R"({"cmd":"Get","target":"./A"})");
    ASSERT_TRUE(c);
    const auto& get = std::get<syncml::Get>(c->variant());
    EXPECT_FALSE(get.items[0].meta.has_value());
    EXPECT_FALSE(get.items[0].data.has_value());
}

TEST(CommandFromJson, ExecKeepsTheCorrelatorAndAtomicItsMembers) {
    const auto c = read(R"({"cmd":"Atomic","commands":[
        {"cmd":"Exec","target":"./P/Operations/Activate","correlator":"c-1"},
        {"cmd":"Copy","target":"./A/C","source":"./A/B"}]})");
    ASSERT_TRUE(c);
    const auto* members = command_members(*c);
    ASSERT_NE(members, nullptr);
    ASSERT_EQ(members->size(), 2U);
    EXPECT_EQ(std::get<syncml::Exec>((*members)[0].variant()).correlator, "c-1");
    EXPECT_EQ(command_target((*members)[0]), "./P/Operations/Activate");
    const auto& copy = std::get<syncml::Copy>((*members)[1].variant());
    EXPECT_EQ(copy.items[0].source->loc_uri, "./A/B");
    EXPECT_EQ(command_target(*c), "");
}

TEST(CommandMembers, OnlyAtomicAndSequenceHaveMembers) {
    EXPECT_EQ(command_members(*read(R"({"cmd":"Delete","target":"./A"})")), nullptr);
    EXPECT_NE(command_members(*read(R"({"cmd":"Sequence","commands":[{"cmd":"Delete","target":"./A"}]})")),
              nullptr);
}

TEST(CommandsFromJson, ReadsEveryMemberOfTheCommandsArray) {
    const auto body = boost::json::parse(R"({"server_id":"s","commands":[{"cmd":"Get","target":"./A"},
        {"cmd":"Delete","target":"./B"}]})");
    const auto commands = commands_from_json(body.as_object());
    ASSERT_TRUE(commands);
    ASSERT_EQ(commands->size(), 2U);
    EXPECT_EQ(command_target((*commands)[1]), "./B");
}

TEST(CommandsFromJson, TheListMustBeANonEmptyArrayOfValidCommands) {
    struct Case {
        const char* body;
        ShellErrc errc;
        const char* detail;
    };
    const Case cases[] = {
        {R"({})", ShellErrc::bad_json, "commands: must be a non-empty array"},
        {R"({"commands":{}})", ShellErrc::bad_json, "commands: must be a non-empty array"},
        {R"({"commands":[]})", ShellErrc::bad_json, "commands: must be a non-empty array"},
        {R"({"commands":[{"cmd":"Get","target":"./A"},{"cmd":"Get","target":7}]})", ShellErrc::bad_command,
         "commands[1].target: must be a non-empty string"},
    };
    for (const auto& c : cases) {
        const auto r = commands_from_json(boost::json::parse(c.body).as_object());
        ASSERT_FALSE(r) << c.body;
        EXPECT_EQ(r.error().code, make_error_code(c.errc)) << c.body;
        EXPECT_EQ(r.error().detail, c.detail) << c.body;
    }
}

} // namespace
} // namespace omadm::shell
