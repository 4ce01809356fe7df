#include "omadm/shell/options.hpp"
#include "omadm/shell/shell_errc.hpp"

#include <gtest/gtest.h>

namespace omadm::shell {
namespace {

base::Result<CommonOptions> parse(std::vector<std::string_view> args,
                                  UnknownOptions u = UnknownOptions::Reject) {
    return parse_common_options(args, u);
}

TEST(CommonOptions, DefaultsToLoopbackPortZero) {
    const auto o = parse({});
    ASSERT_TRUE(o.has_value());
    EXPECT_EQ(o->listen, (Endpoint{"127.0.0.1", 0}));
    EXPECT_EQ(o->control, (Endpoint{"127.0.0.1", 0}));
    EXPECT_FALSE(o->token.has_value());
    EXPECT_EQ(o->log_level, log::Level::Info);
}

TEST(CommonOptions, AcceptsSeparateAndEqualsValues) {
    const auto o = parse({"--listen", "127.0.0.1:8080", "--control=[::1]:9", "--token", "t",
                          "--log-level=debug", "--events", "e.jsonl", "--state", "s", "--wire-trace", "w"});
    ASSERT_TRUE(o.has_value());
    EXPECT_EQ(o->listen.port, 8080);
    EXPECT_EQ(o->control, (Endpoint{"::1", 9}));
    EXPECT_EQ(o->token, "t");
    EXPECT_EQ(o->log_level, log::Level::Debug);
    EXPECT_EQ(o->events, std::filesystem::path("e.jsonl"));
}

TEST(CommonOptions, MissingValueNamesTheOption) {
    const auto o = parse({"--events"});
    ASSERT_FALSE(o.has_value());
    EXPECT_EQ(o.error().code, make_error_code(ShellErrc::bad_option));
    EXPECT_NE(o.error().detail.find("--events"), std::string::npos);
}

TEST(CommonOptions, BadEndpointNamesTheOption) {
    const auto o = parse({"--listen", "localhost:99999"});
    ASSERT_FALSE(o.has_value());
    EXPECT_NE(o.error().detail.find("--listen"), std::string::npos);
}

TEST(CommonOptions, BadLogLevelNamesTheOption) {
    const auto o = parse({"--log-level", "loud"});
    ASSERT_FALSE(o.has_value());
    EXPECT_NE(o.error().detail.find("--log-level"), std::string::npos);
}

TEST(CommonOptions, TlsCertRequiresKey) {
    const auto o = parse({"--tls-cert", "c.pem"});
    ASSERT_FALSE(o.has_value());
    EXPECT_NE(o.error().detail.find("--tls-key"), std::string::npos);
}

TEST(CommonOptions, RejectsUnknownOptionByDefault) {
    const auto o = parse({"--frobnicate"});
    ASSERT_FALSE(o.has_value());
    EXPECT_NE(o.error().detail.find("--frobnicate"), std::string::npos);
}

TEST(CommonOptions, CollectsUnknownOptionsWhenAsked) {
    const auto o = parse({"--pkg0-udp", "127.0.0.1:0", "--x=1", "--token", "t"}, UnknownOptions::Collect);
    ASSERT_TRUE(o.has_value());
    EXPECT_EQ(o->rest, (std::vector<std::string>{"--pkg0-udp", "127.0.0.1:0", "--x=1"}));
    EXPECT_EQ(o->token, "t");
}

TEST(ParseEndpoint, RejectsHostNames) {
    EXPECT_FALSE(parse_endpoint("localhost:80").has_value());
}

TEST(ParseEndpoint, PrintsIpv6InBrackets) {
    EXPECT_EQ(to_string(Endpoint{"::1", 8}), "[::1]:8");
}

} // namespace
} // namespace omadm::shell
