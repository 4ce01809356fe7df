#include "device.hpp"

#include "device_bootstrap.hpp"
#include "omadm/shell/shell_errc.hpp"

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

} // namespace

Device::Device(ClientFileConfig config, shell::sqlite::Database& db, const base::Clock& clock, EventSink sink,
               std::unique_ptr<SqliteTreeStore> tree_store, std::unique_ptr<SqliteAlertStore> alert_store)
    : config_(std::move(config)), db_(db), clock_(clock), sink_(std::move(sink)),
      tree_(tree_options(config_)), tree_store_(std::move(tree_store)), alert_store_(std::move(alert_store)),
      outbox_(std::make_unique<policy::Outbox>(*alert_store_)), host_(tree_, clock_),
      engine_(host_, *outbox_, policy::EngineOptions{layout_, {}, {}}),
      handler_(tree_, clock_,
               CommandHooks{[this](const tree::Principal& who) { return before_commit(who); },
                            [this] { after_rollback(); },
                            [this](const syncml::Command& c, const tree::Principal& who,
                                   const session::CommandOutcome& out) { command_executed(c, who, out); },
                            [this](const tree::NodeUri& target, const tree::Principal& who) {
                                return may_write(target, who);
                            }}) {}

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
    if (const auto dir = ddf_dir_of(config_)) {
        auto schemas = load_ddf_dir(*dir);
        if (!schemas) return schemas.error();
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
    if (auto r = outbox_->restore(); !r) return r.error();
    for (const std::string& op : {layout_.activate, layout_.deactivate}) {
        const bool activate = op == layout_.activate;
        auto reg = tree_.register_exec(
            layout_.root + "/*/" + layout_.operations + "/" + op,
            [this, activate](const tree::ExecContext& ctx) { return on_exec(ctx, activate); });
        if (!reg) return reg.error();
    }
    (void)tree_.subscribe([this](const tree::Change& c) { on_change(c); });
    if (auto r = set_properties(config_.properties); !r) return r.error();
    restore_policies();
    return {};
}

void Device::restore_policies() {
    // Policies persisted before a restart come back from the tree (State, Owner, Results, Holds)
    // and active ones are armed again; nothing is re-run (docs/mgmtpolicy-mo.md, Restart).
    ++engine_depth_;
    const auto step = engine_.load_existing(clock_.now());
    --engine_depth_;
    for (const auto& event : step.events) {
        if (const auto* rejected = std::get_if<policy::PolicyRejected>(&event))
            unrestored_.insert(rejected->policy);
    }
    auto root = tree::NodeUri::parse(layout_.root);
    if (root) {
        for (const auto& name : tree_.children(*root)) {
            const std::string uri = policy::join_uri(layout_.root, name);
            make_operations_dynamic(uri); // state dirs written before Operations was made dynamic
            if (engine_.find(uri) != nullptr) ever_installed_.insert(uri);
        }
    }
    sink_("policies_restored", {{"count", engine_.size()}, {"skipped", unrestored_.size()}});
    handle(step);
}

// --- tree changes and the policy lifecycle -------------------------------------------------------

void Device::on_change(const tree::Change& change) {
    if (engine_depth_ > 0) return; // the engine's own writes and actions: it follows them itself
    const std::string uri = change.uri.str();
    if (change.kind == tree::ChangeKind::Deleted) unrestored_.erase(uri);
    for (const auto& q : quiet_) {
        if (uri == q || uri.starts_with(q + "/")) return;
    }
    ++engine_depth_;
    const auto step = engine_.on_tree_changed(uri, clock_.now());
    --engine_depth_;
    handle(step);
}

std::vector<std::string> Device::uninstalled_policies() const {
    std::vector<std::string> out;
    auto root = tree::NodeUri::parse(layout_.root);
    if (!root) return out;
    for (const auto& name : tree_.children(*root)) {
        const std::string uri = policy::join_uri(layout_.root, name);
        if (engine_.find(uri) == nullptr && !unrestored_.contains(uri)) out.push_back(uri);
    }
    return out;
}

base::ServerId Device::owner_of_principal(const tree::Principal& who) const {
    if (const auto* id = who.server_id()) return *id;
    return base::ServerId{config_.account.server_id};
}

void Device::make_operations_dynamic(const std::string& policy_uri) {
    // The DDF marks <x>/Operations Permanent, and nodes the device creates take that scope; but
    // Operations belongs to this dynamic policy instance, so a Delete of <x> must take it along.
    const auto ops = policy::join_uri(policy_uri, layout_.operations);
    for (const auto& uri :
         {ops, policy::join_uri(ops, layout_.activate), policy::join_uri(ops, layout_.deactivate)}) {
        const auto parsed = tree::NodeUri::parse(uri);
        if (parsed && tree_.exists(*parsed)) (void)tree_.set_scope(*parsed, tree::Scope::Dynamic);
    }
}

base::StatusCode Device::install(const std::string& policy_uri, const base::ServerId& owner) {
    // The Exec targets are the device's: created with the policy when the server did not send them.
    for (const auto& op : {layout_.activate, layout_.deactivate}) {
        const auto ops = policy::join_uri(policy_uri, layout_.operations);
        const auto uri = policy::join_uri(ops, op);
        if (!host_.get(uri)) (void)host_.set_internal(uri, policy::NodeValue{"", policy::NodeFormat::Node});
    }
    make_operations_dynamic(policy_uri);
    ++engine_depth_;
    const auto step = engine_.download(policy_uri, owner, clock_.now());
    --engine_depth_;
    handle(step);
    if (base::is_success(step.status)) ever_installed_.insert(policy_uri);
    return step.status;
}

StatusCode Device::may_write(const tree::NodeUri& target, const tree::Principal& who) {
    const auto* server = who.server_id();
    if (server == nullptr) return StatusCode::Ok; // the device itself
    const std::string uri = target.str();
    const std::string& root = layout_.root;
    std::vector<std::string> touched; // the policies the write would change
    if (uri.starts_with(root + "/")) {
        const std::string_view rest = std::string_view(uri).substr(root.size() + 1);
        touched.push_back(policy::join_uri(root, std::string(rest.substr(0, rest.find('/')))));
    } else if (uri == root || root.starts_with(uri + "/")) {
        if (const auto parsed = tree::NodeUri::parse(root)) {
            for (const auto& name : tree_.children(*parsed))
                touched.push_back(policy::join_uri(root, name));
        }
    }
    for (const auto& p : touched) {
        if (engine_.find(p) != nullptr && !engine_.may_manage(p, *server)) {
            exercised("MgmtPolicyMO-ATHOR-1",
                      "server " + server->value() + " may not change " + p + ", which another server owns");
            return StatusCode::PermissionDenied;
        }
    }
    // The Replace of Version makes an update take effect: an update the policy cannot take is
    // refused at that command (the old version stays in force and in the tree).
    if (touched.size() == 1 && uri == policy::join_uri(touched.front(), layout_.version)) {
        const auto step = engine_.check_update(touched.front());
        handle(step);
        return step.status;
    }
    return StatusCode::Ok;
}

StatusCode Device::before_commit(const tree::Principal& who) {
    for (const auto& uri : uninstalled_policies()) {
        const StatusCode st = install(uri, owner_of_principal(who));
        if (!base::is_success(st)) {
            after_rollback();
            return st;
        }
        quiet_.insert(uri); // its subtree's Adds are the download itself, not changes to follow
    }
    return StatusCode::Ok;
}

void Device::after_rollback() {
    quiet_.clear();
    ++engine_depth_;
    const auto step = engine_.on_tree_changed(layout_.root, clock_.now());
    --engine_depth_;
    handle(step);
}

void Device::finish_batch() {
    quiet_.clear();
    for (const auto& uri : uninstalled_policies()) {
        const StatusCode st = install(uri, base::ServerId{config_.account.server_id});
        if (base::is_success(st)) continue;
        // Refused: the partial policy is taken out again, as a refused download (the Add rolled back).
        (void)host_.remove_internal(uri);
        sink_("policy_removed_invalid", {{"policy", uri}, {"code", base::to_int(st)}});
    }
}

StatusCode Device::on_exec(const tree::ExecContext& ctx, bool activate) {
    const std::string target = ctx.uri.str();
    const base::ServerId server = owner_of_principal(ctx.principal);
    const auto policy_uri = ctx.uri.parent().parent().str();
    if (engine_.find(policy_uri) == nullptr) {
        const StatusCode st = install(policy_uri, server);
        if (!base::is_success(st)) return st;
    }
    if (!activate && faults_.ignore_deactivate) {
        sink_("fault_applied", {{"fault", "ignore_deactivate"}, {"target", target}});
        return StatusCode::Ok;
    }
    std::optional<std::string> correlator;
    if (!ctx.request.correlator.empty()) correlator = ctx.request.correlator;
    ++engine_depth_;
    const auto step = engine_.exec(target, server, correlator, clock_.now());
    --engine_depth_;
    handle(step);
    if (step.status == StatusCode::PermissionDenied) exercised("MgmtPolicyMO-ATHOR-1", step.reason);
    return step.status;
}

void Device::on_time() {
    ++engine_depth_;
    const auto step = engine_.on_timer(clock_.now());
    --engine_depth_;
    handle(step);
}

// --- commands -----------------------------------------------------------------------------------

session::CommandOutcome Device::apply_local(const syncml::Command& command, const tree::Principal& who) {
    return handler_.execute(command, who);
}

void Device::command_executed(const syncml::Command& command, const tree::Principal& who,
                              const session::CommandOutcome& out) {
    quiet_.clear();
    boost::json::object f{{"cmd", syncml::command_name(command)}, {"code", base::to_int(out.code)}};
    if (const auto* id = who.server_id()) f["server_id"] = id->value();
    sink_("command_executed", std::move(f));
    if (out.code == StatusCode::PermissionDenied)
        exercised("MgmtPolicyMO-ATHOR-1", "a command was refused with 425");
}

// --- alerts and faults ----------------------------------------------------------------------------

std::vector<policy::QueuedAlert> Device::alerts_to_send() const {
    if (faults_.never_alert) return {};
    const auto pending = outbox_->pending();
    return {pending.begin(), pending.end()};
}

session::GenericAlert Device::to_session_alert(const policy::QueuedAlert& q) const {
    policy::GenericAlert a = q.alert;
    if (faults_.wrong_result_code) {
        // Success reported as failure and failure as success.
        a.payload.result = policy::is_success(a.payload.result) ? policy::ResultCode::ClientError
                                                                : policy::ResultCode::Successful;
        a.data = policy::encode_payload(a.payload);
    }
    session::GenericAlert out;
    out.correlator = a.correlator;
    session::GenericAlertItem item;
    item.source = a.source;
    item.type = a.type;
    item.format = a.format;
    if (!a.mark.empty()) item.mark = a.mark;
    item.data = a.data;
    out.items.push_back(std::move(item));
    return out;
}

void Device::alert_answered(policy::AlertId id, StatusCode code) {
    sink_("alert_answered", {{"alert", id.value()}, {"code", base::to_int(code)}});
    if (code != StatusCode::Ok && code != StatusCode::Accepted) return;
    if (auto r = outbox_->ack(id); !r) sink_("device_fault", {{"detail", r.error().detail}});
}

void Device::set_faults(const Faults& faults) {
    faults_ = faults;
    host_.set_action_acl(faults.skip_acl ? ActionAcl::Skip : ActionAcl::Enforce);
    sink_("faults_set", {{"ignore_deactivate", faults.ignore_deactivate},
                         {"never_alert", faults.never_alert},
                         {"wrong_result_code", faults.wrong_result_code},
                         {"skip_acl", faults.skip_acl}});
}

void Device::exercised(std::string_view label, std::string detail) {
    sink_("requirement_exercised", {{"label", label}, {"detail", std::move(detail)}});
}

} // namespace omadm::client
