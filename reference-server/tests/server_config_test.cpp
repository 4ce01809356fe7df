#include "server_config.hpp"

#include <gtest/gtest.h>

namespace omadm::server {
namespace {

TEST(ServerConfig, ReadsKnownFields) {
    const auto c =
        parse_server_config(R"({"server_id":"srv","pkg0_version":12,"dm_max_body_bytes":4096})", "c.json");
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->server_id, "srv");
    EXPECT_EQ(c->pkg0_version, 12);
    EXPECT_EQ(c->dm_max_body_bytes, 4096U);
}

TEST(ServerConfig, NamesFileAndFieldOfAnError) {
    const auto c = parse_server_config(R"({"pkg0_version":"x"})", "c.json");
    ASSERT_FALSE(c.has_value());
    EXPECT_EQ(c.error().detail.rfind("c.json: pkg0_version", 0), 0U) << c.error().detail;
}

TEST(ServerConfig, ReadsTheSessionTimeout) {
    const auto c = parse_server_config(R"({"session_timeout_ms":2500})", "c.json");
    ASSERT_TRUE(c.has_value()) << c.error().detail;
    EXPECT_EQ(c->session_timeout, std::chrono::milliseconds(2500));
    EXPECT_FALSE(parse_server_config(R"({"session_timeout_ms":5})", "c.json").has_value());
}

TEST(ServerConfig, ReadsRequireAccount) {
    EXPECT_FALSE(parse_server_config("{}", "c.json")->require_account);
    const auto c = parse_server_config(R"({"require_account":true})", "c.json");
    ASSERT_TRUE(c.has_value()) << c.error().detail;
    EXPECT_TRUE(c->require_account);
    EXPECT_FALSE(parse_server_config(R"({"require_account":1})", "c.json").has_value());
}

TEST(ServerConfig, RejectsUnknownFields) {
    EXPECT_FALSE(parse_server_config(R"({"serverid":"x"})", "c").has_value());
}

TEST(ServerConfig, ReportsUnreadableFile) {
    EXPECT_FALSE(load_server_config("/nonexistent/c.json").has_value());
}

} // namespace
} // namespace omadm::server
