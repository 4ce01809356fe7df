#include "command_json.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace omadm::server {
namespace {

base::Result<void> check(std::string_view text) {
    return validate_command(boost::json::parse(text), "commands[0]");
}

TEST(ValidateCommand, AcceptsTheDocumentedForms) {
    EXPECT_TRUE(check(R"({"cmd":"Add","target":"./A/B","format":"chr","type":"text/plain","data":"v"})"));
    EXPECT_TRUE(check(R"({"cmd":"Exec","target":"./P/Operations/Activate","correlator":"c-1","data":""})"));
    EXPECT_TRUE(check(R"({"cmd":"Copy","target":"./A/C","source":"./A/B"})"));
    EXPECT_TRUE(check(R"({"cmd":"Atomic","commands":[{"cmd":"Delete","target":"./A"}]})"));
}

TEST(ValidateCommand, NamesThePathOfTheFault) {
    const auto r = check(R"({"cmd":"Sequence","commands":[{"cmd":"Get"}]})");
    ASSERT_FALSE(r.has_value());
    EXPECT_NE(r.error().detail.find("commands[0].commands[0].target"), std::string::npos);
}

TEST(ValidateCommand, RejectsUnknownCommandsAndWrongTypes) {
    EXPECT_FALSE(check(R"({"cmd":"Frob","target":"./A"})"));
    EXPECT_FALSE(check(R"({"cmd":"Add","target":"./A","data":5})"));
    EXPECT_FALSE(check(R"({"cmd":"Copy","target":"./A"})"));
    EXPECT_FALSE(check(R"([1])"));
}

} // namespace
} // namespace omadm::server

namespace omadm::server {
namespace {

TEST(ToSyncmlCommand, ItemCommandCarriesTargetDataAndMeta) {
    const auto c = to_syncml_command(boost::json::parse(
        R"({"cmd":"Add","target":"./A/B","format":"chr","type":"text/plain","data":"v"})"));
    const auto& add = std::get<syncml::Add>(c.variant());
    ASSERT_EQ(add.items.size(), 1U);
    EXPECT_EQ(add.items[0].target->loc_uri, "./A/B");
    EXPECT_EQ(add.items[0].data, "v");
    EXPECT_EQ(add.items[0].meta->format, "chr");
    EXPECT_EQ(add.items[0].meta->type, "text/plain");
}

TEST(ToSyncmlCommand, ExecKeepsTheCorrelatorAndAtomicItsMembers) {
    const auto c = to_syncml_command(boost::json::parse(
        R"({"cmd":"Atomic","commands":[{"cmd":"Exec","target":"./P/Operations/Activate","correlator":"c-1"},
            {"cmd":"Copy","target":"./A/C","source":"./A/B"}]})"));
    const auto& atomic = std::get<syncml::Atomic>(c.variant());
    ASSERT_EQ(atomic.commands.size(), 2U);
    EXPECT_EQ(std::get<syncml::Exec>(atomic.commands[0].variant()).correlator, "c-1");
    const auto& copy = std::get<syncml::Copy>(atomic.commands[1].variant());
    EXPECT_EQ(copy.items[0].source->loc_uri, "./A/B");
}

} // namespace
} // namespace omadm::server
