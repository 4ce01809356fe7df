#include "client_config.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>

namespace omadm::client {
namespace {

constexpr std::string_view kMinimal =
    R"({"device_id":"IMEI:1","server_id":"srv","server_url":"http://127.0.0.1:1/dm",
"auth":"hmac","user":"dev","password":"pw","server_password":"sp"})";

TEST(ClientConfig, ReadsTheHarnessFlatForm) {
    auto cfg = parse_client_config(kMinimal, "c.json");
    ASSERT_TRUE(cfg) << cfg.error().detail;
    EXPECT_EQ(cfg->dev_info.dev_id, "IMEI:1");
    EXPECT_EQ(cfg->account.server_id, "srv");
    EXPECT_EQ(cfg->account.auth, session::AuthScheme::Hmac);
    EXPECT_EQ(cfg->account.server_user, "srv");
    EXPECT_EQ(cfg->account.encoding, syncml::Encoding::Xml);
}

TEST(ClientConfig, ReadsNestedSections) {
    auto cfg = parse_client_config(R"({"dev_info":{"dev_id":"IMEI:2","man":"M"},
        "dev_detail":{"dev_typ":"pda","lrg_obj":false,"uri":{"max_depth":8}},
        "account":{"server_id":"s","server_url":"https://x/dm","auth":"basic","user":"u","encoding":"wbxml",
                   "ver_proto":"DM/1.3","server_password":"sp"}})",
                                   "c.json");
    ASSERT_TRUE(cfg) << cfg.error().detail;
    EXPECT_EQ(cfg->dev_info.man, "M");
    EXPECT_EQ(cfg->dev_detail.uri.max_depth, 8U);
    EXPECT_FALSE(cfg->dev_detail.lrg_obj);
    EXPECT_EQ(cfg->account.encoding, syncml::Encoding::Wbxml);
    EXPECT_EQ(cfg->account.ver_proto, "DM/1.3");
}

TEST(ClientConfig, DmVersionFollowsVerProtoUnlessGiven) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    auto dm12 = parse_client_config(kMinimal, "c.json");
    auto dm13 =
        parse_client_config(R"({"device_id":"d","server_id":"s","server_url":"http://h:1/","auth":"none",
        "ver_proto":"DM/1.3"})",
                            "c.json");
    auto given = parse_client_config(R"({"dev_info":{"dev_id":"d","dmv":"1.0"},"server_id":"s",
        "server_url":"http://h:1/","auth":"none","ver_proto":"DM/1.3"})",
                                     "c.json");
    ASSERT_TRUE(dm12 && dm13 && given);
    EXPECT_EQ(dm12->dev_info.dmv, "1.2");
    EXPECT_EQ(dm13->dev_info.dmv, "1.3");
    EXPECT_EQ(given->dev_info.dmv, "1.0");
}

TEST(ClientConfig, VerifiesTheServerByDefaultWhenTheDeviceAuthenticates) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    auto hmac = parse_client_config(kMinimal, "c.json");
    auto none =
        parse_client_config(R"({"device_id":"d","server_id":"s","server_url":"u","auth":"none"})", "c.json");
    auto off =
        parse_client_config(R"({"device_id":"d","server_id":"s","server_url":"u","auth":"md5","user":"x",
        "verify_server":false})",
                            "c.json");
    ASSERT_TRUE(hmac && none && off);
    EXPECT_TRUE(hmac->account.verify_server);
    EXPECT_FALSE(none->account.verify_server);
    EXPECT_FALSE(off->account.verify_server);
}

TEST(ClientConfig, RefusesServerVerificationWithoutTheServerSecret) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    auto cfg = parse_client_config(
        R"({"device_id":"d","server_id":"s","server_url":"u","auth":"md5","user":"x"})", "dev.json");
    ASSERT_FALSE(cfg);
    EXPECT_NE(cfg.error().detail.find("dev.json"), std::string::npos) << cfg.error().detail;
    EXPECT_NE(cfg.error().detail.find("server_password"), std::string::npos) << cfg.error().detail;
}

struct BadCase {
    std::string_view text;
    std::string_view field;
};

TEST(ClientConfig, ReadsTheAccountsOfFurtherServers) {
    auto cfg =
        parse_client_config(R"({"device_id":"IMEI:1","server_id":"srv","server_url":"http://127.0.0.1:1/dm",
        "auth":"none","other_accounts":[{"server_id":"srv2","server_url":"http://127.0.0.1:2/dm","auth":"md5",
        "user":"dev2","password":"pw2","server_password":"sp2"}]})",
                            "c.json");
    ASSERT_TRUE(cfg) << cfg.error().detail;
    ASSERT_EQ(cfg->other_accounts.size(), 1U);
    EXPECT_EQ(cfg->other_accounts[0].node_name, "DMAcc2");
    EXPECT_EQ(cfg->other_accounts[0].auth, session::AuthScheme::Md5);
    EXPECT_EQ(cfg->accounts().size(), 2U);
    EXPECT_EQ(cfg->account_of("srv2"), &cfg->other_accounts[0]);
    EXPECT_EQ(cfg->account_of("srv"), &cfg->account);
    EXPECT_EQ(cfg->account_of("nobody"), nullptr);
}

TEST(ClientConfig, ErrorsNameTheFileAndTheField) {
    const BadCase cases[] = {
        {R"({"server_id":"s","server_url":"u"})", "device_id"},
        {R"({"device_id":"d","server_url":"u"})", "server_id"},
        {R"({"device_id":"d","server_id":"s","server_url":"u","auth":"rot13","user":"x"})", "auth"},
        {R"({"device_id":"d","server_id":"s","server_url":"u","auth":"none","encoding":"json"})", "encoding"},
        {R"({"device_id":"d","server_id":"s","server_url":"u","auth":"none","ver_proto":"DM/2.0"})",
         "ver_proto"},
        {R"({"device_id":"d","server_id":"s","server_url":"u","auth":"none","dev_detail":{"uri":{"max_depth":-1}}})",
         "dev_detail.uri.max_depth"},
        {R"({"device_id":"d","server_id":"s","server_url":"u","auth":"none","server_nonce":"not base64!"})",
         "server_nonce"},
        {R"({"device_id":"d","server_id":"s","server_url":"u","auth":"none","client_nonce":"%%%"})",
         "client_nonce"},
        {R"({"device_id":"d","server_id":"s","server_url":"u","auth":"none","other_accounts":{}})",
         "other_accounts"},
        {R"({"device_id":"d","server_id":"s","server_url":"u","auth":"none","other_accounts":[7]})",
         "other_accounts[0]"},
        {R"({"device_id":"d","server_id":"s","server_url":"u","auth":"none",
             "other_accounts":[{"server_id":"s","server_url":"v","auth":"none"}]})",
         "other_accounts[0].server_id"},
        {R"({"device_id":"d","server_id":"s","server_url":"u","auth":"none",
             "other_accounts":[{"server_id":"t","server_url":"v","auth":"none","account_name":"DMAcc1"}]})",
         "other_accounts[0].account_name"},
        {R"({"device_id":"d","server_id":"s","server_url":"u","auth":"none",
             "other_accounts":[{"server_id":"t","auth":"none"}]})",
         "other_accounts[0].server_url"},
        {R"({"device_id":7})", "device_id"},
        {R"([1])", "not a JSON object"},
        {R"({"device_id":)", "not JSON"},
    };
    for (const auto& c : cases) {
        auto cfg = parse_client_config(c.text, "dev.json");
        ASSERT_FALSE(cfg) << c.text;
        EXPECT_NE(cfg.error().detail.find("dev.json"), std::string::npos) << cfg.error().detail;
        EXPECT_NE(cfg.error().detail.find(c.field), std::string::npos) << cfg.error().detail;
    }
}

TEST(ClientConfig, MissingFileIsNamed) {
    auto cfg = load_client_config("/nonexistent/dir/dev.json");
    ASSERT_FALSE(cfg);
    EXPECT_NE(cfg.error().detail.find("/nonexistent/dir/dev.json"), std::string::npos);
}

} // namespace
} // namespace omadm::client
