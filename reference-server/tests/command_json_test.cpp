#include "command_json.hpp"

#include <boost/json/parse.hpp>
#include <gtest/gtest.h>

namespace omadm::server {
namespace {

base::Result<void> check(std::string_view text) { return validate_command(boost::json::parse(text), "commands[0]"); }

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

}  // namespace
}  // namespace omadm::server
