// System properties, the sessions' accounts, nonces and the JSON views of the control API.
#include "device.hpp"
#include "device_bootstrap.hpp"
#include "omadm/session/message_size.hpp"
#include "omadm/shell/shell_errc.hpp"

namespace omadm::client {

using base::StatusCode;

base::Result<void> Device::set_properties(const std::map<std::string, std::string>& values) {
    const auto fields = policy::system_property_fields();
    for (const auto& [key, value] : values) {
        if (policy::field_named(fields, key) == nullptr)
            return base::make_error(shell::ShellErrc::bad_json, "unknown property '" + key + "'");
    }
    if (values.empty()) return {};
    std::vector<agent::DeviceValue> writes;
    std::vector<std::string> keys;
    for (const auto& [key, value] : values) {
        // Battery is an int (DDF), so that conditions on it compare numerically; the others are chr.
        const auto format = key == "battery" ? tree::Format::Int : tree::Format::Chr;
        writes.push_back({props_.uri(props_.*(policy::field_named(fields, key)->member)), format, value});
        keys.push_back(key);
    }
    agent::DeviceWrite w;
    durably([&] { w = agent_.write_device_values(writes, agent::Follow::Yes, clock_.now()); });
    publish();
    if (w.code == StatusCode::DataStoreFailure) {
        return base::make_error(shell::ShellErrc::sqlite_error, "the store refused the properties");
    }
    if (!base::is_success(w.code)) {
        return base::make_error(shell::ShellErrc::bad_json, "property '" + keys[w.refused] + "' refused by " +
                                                                writes[w.refused].uri + " with status " +
                                                                std::to_string(base::to_int(w.code)));
    }
    sink_("properties_set", {{"count", values.size()}});
    return {};
}

session::ClientConfig Device::session_config(const AccountConfig& a, session::SessionTrigger trigger,
                                             base::SessionId session_id,
                                             std::string fresh_server_nonce) const {
    session::ClientConfig c;
    c.account.server_uri = a.server_url;
    c.account.server_id = base::ServerId{a.server_id};
    c.account.user = a.client_user;
    c.account.password = a.client_password;
    c.account.scheme = a.auth;
    if (const auto* n = tree_.find(*tree::NodeUri::parse(client_nonce_uri(a))))
        c.account.nonce_b64 = n->value;
    c.account.verify_server = a.verify_server;
    if (a.verify_server && faults_.accept_unauthenticated_server) {
        // The server of this session is taken as authenticated whatever credentials it presents.
        c.account.verify_server = false;
        sink_("fault_applied",
              {{"fault", "accept_unauthenticated_server"}, {"target", c.account.server_id.value()}});
    }
    if (faults_.answer_weaker_challenge) {
        c.answer_weaker_challenge = true;
        sink_("fault_applied",
              {{"fault", "answer_weaker_challenge"}, {"target", c.account.server_id.value()}});
    }
    c.account.server_user = a.server_user.empty() ? a.server_id : a.server_user; // SRVCRED name
    c.account.server_password = a.server_password;
    c.account.server_nonce_b64 = server_nonce_b64(a);
    c.account.next_server_nonce_b64 = std::move(fresh_server_nonce);
    if (faults_.static_server_nonce) {
        c.account.next_server_nonce_b64 = c.account.server_nonce_b64;
        sink_("fault_applied", {{"fault", "static_server_nonce"}, {"target", "server nonce"}});
    }
    c.dev_info.dev_id = config_.dev_info.dev_id;
    c.dev_info.man = config_.dev_info.man;
    c.dev_info.mod = config_.dev_info.mod;
    c.dev_info.dmv = config_.dev_info.dmv;
    c.dev_info.lang = config_.dev_info.lang;
    c.trigger = trigger;
    c.session_id = std::move(session_id);
    c.ver_proto = a.ver_proto;
    c.sizer = session::encoded_size(a.encoding);
    return c;
}

std::string Device::server_nonce_b64(const AccountConfig& account) const {
    const auto* n = tree_.find(*tree::NodeUri::parse(server_nonce_uri(account)));
    return n != nullptr ? n->value : std::string();
}

void Device::store_nonce(const AccountConfig& account, session::NonceRole role,
                         const std::string& nonce_b64) {
    const auto uri =
        role == session::NonceRole::ClientCredential ? client_nonce_uri(account) : server_nonce_uri(account);
    // Device bookkeeping, not a change policies follow.
    const agent::DeviceValue nonce{uri, tree::Format::Bin, nonce_b64};
    StatusCode st = StatusCode::Ok;
    durably([&] { st = agent_.write_device_values({&nonce, 1}, agent::Follow::No, clock_.now()).code; });
    if (!base::is_success(st)) sink_("device_fault", {{"detail", "cannot store the nonce in " + uri}});
}

boost::json::object Device::tree_json(const tree::NodeUri& uri) const {
    boost::json::object o{{"uri", uri.str()}};
    const tree::Node* n = tree_.find(uri);
    o["exists"] = n != nullptr;
    if (n == nullptr) return o;
    o["format"] = tree::format_name(n->format);
    o["type"] = n->type;
    o["acl"] = n->acl.format();
    if (n->is_interior()) {
        boost::json::array children;
        for (const auto& c : tree_.children(uri))
            children.push_back(boost::json::value(c));
        o["children"] = std::move(children);
    } else {
        o["value"] = n->value;
    }
    return o;
}

boost::json::array Device::policies_json() const {
    boost::json::array out;
    const auto leaf = [&](const tree::NodeUri& uri) -> boost::json::value {
        const tree::Node* n = tree_.find(uri);
        return n != nullptr ? boost::json::value(n->value) : boost::json::value(nullptr);
    };
    for (const auto& name : tree_.children(layout_.root)) {
        const auto uri = layout_.root / name;
        const auto state = agent_.engine().state(uri);
        const auto results = uri / layout_.results;
        boost::json::object p{
            {"uri", uri.str()},
            {"id", leaf(uri / layout_.policy_id)},
            {"version", leaf(uri / layout_.version)},
            {"installed", state.has_value()},
            {"state", state ? (*state == policy::PolicyState::Active ? "active" : "inactive") : "none"},
            {"results",
             {{"last_status", leaf(results / layout_.last_status)},
              {"last_run", leaf(results / layout_.last_run)},
              {"count", leaf(results / layout_.run_count)}}}};
        out.push_back(std::move(p));
    }
    return out;
}

} // namespace omadm::client
