#include "omadm/shell/jsonl_writer.hpp"
#include "omadm/testing/temp_dir.hpp"

#include <boost/json/parse.hpp>
#include <fstream>
#include <gtest/gtest.h>

namespace omadm::shell {
namespace {

std::vector<std::string> lines_of(const std::filesystem::path& p) {
    std::ifstream in(p);
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

TEST(JsonlWriter, WritesFirstLineThenOneRecordPerLine) {
    const auto path = omadm::testing::test_temp_dir() / "writer.jsonl";
    auto w = JsonlWriter::create(path, {{"schema", 1}});
    ASSERT_TRUE(w.has_value());
    ASSERT_TRUE((*w)->append({{"seq", 1}, {"text", "line\nbreak"}}).has_value());
    ASSERT_TRUE((*w)->append({{"seq", 2}}).has_value());
    const auto lines = lines_of(path); // visible without closing: flushed per line
    ASSERT_EQ(lines.size(), 3U);
    EXPECT_EQ(lines[0], R"({"schema":1})");
    EXPECT_EQ(boost::json::parse(lines[1]).as_object().at("text").as_string(), "line\nbreak");
}

TEST(JsonlWriter, FailsOnUnwritablePath) {
    auto w = JsonlWriter::create("/nonexistent-dir/x.jsonl", {{"schema", 1}});
    EXPECT_FALSE(w.has_value());
}

} // namespace
} // namespace omadm::shell
