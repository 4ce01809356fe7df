// The faults the server applies inside a DM session (reference-server/README.md, Faults): each
// changes what the conforming EngineSession answers, and is reported as fault_applied.
#include "dm_endpoint.hpp"
#include "engine_session.hpp"
#include "omadm/auth/credentials.hpp"
#include "omadm/syncml/builder.hpp"
#include "omadm/testing/covers.hpp"
#include "server_test_support.hpp"

#include <gtest/gtest.h>

namespace omadm::server {
namespace {

namespace http = shell::http;

class SessionFaultsTest : public testing::EndpointTest {
protected:
    SessionFaultsTest() : EndpointTest("session-faults") {}

    syncml::Message package1(std::optional<syncml::Cred> cred = std::nullopt,
                             std::string ver_proto = syncml::kVerProtoDm13) {
        return syncml::MessageBuilder(from_device(1, std::move(cred), std::move(ver_proto)).hdr)
            .alert(syncml::alert_code::kClientInitiatedMgmt)
            .build();
    }

    /// Package 1 of a second session: the fault's, after the first showed the conforming answer.
    static syncml::Message second_session(syncml::Message package1) {
        package1.hdr.session_id = base::SessionId("2");
        return package1;
    }

    /// Basic credentials of the account u / p.
    static syncml::Cred basic_cred() {
        syncml::Cred cred{syncml::Meta{}, auth::basic_credential("u", "p")};
        cred.meta.type = std::string(auth::kAuthBasic);
        return cred;
    }

    /// Package 1 carrying a Generic Alert after Alert 1201.
    syncml::Message package1_with_alert() {
        auto m = package1();
        syncml::Item item;
        item.source = syncml::Location{"./MgmtPolicy/p1", {}};
        item.data = "1200";
        return syncml::MessageBuilder(m.hdr)
            .alert(syncml::alert_code::kClientInitiatedMgmt)
            .alert(syncml::alert_code::kGenericAlert, {item}, "c-1")
            .build();
    }

    /// Posts `m` (XML, or WBXML in the codec's default form) and decodes the answer.
    syncml::Message exchange(const syncml::Message& m, syncml::Encoding enc = syncml::Encoding::Xml) {
        shell::Request req{http::verb::post, "/", 11};
        req.set(http::field::content_type, syncml::content_type(enc));
        req.body() = syncml::encode(m, enc).value();
        req.prepare_payload();
        const auto res = endpoint_.handle(req);
        EXPECT_EQ(res.result(), http::status::ok);
        last_body_ = res.body();
        return syncml::decode(res.body(), enc).value();
    }

    std::vector<std::string> applied() const {
        std::vector<std::string> out;
        for (const auto& e : events_.events_after(0, "fault_applied"))
            out.emplace_back(e.fields.at("fault").as_string());
        return out;
    }

    /// The Status answering the command `cmd_id` of message 1, if any.
    static const syncml::Status* status_of(const syncml::Message& reply, std::uint32_t cmd_id) {
        for (const auto& c : reply.body) {
            const auto* s = std::get_if<syncml::Status>(&c.variant());
            if (s != nullptr && s->cmd_ref.value() == cmd_id) return s;
        }
        return nullptr;
    }

    base::SeededRandom random_{7};
    ServerConfig config_;
    ServerFaults faults_;
    EngineSessionFactory factory_{{*store_, events_, random_, config_, &faults_}};
    DmEndpoint endpoint_{{*store_, events_, clock_, nullptr, {}, "http", {}, &faults_}, factory_};
    std::string last_body_;
};

TEST_F(SessionFaultsTest, AGenericAlertIsAcknowledged200WithoutFaults) {
    omadm::testing::covers(req::MgmtPolicyMO_DMS_02);
    const auto reply = exchange(package1_with_alert());
    const auto* s = status_of(reply, 2);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->code, base::StatusCode::Ok);
    EXPECT_TRUE(applied().empty());
}

TEST_F(SessionFaultsTest, NeverAckAlertLeavesTheGenericAlertWithoutStatus) {
    faults_.never_ack_alert = true;
    const auto reply = exchange(package1_with_alert());
    EXPECT_EQ(status_of(reply, 2), nullptr);
    EXPECT_NE(status_of(reply, 1), nullptr); // Alert 1201 is answered
    EXPECT_EQ(applied(), std::vector<std::string>{"never_ack_alert"});
}

TEST_F(SessionFaultsTest, WrongAlertAckAnswersTheGenericAlert500) {
    faults_.wrong_alert_ack = true;
    const auto reply = exchange(package1_with_alert());
    const auto* s = status_of(reply, 2);
    ASSERT_NE(s, nullptr);
    EXPECT_EQ(s->code, base::StatusCode::CommandFailed);
    EXPECT_EQ(applied(), std::vector<std::string>{"wrong_alert_ack"});
}

TEST_F(SessionFaultsTest, ReuseCmdIdsRepeatsTheFirstCmdIdInTheSecondCommand) {
    const auto conforming = exchange(package1());
    ASSERT_GE(conforming.body.size(), 2U);
    EXPECT_NE(syncml::command_id(conforming.body[1]), syncml::command_id(conforming.body[0]));

    faults_.reuse_cmd_ids = true;
    const auto again = second_session(package1());
    const auto reply = exchange(again);
    ASSERT_GE(reply.body.size(), 2U);
    EXPECT_EQ(syncml::command_id(reply.body[1]), syncml::command_id(reply.body[0]));
    EXPECT_EQ(applied(), std::vector<std::string>{"reuse_cmd_ids"});
}

TEST_F(SessionFaultsTest, WrongVerProtoAnswersTheOtherVersion) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    EXPECT_EQ(exchange(package1()).hdr.ver_proto, syncml::kVerProtoDm13);
    faults_.wrong_ver_proto = true;
    const auto again = second_session(package1(std::nullopt, syncml::kVerProtoDm12));
    EXPECT_EQ(exchange(again).hdr.ver_proto, syncml::kVerProtoDm13);
    EXPECT_EQ(applied(), std::vector<std::string>{"wrong_ver_proto"});
}

TEST_F(SessionFaultsTest, WbxmlVersionMismatchAnswersInAnotherVersion) {
    (void)exchange(package1(), syncml::Encoding::Wbxml);
    EXPECT_EQ(syncml::wbxml_form(std::as_bytes(std::span(last_body_.data(), last_body_.size())))->version,
              syncml::WbxmlForm{}.version);
    faults_.wbxml_version_mismatch = true;
    const auto again = second_session(package1());
    (void)exchange(again, syncml::Encoding::Wbxml);
    EXPECT_NE(syncml::wbxml_form(std::as_bytes(std::span(last_body_.data(), last_body_.size())))->version,
              syncml::WbxmlForm{}.version);
    EXPECT_EQ(applied(), std::vector<std::string>{"wbxml_version_mismatch"});
}

TEST_F(SessionFaultsTest, NoCredLeavesTheServerCredentialsOut) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    ASSERT_TRUE(store_->put_account(kDevice, Account{"u", "p", "basic", "srv", "", "", ""}));
    const syncml::Cred cred = basic_cred();
    EXPECT_TRUE(exchange(package1(cred)).hdr.cred.has_value());

    faults_.no_cred = true;
    const auto again = second_session(package1(cred));
    EXPECT_FALSE(exchange(again).hdr.cred.has_value());
    EXPECT_EQ(applied(), std::vector<std::string>{"no_cred"});
}

TEST_F(SessionFaultsTest, IgnoreAuthTypeTakesBasicWhenMd5IsRequired) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    ASSERT_TRUE(store_->put_account(kDevice, Account{"u", "p", "md5", "", "", "", ""}));
    const syncml::Cred cred = basic_cred();
    const auto refused = exchange(package1(cred));
    EXPECT_EQ(std::get<syncml::Status>(refused.body.front().variant()).code,
              base::StatusCode::InvalidCredentials);

    faults_.ignore_auth_type = true;
    const auto again = second_session(package1(cred));
    const auto accepted = exchange(again);
    EXPECT_EQ(std::get<syncml::Status>(accepted.body.front().variant()).code,
              base::StatusCode::AuthenticationAccepted);
    EXPECT_EQ(applied(), std::vector<std::string>{"ignore_auth_type"});
}

TEST_F(SessionFaultsTest, BasicChallengeAsksAnMd5DeviceForBasic) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    ASSERT_TRUE(store_->put_account(kDevice, Account{"u", "p", "md5", "", "", "", ""}));
    const auto chal_type = [](const syncml::Message& answer) {
        const auto& status = std::get<syncml::Status>(answer.body.front().variant());
        return status.chal ? status.chal->meta.type.value_or("") : std::string();
    };
    EXPECT_EQ(chal_type(exchange(package1())), auth::kAuthMd5);

    faults_.basic_challenge = true;
    const auto again = second_session(package1());
    EXPECT_EQ(chal_type(exchange(again)), auth::kAuthBasic);
    EXPECT_EQ(applied(), std::vector<std::string>{"basic_challenge"});
}

} // namespace
} // namespace omadm::server
