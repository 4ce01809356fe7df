#include "omadm/shell/run_files.hpp"
#include "omadm/testing/temp_dir.hpp"

#include <fstream>
#include <gtest/gtest.h>

namespace omadm::shell {
namespace {

TEST(RunFiles, WithoutOptionsTheStateIsATemporaryDirectoryRemovedWithTheFiles) {
    std::filesystem::path state;
    {
        auto files = open_run_files(CommonOptions{}, "omadm-test", base::TimePoint{});
        ASSERT_TRUE(files) << files.error().detail;
        ASSERT_TRUE(files->temp_state.has_value());
        state = files->state_dir;
        EXPECT_EQ(state, files->temp_state->path());
        EXPECT_TRUE(std::filesystem::is_directory(state));
        EXPECT_EQ(state.filename().string().rfind("omadm-test-", 0), 0U) << state;
        EXPECT_EQ(files->wire_trace, nullptr);
        EXPECT_EQ(files->event_log, nullptr);
    }
    EXPECT_FALSE(std::filesystem::exists(state));
}

TEST(RunFiles, OpensTheStateDirectoryTraceAndEventLogTheOptionsName) {
    const auto dir = omadm::testing::test_temp_dir() / "run-files";
    std::filesystem::remove_all(dir);
    CommonOptions o;
    o.state = dir / "state";
    o.wire_trace = dir / "trace";
    o.events = dir / "events.jsonl";

    auto files = open_run_files(o, "omadm-test", base::TimePoint{});

    ASSERT_TRUE(files) << files.error().detail;
    EXPECT_FALSE(files->temp_state.has_value());
    EXPECT_EQ(files->state_dir, dir / "state");
    EXPECT_TRUE(std::filesystem::is_directory(dir / "state"));
    EXPECT_NE(files->wire_trace, nullptr);
    ASSERT_NE(files->event_log, nullptr);
    files->event_log.reset();
    std::ifstream in(dir / "events.jsonl");
    std::string first;
    std::getline(in, first);
    EXPECT_NE(first.find(R"("producer":"omadm-test")"), std::string::npos) << first;
}

} // namespace
} // namespace omadm::shell
