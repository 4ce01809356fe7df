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

TEST(CommonOptions, BadUsageNamesTheOption) {
    struct Case {
        std::vector<std::string_view> args;
        ShellErrc errc;
        std::string_view named;
    };
    const Case cases[] = {
        {{"--events"}, ShellErrc::bad_option, "--events"}, // value missing
        {{"--listen", "localhost:99999"}, ShellErrc::bad_endpoint, "--listen"},
        {{"--log-level", "loud"}, ShellErrc::bad_option, "--log-level"},
        {{"--tls-cert", "c.pem"}, ShellErrc::bad_option, "--tls-key"}, // the certificate needs its key
        {{"--frobnicate"}, ShellErrc::bad_option, "--frobnicate"}, // unknown options are refused by default
    };
    for (const auto& c : cases) {
        const auto o = parse(c.args);
        ASSERT_FALSE(o.has_value()) << c.named;
        EXPECT_EQ(o.error().code, make_error_code(c.errc)) << c.named;
        EXPECT_NE(o.error().detail.find(c.named), std::string::npos) << o.error().detail;
    }
}

TEST(CommonOptions, CollectsUnknownOptionsWhenAsked) {
    const auto o = parse({"--pkg0-udp", "127.0.0.1:0", "--x=1", "--token", "t"}, UnknownOptions::Collect);
    ASSERT_TRUE(o.has_value());
    EXPECT_EQ(o->rest, (std::vector<std::string>{"--pkg0-udp", "127.0.0.1:0", "--x=1"}));
    EXPECT_EQ(o->token, "t");
}

TEST(StartupOptions, GivesTheOptionsOrTheExitCode) {
    const std::vector<std::string_view> help{"--help"};
    const std::vector<std::string_view> bad{"--frobnicate"};
    const std::vector<std::string_view> good{"--token", "t"};

    EXPECT_EQ(std::get<int>(startup_options(help, "omadm-test")), 0);
    EXPECT_EQ(std::get<int>(startup_options(bad, "omadm-test")), 2);
    EXPECT_EQ(std::get<CommonOptions>(startup_options(good, "omadm-test")).token, "t");
}

TEST(ParseEndpoint, RejectsHostNames) {
    EXPECT_FALSE(parse_endpoint("localhost:80").has_value());
}

TEST(ParseEndpoint, PrintsIpv6InBrackets) {
    EXPECT_EQ(to_string(Endpoint{"::1", 8}), "[::1]:8");
}

} // namespace
} // namespace omadm::shell
