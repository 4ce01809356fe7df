#include "device.hpp"

#include "device_bootstrap.hpp"
#include "omadm/syncml/builder.hpp"

#include <algorithm>
#include <filesystem>

namespace omadm::client {

using base::StatusCode;

namespace {

// The owner of a policy lives in its <x>/Owner node now; a table left by an older state dir goes.
constexpr std::string_view kDropOwnerTable = "DROP TABLE IF EXISTS policy_owners";

tree::TreeOptions tree_options(const ClientFileConfig& c) {
    tree::TreeOptions o;
    o.uri_limits = uri_limits_of(c.dev_detail);
    o.inherited_acl_get = c.account.ver_proto == syncml::kVerProtoDm13
                              ? tree::InheritedAclGet::InheritedWith217
                              : tree::InheritedAclGet::EmptyData;
    o.device_acl = tree::DeviceAcl::Bypass; // the device's own local commands pass ACLs
    return o;
}

std::optional<std::filesystem::path> ddf_dir_of(const ClientFileConfig& c) {
    if (c.ddf_dir) return c.ddf_dir;
#ifdef OMADM_DDF_DIR
    const std::filesystem::path builtin{OMADM_DDF_DIR};
    std::error_code ec;
    if (std::filesystem::is_directory(builtin, ec)) return builtin;
#endif
    return std::nullopt;
}

bool declares_mo(const tree::DdfSchema& schema, std::string_view mo_type) {
    return std::any_of(schema.roots.begin(), schema.roots.end(),
                       [&](const tree::DdfRoot& r) { return r.node.ddf_name == mo_type; });
}

/// The DDFs of ddf_dir, with the MO profile's DDF in place of the one declaring its MO.
base::Result<std::vector<tree::DdfSchema>> schemas_of(const ClientFileConfig& c) {
    std::vector<tree::DdfSchema> out;
    if (const auto dir = ddf_dir_of(c)) {
        auto schemas = load_ddf_dir(*dir);
        if (!schemas) return schemas.error();
        out = std::move(*schemas);
    }
    if (!c.mo_schema) return out;
    std::erase_if(out, [&](const tree::DdfSchema& s) { return declares_mo(s, c.layout.mo_type); });
    out.push_back(*c.mo_schema);
    // The MO's root goes where the profile places it, whatever the DDF's <Path> said.
    const auto& root = c.layout.root;
    for (auto& r : out.back().roots) {
        if (r.node.ddf_name != c.layout.mo_type) continue;
        r.parent = root.parent();
        r.node.name = root.name();
    }
    return out;
}

} // namespace

Device::Device(ClientFileConfig config, shell::sqlite::Database& db, const base::Clock& clock, EventSink sink,
               std::unique_ptr<SqliteTreeStore> tree_store, std::unique_ptr<SqliteAlertStore> alert_store)
    : config_(std::move(config)), db_(db), clock_(clock), sink_(std::move(sink)), layout_(config_.layout),
      props_(config_.props), tree_(tree_options(config_)), tree_store_(std::move(tree_store)),
      alert_store_(std::move(alert_store)),
      agent_(tree_, *alert_store_,
             agent::AgentOptions{layout_, {}, base::ServerId{config_.account.server_id}}) {}

Device::~Device() = default;

base::Result<std::unique_ptr<Device>> Device::open(ClientFileConfig config, shell::sqlite::Database& db,
                                                   const base::Clock& clock, EventSink sink) {
    auto tree_store = SqliteTreeStore::open(db);
    if (!tree_store) return tree_store.error();
    auto alert_store = SqliteAlertStore::open(db);
    if (!alert_store) return alert_store.error();
    if (auto r = db.exec(kDropOwnerTable); !r) return r.error();
    std::unique_ptr<Device> d(new Device(std::move(config), db, clock, std::move(sink),
                                         std::move(*tree_store), std::move(*alert_store)));
    if (auto r = d->start(); !r) return r.error();
    return d;
}

base::Result<void> Device::start() {
    if (auto schemas = schemas_of(config_); !schemas) {
        return schemas.error();
    } else {
        for (auto& s : *schemas)
            tree_.bind_schema(std::move(s));
    }
    auto snapshot = tree_store_->load();
    if (!snapshot) return snapshot.error();
    if (!snapshot->nodes.empty()) {
        if (auto r = tree_.restore(*snapshot); !r) return r.error();
    }
    tree_.attach_store(*tree_store_);
    if (auto r = bootstrap_tree(tree_, config_, layout_, props_, clock_.now()); !r) return r.error();
    if (auto r = set_properties(config_.properties); !r) return r.error();
    // Policies persisted before a restart come back from the tree; nothing is re-run
    // (docs/mgmtpolicy-mo.md, Restart).
    if (auto r = agent_.start(clock_.now()); !r) return r.error();
    const auto& engine = agent_.engine();
    for (const auto& name : tree_.children(layout_.root)) {
        auto uri = layout_.root / name;
        if (engine.find(uri) != nullptr) ever_installed_.insert(std::move(uri));
    }
    publish();
    return {};
}

// --- inputs -------------------------------------------------------------------------------------

void Device::durably(const std::function<void()>& input) {
    // The tree store and the alert store write in savepoints of this transaction. A crash before
    // its commit leaves the state of before the input (SQLite's journal undoes the rest).
    auto txn = shell::sqlite::Transaction::begin(db_);
    if (!txn) sink_("device_fault", {{"detail", "no transaction for the input: " + txn.error().detail}});
    input();
    if (!txn) return;
    if (auto r = txn->commit(); !r)
        sink_("device_fault", {{"detail", "input not persisted: " + r.error().detail}});
}

session::CommandOutcome Device::handle(const syncml::Command& command,
                                       const session::CommandContext& context) {
    session::CommandOutcome out;
    durably([&] { out = agent_.handle(command, context); });
    publish();
    return out;
}

std::vector<session::PackageRefusal> Device::end_package(base::TimePoint now) {
    std::vector<session::PackageRefusal> out;
    durably([&] { out = agent_.end_package(now); });
    publish();
    return out;
}

void Device::end_batch(base::TimePoint now) {
    durably([&] { agent_.end_batch(now); });
    publish();
}

std::vector<session::CommandOutcome> Device::run_local(std::span<const syncml::Command> commands,
                                                       const tree::Principal& who) {
    std::vector<session::CommandOutcome> out;
    durably([&] { out = agent_.run_local(commands, who, clock_.now()); });
    publish();
    return out;
}

void Device::on_time() {
    durably([&] { agent_.on_time(clock_.now()); });
    publish();
}

// --- alerts and faults ----------------------------------------------------------------------------

std::vector<policy::QueuedAlert> Device::alerts_to_send() const {
    if (faults_.never_alert) return {};
    const auto pending = agent_.pending_alerts();
    return {pending.begin(), pending.end()};
}

std::vector<policy::QueuedAlert> Device::alerts_for(const AccountConfig& account) const {
    std::vector<policy::QueuedAlert> out;
    for (auto& a : alerts_to_send()) {
        const AccountConfig* to = faults_.alerts_to_first_server ? nullptr : config_.account_of(a.to.value());
        if ((to != nullptr ? to : &config_.account)->server_id == account.server_id)
            out.push_back(std::move(a));
    }
    return out;
}

session::GenericAlert Device::to_session_alert(const policy::QueuedAlert& q) const {
    session::GenericAlert a = q.alert;
    if (faults_.wrong_result_code && !a.items.empty()) {
        // Success reported as failure and failure as success.
        policy::AlertPayload payload = q.payload;
        payload.result = policy::is_success(payload.result) ? policy::ResultCode::ClientError
                                                            : policy::ResultCode::Successful;
        a.items.front().data = policy::encode_payload(payload);
    }
    return a;
}

void Device::alert_answered(policy::AlertId id, StatusCode code) {
    sink_("alert_answered", {{"alert", id.value()}, {"code", base::to_int(code)}});
    if (code != StatusCode::Ok && code != StatusCode::Accepted) return;
    durably([&] {
        if (auto r = agent_.alert_acknowledged(id); !r) sink_("device_fault", {{"detail", r.error().detail}});
    });
}

void Device::alerts_undelivered(std::span<const policy::AlertId> ids) {
    if (!faults_.drop_undelivered_alert) return;
    for (const auto id : ids) {
        if (auto r = agent_.alert_acknowledged(id); !r) {
            sink_("device_fault", {{"detail", r.error().detail}});
            continue;
        }
        sink_("fault_applied", {{"fault", "drop_undelivered_alert"}, {"target", std::to_string(id.value())}});
    }
}

void Device::apply_wire_faults(syncml::Message& message) const {
    if (faults_.speaks_dm12 && message.hdr.ver_proto != "DM/1.2") {
        message.hdr.ver_proto = "DM/1.2";
        sink_("fault_applied", {{"fault", "speaks_dm12"}, {"target", "SyncHdr/VerProto"}});
    }
    auto& body = message.body;
    if (faults_.status_out_of_range) {
        for (auto& c : body) {
            auto* st = std::get_if<syncml::Status>(&c.variant());
            if (st == nullptr || st->cmd_ref == syncml::CmdId{0}) continue;
            st->code = static_cast<StatusCode>(999); // outside every range DM defines (1xx-5xx)
            sink_("fault_applied", {{"fault", "status_out_of_range"}, {"target", st->cmd}});
            break;
        }
    }
    if (faults_.repeat_cmd_id && body.size() >= 2) {
        const syncml::CmdId first = syncml::command_id(body.front());
        std::visit([&](auto& x) { x.cmd_id = first; }, body.back().variant());
        sink_("fault_applied", {{"fault", "repeat_cmd_id"}, {"target", std::to_string(first.value())}});
    }
}

void Device::set_faults(const Faults& faults) {
    faults_ = faults;
    agent_.set_deviations(agent_deviations(faults));
    sink_("faults_set", faults_json(faults));
    if (faults_.no_mgmt_policy_mo && tree_.find(layout_.root) != nullptr) {
        // As a device without the MO: Gets under the root answer 404, and the DDF lets no server Add
        // the root back (405).
        syncml::Delete d;
        d.items.push_back(syncml::target_item(layout_.root.str()));
        (void)run_local(std::vector<syncml::Command>{syncml::Command{std::move(d)}},
                        tree::Principal::bootstrap());
        sink_("fault_applied", {{"fault", "no_mgmt_policy_mo"}, {"target", layout_.root.str()}});
    }
}

void Device::on_stop() {
    if (!faults_.forget_policies_on_stop) return;
    std::vector<syncml::Command> deletes;
    for (const auto& name : tree_.children(layout_.root)) {
        syncml::Delete d;
        d.items.push_back(syncml::target_item((layout_.root / name).str()));
        deletes.emplace_back(std::move(d));
    }
    (void)run_local(deletes, tree::Principal::device());
    sink_("fault_applied", {{"fault", "forget_policies_on_stop"}, {"target", layout_.root.str()}});
}

void Device::exercised(std::string_view label, std::string detail) {
    sink_("requirement_exercised", {{"label", label}, {"detail", std::move(detail)}});
}

} // namespace omadm::client
