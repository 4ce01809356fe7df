#include "device.hpp"
#include "omadm/policy/spec_writer.hpp"
#include "omadm/shell/mo_profile.hpp"
#include "omadm/shell/process.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>

namespace omadm::client {
namespace {

using base::StatusCode;

constexpr std::string_view kPolicy = "./MgmtPolicy/p1";

syncml::Item item(std::string target, std::optional<std::string> data, std::optional<std::string> format) {
    syncml::Item i;
    i.target = syncml::Location{std::move(target), std::nullopt};
    i.data = std::move(data);
    if (format) {
        syncml::Meta m;
        m.format = std::move(format);
        i.meta = m;
    }
    return i;
}

template <class C>
syncml::Command cmd(std::string target, std::optional<std::string> data = std::nullopt,
                    std::optional<std::string> format = std::nullopt) {
    C c;
    if constexpr (std::is_same_v<C, syncml::Exec>) {
        c.item = item(std::move(target), std::move(data), std::move(format));
    } else {
        c.items.push_back(item(std::move(target), std::move(data), std::move(format)));
    }
    return c;
}

/// "When Battery < 20, Replace ./Vendor/T/Saver with on", notifying its owner.
policy::PolicySpec battery_policy() {
    policy::PolicySpec s;
    s.id = "p1";
    s.version = "1";
    policy::SimpleCondition c;
    c.name = "c1";
    c.uri = "./DevDetail/Ext/SysProps/Battery";
    c.op = policy::Operator::Lt;
    c.value = "20";
    s.conditions.push_back(c);
    policy::SimpleAction a;
    a.name = "a1";
    a.order = 1;
    a.command = policy::CommandKind::Replace;
    a.target = "./Vendor/T/Saver";
    a.data = "on";
    s.actions.push_back(a);
    return s;
}

class DeviceTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_.emplace(std::move(*shell::TempDir::create("omadm-client-device-")));
        db_.emplace(std::move(*shell::sqlite::Database::open(dir_->path() / "device.db")));
        ClientFileConfig c;
        c.dev_info.dev_id = "IMEI:1";
        c.account.server_id = "srv";
        c.account.server_url = "http://127.0.0.1:1/dm";
        c.account.auth = session::AuthScheme::None;
        c.properties = {{"battery", "80"}};
        config_ = c;
        reopen();
        const auto me = tree::Principal::device();
        ASSERT_EQ(apply_local(cmd<syncml::Add>("./Vendor", std::nullopt, "node"), me).code, StatusCode::Ok);
        ASSERT_EQ(apply_local(cmd<syncml::Add>("./Vendor/T", std::nullopt, "node"), me).code, StatusCode::Ok);
        ASSERT_EQ(apply_local(cmd<syncml::Add>("./Vendor/T/Saver", "off"), me).code, StatusCode::Ok);
    }

    /// A new Device on the same database, as after a restart of the process.
    void reopen() {
        device_.reset();
        auto d = Device::open(config_, *db_, clock_, [this](std::string kind, boost::json::object f) {
            events_.emplace_back(std::move(kind), std::move(f));
        });
        ASSERT_TRUE(d) << d.error().detail;
        device_ = std::move(*d);
    }

    /// A device with a second DM account, DMAcc2 of server srv2 (user dev2, server password sp2).
    void reopen_with_second_account() {
        AccountConfig second;
        second.node_name = "DMAcc2";
        second.server_id = "srv2";
        second.server_url = "http://127.0.0.1:2/dm";
        second.client_user = "dev2";
        second.server_password = "sp2";
        config_.other_accounts = {second};
        reopen();
    }

    void vendor_acl(std::string acl) {
        ASSERT_EQ(
            apply_local(cmd<syncml::Replace>("./Vendor?prop=ACL", std::move(acl)), tree::Principal::device())
                .code,
            StatusCode::Ok);
    }

    StatusCode as_server(const syncml::Command& c) { return apply_local(c, srv_).code; }

    /// One local command as its own batch.
    session::CommandOutcome apply_local(const syncml::Command& c, const tree::Principal& who) {
        return device_->run_local({&c, 1}, who).front();
    }

    void install_and_activate() { install_and_activate(srv_, kPolicy); }

    /// The battery policy at `at`, downloaded and activated by `who`.
    void install_and_activate(const tree::Principal& who, std::string_view at) {
        std::vector<syncml::Command> adds;
        for (const auto& w :
             policy::download_writes(battery_policy(), policy::PolicyLayout{}, *tree::NodeUri::parse(at)))
            adds.push_back(cmd<syncml::Add>(w.uri.str(), w.value, std::string(tree::format_name(w.format))));
        for (const auto& out : device_->run_local(adds, who))
            ASSERT_EQ(out.code, StatusCode::Ok);
        ASSERT_EQ(apply_local(cmd<syncml::Exec>(std::string(at) + "/Operations/Activate"), who).code,
                  StatusCode::Ok);
    }

    void battery(std::string level) { ASSERT_TRUE(device_->set_properties({{"battery", std::move(level)}})); }

    std::string value(std::string_view uri) {
        const auto* n = device_->tree().find(*tree::NodeUri::parse(uri));
        return n != nullptr ? n->value : "<missing>";
    }

    std::vector<const boost::json::object*> events(std::string_view kind) const {
        std::vector<const boost::json::object*> out;
        for (const auto& [k, f] : events_) {
            if (k == kind) out.push_back(&f);
        }
        return out;
    }

    std::int64_t last_action_status() const {
        const auto executed = events("policy_executed");
        if (executed.empty()) return -1;
        return executed.back()
            ->at("actions")
            .as_array()
            .at(0)
            .as_object()
            .at("status")
            .to_number<std::int64_t>();
    }

    base::ManualClock clock_;
    ClientFileConfig config_;
    std::optional<shell::TempDir> dir_;
    std::optional<shell::sqlite::Database> db_;
    std::unique_ptr<Device> device_;
    std::vector<std::pair<std::string, boost::json::object>> events_;
    tree::Principal srv_ = tree::Principal::server(base::ServerId{"srv"});
};

TEST_F(DeviceTest, PolicyActionRunsAsItsOwner) {
    omadm::testing::covers(req::MgmtPolicyMO_Device_02);
    vendor_acl("Get=srv&Replace=srv");
    install_and_activate();
    battery("10");
    EXPECT_EQ(value("./Vendor/T/Saver"), "on");
    EXPECT_EQ(last_action_status(), 200);
}

TEST_F(DeviceTest, AnMoProfilePlacesTheMoAndTheSystemPropertiesWhereItSays) {
    omadm::testing::covers(req::MgmtPolicyMO_IOP_01);
    const auto profile = shell::load_mo_profile(std::filesystem::path(OMADM_SOURCE_DIR) / "testcases" /
                                                "profiles" / "acme.json");
    ASSERT_TRUE(profile) << profile.error().detail;
    config_.layout = profile->layout;
    // Not where the DDF's <Path> puts the MO.
    config_.layout.root = *tree::NodeUri::parse("./Elsewhere/Policies");
    config_.props = profile->props;
    config_.mo_schema = profile->schema;
    db_.emplace(std::move(*shell::sqlite::Database::open(dir_->path() / "elsewhere.db")));
    reopen();
    const auto* root = device_->tree().find(*tree::NodeUri::parse("./Elsewhere/Policies"));
    ASSERT_NE(root, nullptr);
    EXPECT_EQ(root->type, config_.layout.mo_type);
    EXPECT_EQ(device_->tree().find(*tree::NodeUri::parse("./MgmtPolicy")), nullptr);

    const auto me = tree::Principal::device();
    for (const auto* uri : {"./Vendor", "./Vendor/T"})
        ASSERT_EQ(apply_local(cmd<syncml::Add>(uri, std::nullopt, "node"), me).code, StatusCode::Ok);
    ASSERT_EQ(apply_local(cmd<syncml::Add>("./Vendor/T/Saver", "off"), me).code, StatusCode::Ok);
    vendor_acl("Get=srv&Replace=srv");
    auto spec = battery_policy();
    spec.conditions[0].uri = "./ACME/Sensors/Charge";
    const auto p1 = config_.layout.root / "p1";
    const std::string policy = p1.str();
    std::vector<syncml::Command> adds;
    for (const auto& w : policy::download_writes(spec, config_.layout, p1))
        adds.push_back(cmd<syncml::Add>(w.uri.str(), w.value, std::string(tree::format_name(w.format))));
    for (const auto& out : device_->run_local(adds, srv_))
        ASSERT_EQ(out.code, StatusCode::Ok);
    ASSERT_EQ(as_server(cmd<syncml::Exec>(config_.layout.operation_uri(p1, true).str())), StatusCode::Ok);

    // The DDF holds there: its Owner (Origin) leaf is Get only.
    EXPECT_EQ(as_server(cmd<syncml::Replace>(policy + "/Origin", "srv2")), StatusCode::CommandNotAllowed);
    battery("10");
    EXPECT_EQ(value("./ACME/Sensors/Charge"), "10");
    EXPECT_EQ(value(policy + "/Rev"), "1");
    EXPECT_EQ(value("./Vendor/T/Saver"), "on");
}

/// What a crash would leave of one policy run: read through a second connection, which sees
/// committed transactions only.
struct RunOnDisk {
    std::string saver;    ///< the action's target
    std::string count;    ///< Results/Count
    std::string last_run; ///< Results/LastRun
    std::int64_t alerts = 0;
    bool operator==(const RunOnDisk&) const = default;
    friend void PrintTo(const RunOnDisk& r, std::ostream* os) {
        *os << "{saver " << r.saver << ", count " << r.count << ", last_run " << r.last_run << ", alerts "
            << r.alerts << "}";
    }
};

RunOnDisk run_on_disk(shell::sqlite::Database& reader) {
    RunOnDisk out;
    const auto node = [&](std::string_view path) {
        auto st = reader.prepare("SELECT value FROM tree_nodes WHERE path = ?1");
        if (!st) return std::string("<error>");
        st->bind(1, path);
        const auto row = st->step();
        return row && *row ? st->column_text(0) : std::string("<missing>");
    };
    out.saver = node("Vendor/T/Saver");
    out.count = node("MgmtPolicy/p1/Results/Count");
    out.last_run = node("MgmtPolicy/p1/Results/LastRun");
    if (auto st = reader.prepare("SELECT count(*) FROM policy_alerts")) {
        if (const auto row = st->step(); row && *row) out.alerts = st->column_int(0);
    }
    return out;
}

TEST_F(DeviceTest, APolicyRunPersistsWithItsResultsAndAlertOrNotAtAll) {
    omadm::testing::covers(req::MgmtPolicyMO_HLF_5);
    vendor_acl("Get=srv&Replace=srv");
    install_and_activate();
    auto reader = shell::sqlite::Database::open(dir_->path() / "device.db");
    ASSERT_TRUE(reader) << reader.error().detail;
    const RunOnDisk before = run_on_disk(*reader);
    ASSERT_EQ(before, (RunOnDisk{"off", "0", "<missing>", 0}));
    // At every row the device writes, what a crash would leave is the state before the run.
    std::vector<RunOnDisk> mid_run;
    db_->on_row_written([&] { mid_run.push_back(run_on_disk(*reader)); });
    battery("10");
    db_->on_row_written({});
    ASSERT_GT(mid_run.size(), 4U); // the property, the action, LastStatus, LastRun, Count, Log, alert
    for (std::size_t i = 0; i < mid_run.size(); ++i)
        EXPECT_EQ(mid_run[i], before) << "row write " << i << " of " << mid_run.size();
    const RunOnDisk after = run_on_disk(*reader);
    EXPECT_EQ(after.saver, "on");
    EXPECT_EQ(after.count, "1");
    EXPECT_NE(after.last_run, "<missing>");
    EXPECT_EQ(after.alerts, 1);
}

TEST_F(DeviceTest, AclDenialOfAnActionIsAFailedResult) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    vendor_acl("Get=srv&Replace=other");
    install_and_activate();
    battery("10");
    EXPECT_EQ(value("./Vendor/T/Saver"), "off");
    EXPECT_EQ(last_action_status(), 425);
}

TEST_F(DeviceTest, EngineOwnWritesAreNotFedBack) {
    omadm::testing::covers(req::MgmtPolicyMO_Device_03);
    vendor_acl("Get=srv&Replace=srv");
    install_and_activate();
    const auto fired_before = events("policy_fired").size();
    battery("10");
    // One change, one run: the State/Results writes and the action's own Replace fire nothing more.
    EXPECT_EQ(events("policy_fired").size(), fired_before + 1);
    EXPECT_EQ(events("policy_executed").size(), 1U);
}

TEST_F(DeviceTest, AnActivePolicySurvivesAStopUnlessTheForgetFaultIsOn) {
    omadm::testing::covers(req::MgmtPolicyMO_Device_03);
    vendor_acl("Replace=*&Get=*");
    install_and_activate();
    device_->on_stop();
    reopen();
    battery("10");
    EXPECT_EQ(value("./Vendor/T/Saver"), "on"); // restored active, it still runs

    Faults f;
    f.forget_policies_on_stop = true;
    device_->set_faults(f);
    device_->on_stop();
    reopen();
    EXPECT_TRUE(device_->policies_json().empty());
    EXPECT_EQ(value(kPolicy), "<missing>");
}

TEST_F(DeviceTest, ServerDeletesAPolicyWithTheOperationsTheDeviceCreated) {
    omadm::testing::covers(req::MgmtPolicyMO_HLF_4);
    install_and_activate();
    EXPECT_EQ(as_server(cmd<syncml::Delete>(std::string(kPolicy))), StatusCode::Ok);
    EXPECT_EQ(value(std::string(kPolicy) + "/Operations"), "<missing>");
    EXPECT_EQ(events("policy_removed").size(), 1U);
}

TEST_F(DeviceTest, AnotherServerCannotChangeOrRemoveAPolicy) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    vendor_acl("Get=*&Replace=*");
    install_and_activate();
    ASSERT_EQ(apply_local(cmd<syncml::Replace>("./MgmtPolicy?prop=ACL", "Add=*&Delete=*&Replace=*&Get=*"),
                          tree::Principal::device())
                  .code,
              StatusCode::Ok); // S2 has every ACL right on the MO: ownership alone must stop it
    const auto s2 = tree::Principal::server(base::ServerId{"S2"});
    const policy::PolicyLayout l;
    const std::string action_target =
        (*tree::NodeUri::parse(kPolicy) / l.actions / l.simple_actions / "a1" / l.action_target).str();

    EXPECT_EQ(apply_local(cmd<syncml::Replace>(action_target, "./Vendor/T/Other"), s2).code,
              StatusCode::PermissionDenied);
    EXPECT_EQ(apply_local(cmd<syncml::Delete>(std::string(kPolicy)), s2).code, StatusCode::PermissionDenied);
    EXPECT_EQ(apply_local(cmd<syncml::Delete>("./MgmtPolicy"), s2).code, StatusCode::PermissionDenied);
    EXPECT_EQ(value(action_target), "./Vendor/T/Saver");
    EXPECT_EQ(as_server(cmd<syncml::Replace>(action_target, "./Vendor/T/Saver")),
              StatusCode::Ok); // the owner may
}

TEST_F(DeviceTest, AnInvalidUpdateIsRefusedAtTheReplaceOfVersion) {
    omadm::testing::covers(req::MgmtPolicyMO_HLF_2);
    vendor_acl("Get=srv&Replace=srv");
    install_and_activate();
    const policy::PolicyLayout l;
    const auto p1 = *tree::NodeUri::parse(kPolicy);
    const std::string version = (p1 / l.version).str();
    ASSERT_EQ(as_server(cmd<syncml::Delete>((p1 / l.actions).str())), StatusCode::Ok);

    const StatusCode st = as_server(cmd<syncml::Replace>(version, "2"));

    EXPECT_TRUE(st == StatusCode::BadRequest || st == StatusCode::OptionalFeatureNotSupported)
        << base::to_int(st); // a policy without Actions cannot be version 2
    EXPECT_EQ(value(version), "1");
    EXPECT_FALSE(events("policy_rejected").empty());
    battery("10");
    EXPECT_EQ(value("./Vendor/T/Saver"), "on"); // version 1 stays in force
}

TEST_F(DeviceTest, TheServerIsVerifiedUnderItsServerIdByDefault) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    // An account built in code, without server_user: the SRVCRED name is the ServerID, as when read
    // from a configuration file.
    const auto c = device_->session_config(device_->config().account,
                                           session::SessionTrigger::ClientInitiated, base::SessionId{"1"});
    EXPECT_TRUE(c.account.verify_server);
    EXPECT_EQ(c.account.server_user, "srv");
}

TEST_F(DeviceTest, EachServerHasItsOwnAccountCredentialsAndNonces) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    reopen_with_second_account();
    EXPECT_EQ(value("./DMAcc/DMAcc2/ServerID"), "srv2");
    EXPECT_EQ(value("./DMAcc/DMAcc2/AppAddr/1/Addr"), "http://127.0.0.1:2/dm");
    EXPECT_EQ(value("./DMAcc/DMAcc1/ServerID"), "srv");
    const AccountConfig& acc = *device_->config().account_of("srv2");
    const auto c =
        device_->session_config(acc, session::SessionTrigger::ClientInitiated, base::SessionId{"1"});
    EXPECT_EQ(c.account.server_id.value(), "srv2");
    EXPECT_EQ(c.account.server_uri, "http://127.0.0.1:2/dm");
    EXPECT_EQ(c.account.user, "dev2");
    EXPECT_EQ(c.account.server_password, "sp2");
    device_->store_nonce(acc, session::NonceRole::ClientCredential, "bm9uY2U=");
    EXPECT_EQ(value("./DMAcc/DMAcc2/AppAuth/CLCRED/AAuthData"), "bm9uY2U=");
    EXPECT_NE(value("./DMAcc/DMAcc1/AppAuth/CLCRED/AAuthData"), "bm9uY2U=");
    EXPECT_EQ(device_->session_config(acc, session::SessionTrigger::ClientInitiated, base::SessionId{"2"})
                  .account.nonce_b64,
              "bm9uY2U=");
    // The second server may read and change its own account only: not the first one's.
    const auto srv2 = tree::Principal::server(base::ServerId{"srv2"});
    EXPECT_EQ(apply_local(cmd<syncml::Replace>("./DMAcc/DMAcc2/Name", "mine"), srv2).code, StatusCode::Ok);
    EXPECT_EQ(apply_local(cmd<syncml::Replace>("./DMAcc/DMAcc1/Name", "theirs"), srv2).code,
              StatusCode::PermissionDenied);
}

TEST_F(DeviceTest, AlertsGoToTheServerThatOwnsThePolicy) {
    omadm::testing::covers(req::MgmtPolicyMO_Device_01);
    reopen_with_second_account();
    vendor_acl("Get=*&Replace=*");
    ASSERT_EQ(
        as_server(cmd<syncml::Replace>("./MgmtPolicy?prop=ACL", "Add=*&Delete=*&Exec=*&Get=*&Replace=*")),
        StatusCode::Ok);
    install_and_activate(tree::Principal::server(base::ServerId{"srv2"}), "./MgmtPolicy/p2");
    // A server the device has no account at: its policy's alerts go to the first account's server.
    install_and_activate(tree::Principal::server(base::ServerId{"gone"}), "./MgmtPolicy/p3");
    battery("10");
    const AccountConfig& first = device_->config().account;
    const AccountConfig& at_second = *device_->config().account_of("srv2");
    const auto sources = [](const std::vector<policy::QueuedAlert>& alerts) {
        std::vector<std::string> out;
        for (const auto& a : alerts)
            out.push_back(a.alert.items.at(0).source.value_or(""));
        return out;
    };
    EXPECT_EQ(sources(device_->alerts_for(at_second)), std::vector<std::string>{"./MgmtPolicy/p2"});
    EXPECT_EQ(sources(device_->alerts_for(first)), std::vector<std::string>{"./MgmtPolicy/p3"});

    device_->set_faults(Faults{.alerts_to_first_server = true});
    EXPECT_TRUE(device_->alerts_for(at_second).empty());
    EXPECT_EQ(device_->alerts_for(first).size(), 2U);
}

TEST_F(DeviceTest, SkipAclFaultLetsADeniedActionThrough) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHOR_1);
    vendor_acl("Get=srv&Replace=other");
    device_->set_faults(Faults{.skip_acl = true});
    install_and_activate();
    battery("10");
    EXPECT_EQ(value("./Vendor/T/Saver"), "on");
    EXPECT_EQ(last_action_status(), 200);
}

TEST_F(DeviceTest, IgnoreDeactivateFaultKeepsThePolicyActive) {
    omadm::testing::covers(req::MgmtPolicyMO_HLF_3);
    vendor_acl("Get=srv&Replace=srv");
    device_->set_faults(Faults{.ignore_deactivate = true});
    install_and_activate();
    EXPECT_EQ(as_server(cmd<syncml::Exec>(std::string(kPolicy) + "/Operations/Deactivate")), StatusCode::Ok);
    EXPECT_EQ(events("fault_applied").size(), 1U);
    battery("10");
    EXPECT_EQ(value("./Vendor/T/Saver"), "on");
}

TEST_F(DeviceTest, NeverAlertFaultKeepsAlertsQueued) {
    omadm::testing::covers(req::MgmtPolicyMO_DMS_02);
    vendor_acl("Get=srv&Replace=srv");
    install_and_activate();
    battery("10");
    ASSERT_FALSE(events("alert_queued").empty());
    ASSERT_FALSE(device_->alerts_to_send().empty());
    device_->set_faults(Faults{.never_alert = true});
    EXPECT_TRUE(device_->alerts_to_send().empty());
}

TEST_F(DeviceTest, WrongResultCodeFaultInvertsTheAlertResult) {
    omadm::testing::covers(req::MgmtPolicyMO_DMS_02);
    vendor_acl("Get=srv&Replace=srv");
    install_and_activate();
    battery("10");
    const auto pending = device_->alerts_to_send();
    ASSERT_FALSE(pending.empty());
    const auto honest = device_->to_session_alert(pending.front());
    device_->set_faults(Faults{.wrong_result_code = true});
    const auto faulty = device_->to_session_alert(pending.front());
    ASSERT_EQ(honest.items.size(), 1U);
    ASSERT_EQ(faulty.items.size(), 1U);
    EXPECT_NE(honest.items.front().data, faulty.items.front().data);
    EXPECT_EQ(honest.items.front().source, faulty.items.front().source);
}

TEST_F(DeviceTest, AcceptUnauthenticatedServerFaultTurnsVerificationOff) {
    omadm::testing::covers(req::MgmtPolicyMO_ATHEN_1);
    Faults f;
    f.accept_unauthenticated_server = true;
    device_->set_faults(f);
    const auto c = device_->session_config(device_->config().account,
                                           session::SessionTrigger::ClientInitiated, base::SessionId{"1"});
    EXPECT_FALSE(c.account.verify_server);
    ASSERT_EQ(events("fault_applied").size(), 1U);
    EXPECT_EQ(events("fault_applied").front()->at("fault").as_string(), "accept_unauthenticated_server");
}

TEST_F(DeviceTest, AnEngineFaultSetByNameChangesTheRunAndIsReported) {
    omadm::testing::covers(req::MgmtPolicyMO_HLF_5);
    vendor_acl("Get=srv&Replace=srv");
    Faults f;
    for (const auto& field : fault_fields()) {
        if (field.name == "stale_results") field.field(f) = true;
    }
    device_->set_faults(f);
    install_and_activate();
    battery("10");
    EXPECT_EQ(value("./Vendor/T/Saver"), "on");
    EXPECT_EQ(value(std::string(kPolicy) + "/Results/Count"), "0");
    ASSERT_EQ(events("fault_applied").size(), 1U);
    EXPECT_EQ(events("fault_applied").front()->at("fault").as_string(), "stale_results");
}

TEST_F(DeviceTest, WireFaultsChangeOnlyTheMessageAboutToBeSent) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    syncml::Message m;
    syncml::Status hdr;
    hdr.cmd_id = syncml::CmdId{1};
    hdr.cmd = "SyncHdr";
    syncml::Status replace;
    replace.cmd_id = syncml::CmdId{2};
    replace.cmd_ref = syncml::CmdId{5};
    replace.cmd = "Replace";
    syncml::Alert alert;
    alert.cmd_id = syncml::CmdId{3};
    m.body = {syncml::Command{hdr}, syncml::Command{replace}, syncml::Command{alert}};
    const syncml::Message before = m;
    device_->apply_wire_faults(m);
    EXPECT_EQ(m, before); // no fault set

    Faults f;
    f.status_out_of_range = true;
    f.repeat_cmd_id = true;
    device_->set_faults(f);
    device_->apply_wire_faults(m);

    EXPECT_EQ(std::get<syncml::Status>(m.body[0].variant()).code, StatusCode::Ok); // the SyncHdr's stays
    EXPECT_EQ(base::to_int(std::get<syncml::Status>(m.body[1].variant()).code), 999);
    EXPECT_EQ(syncml::command_id(m.body[2]), syncml::CmdId{1});
    EXPECT_EQ(events("fault_applied").size(), 2U);
}

TEST_F(DeviceTest, EveryFaultIsReportedOnceByItsName) {
    omadm::testing::covers(req::MgmtPolicyMO_HLF_5);
    device_->set_faults(Faults{});
    const auto set = events("faults_set");
    ASSERT_EQ(set.size(), 1U);
    EXPECT_EQ(set.front()->size(), fault_fields().size()); // no two faults share a name
}

} // namespace
} // namespace omadm::client
