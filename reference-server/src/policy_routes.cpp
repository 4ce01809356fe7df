// The policy flows of the control API (docs/control-api.md): each request becomes one batch of DM
// commands queued for the device's next session; the batch's flow names the requirement it
// exercises when it completes.
#include "control_routes.hpp"
#include "desc_json.hpp"
#include "omadm/policy/spec_writer.hpp"
#include "route_support.hpp"

#include <algorithm>
#include <array>
#include <boost/json/serialize.hpp>

namespace omadm::server {
namespace {

/// The MgmtPolicy MO's layout on the device: the reference MO's, or --mo-profile's.
const policy::PolicyLayout& layout(const ControlDeps& d) {
    return d.config.layout;
}

/// A policy id that names the policy's node under the MO root: a node name, without '?' or '#'.
bool valid_pid(std::string_view pid) {
    return tree::is_valid_node_name(pid) && pid.find_first_of("?#") == std::string_view::npos;
}

/// The node of the policy `pid` (valid_pid).
tree::NodeUri policy_node(const ControlDeps& d, std::string_view pid) {
    return layout(d).root / pid;
}

const char* op_name(policy::WriteOp op) {
    switch (op) {
    case policy::WriteOp::Add:
        return "Add";
    case policy::WriteOp::Replace:
        return "Replace";
    case policy::WriteOp::Delete:
        return "Delete";
    }
    return "Add";
}

json::value write_command(const policy::NodeWrite& w) {
    json::object c{{"cmd", op_name(w.op)}, {"target", w.uri.str()}};
    if (w.op == policy::WriteOp::Delete) return c;
    c["format"] = tree::format_name(w.format);
    if (!w.type.empty()) c["type"] = w.type;
    if (!w.interior()) c["data"] = w.value;
    return c;
}

json::value container(std::string_view name, const std::vector<policy::NodeWrite>& writes) {
    json::array members;
    for (const auto& w : writes)
        members.push_back(write_command(w));
    return json::object{{"cmd", name}, {"commands", std::move(members)}};
}

/// The operator a wrong_operator server writes instead of `op`.
std::string other_operator(std::string_view op) {
    constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kSwapped{
        {{"lt", "gt"}, {"gt", "lt"}, {"le", "ge"}, {"ge", "le"}, {"eq", "ne"}, {"ne", "eq"}}};
    for (const auto& [from, to] : kSwapped) {
        if (from == op) return std::string(to);
    }
    return "gt";
}

bool is_leaf_of(const policy::NodeWrite& w, const std::string& subtree, const std::string& leaf) {
    const auto& names = w.uri.segments();
    return !names.empty() && names.back() == leaf &&
           std::find(names.begin(), names.end() - 1, subtree) != names.end() - 1;
}

/// The writes of a download or update as wrong_operator and wrong_action_target change them
/// (reference-server/README.md, Faults); every change is reported.
void apply_write_faults(const ControlDeps& d, std::vector<policy::NodeWrite>& writes) {
    const auto& l = layout(d);
    for (auto& w : writes) {
        if (w.op == policy::WriteOp::Delete) continue;
        if (d.faults.wrong_operator && is_leaf_of(w, l.conditions, l.condition_operator)) {
            w.value = other_operator(w.value);
            report_fault(d.events, "", "wrong_operator", w.uri.str());
        } else if (d.faults.wrong_action_target && is_leaf_of(w, l.actions, l.action_target)) {
            w.value += "_wrong";
            report_fault(d.events, "", "wrong_action_target", w.uri.str());
        }
    }
}

std::vector<json::value> loose(const std::vector<policy::NodeWrite>& writes) {
    std::vector<json::value> commands;
    commands.reserve(writes.size());
    for (const auto& w : writes)
        commands.push_back(write_command(w));
    return commands;
}

Response queue(const ControlDeps& d, const Request& req, const std::string& device, std::string_view flow,
               const std::string& uri, const std::vector<json::value>& commands) {
    std::vector<std::string> serialized;
    for (const auto& c : commands)
        serialized.push_back(json::serialize(c));
    auto id = d.store.queue_batch(device, serialized, flow);
    if (!id) return store_error(req, id.error());
    d.events.publish("batch_queued", "",
                     {{"device", device},
                      {"batch", std::to_string(*id)},
                      {"commands", serialized.size()},
                      {"flow", flow},
                      {"uri", uri}});
    return shell::json_response(req, http::status::ok,
                                json::object{{"batch", std::to_string(*id)}, {"uri", uri}, {"flow", flow}});
}

/// The PolicySpec of a description body, or the 400 answer naming the field path.
std::variant<policy::PolicySpec, Response> parse_spec(const ControlDeps& d, const Request& req) {
    auto body = shell::parse_json_body(req);
    if (!body) return bad_request(req, "bad_json", body.error().detail);
    auto spec =
        policy::spec_from_description(to_desc_value(*body), policy::DescriptionOptions{layout(d), {}, {}});
    if (!spec) return bad_request(req, "bad_description", spec.error().detail);
    return std::move(*spec);
}

Response post_policy(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    auto parsed = parse_spec(d, req);
    if (auto* error = std::get_if<Response>(&parsed)) return std::move(*error);
    const auto& spec = std::get<policy::PolicySpec>(parsed);
    if (!valid_pid(spec.id)) {
        return bad_request(req, "bad_description", "id: not a node name");
    }
    const auto node = policy_node(d, spec.id);
    const auto uri = node.str();
    auto writes = policy::download_writes(spec, layout(d), node);
    apply_write_faults(d, writes);
    if (d.faults.download_without_atomic) {
        report_fault(d.events, "", "download_without_atomic", uri);
        return queue(d, req, m.param("dev"), "download", uri, loose(writes));
    }
    return queue(d, req, m.param("dev"), "download", uri, {container("Atomic", writes)});
}

Response put_policy(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    auto parsed = parse_spec(d, req);
    if (auto* error = std::get_if<Response>(&parsed)) return std::move(*error);
    const auto& spec = std::get<policy::PolicySpec>(parsed);
    if (spec.id != m.param("pid")) {
        return bad_request(req, "bad_description",
                           "id: '" + spec.id + "' does not match the path's '" + m.param("pid") + "'");
    }
    const auto node = policy_node(d, spec.id);
    const auto uri = node.str();
    auto writes = policy::update_writes(spec, layout(d), node);
    apply_write_faults(d, writes);
    if (d.faults.update_only_version) {
        const auto version = node / layout(d).version;
        std::erase_if(writes, [&](const policy::NodeWrite& w) { return w.uri != version; });
        report_fault(d.events, "", "update_only_version", uri);
    }
    return queue(d, req, m.param("dev"), "update", uri, {container("Sequence", writes)});
}

Response exec_operation(const ControlDeps& d, const Request& req, const RouteMatch& m, bool activate) {
    std::optional<std::string> correlator;
    if (!req.body().empty()) {
        auto body = shell::parse_json_object(req);
        if (!body) return bad_request(req, "bad_json", body.error().detail);
        const auto* c = body->if_contains("correlator");
        if (c != nullptr && !c->is_string() && !c->is_null()) {
            return bad_request(req, "bad_field", "correlator: must be a string");
        }
        correlator = shell::json_string(*body, "correlator");
    }
    const auto node = policy_node(d, m.param("pid"));
    const auto uri = node.str();
    bool activate_node = activate;
    if (d.faults.exec_wrong_node) activate_node = !activate_node;
    const auto target = layout(d).operation_uri(node, activate_node).str();
    if (activate_node != activate) report_fault(d.events, "", "exec_wrong_node", target);
    json::object exec{{"cmd", "Exec"}, {"target", target}};
    if (correlator && d.faults.drop_correlator) {
        report_fault(d.events, "", "drop_correlator", target);
    } else if (correlator) {
        exec["correlator"] = *correlator;
    }
    return queue(d, req, m.param("dev"), activate ? "activate" : "deactivate", uri, {exec});
}

Response delete_policy(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    const auto uri = policy_node(d, m.param("pid")).str();
    return queue(d, req, m.param("dev"), "delete", uri, {json::object{{"cmd", "Delete"}, {"target", uri}}});
}

Response query_policy(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    const auto node = policy_node(d, m.param("pid"));
    const auto uri = node.str();
    auto results = node / layout(d).results;
    if (d.faults.query_wrong_node) {
        results = node / "Result";
        report_fault(d.events, "", "query_wrong_node", results.str());
    }
    std::vector<json::value> gets;
    if (auto list = m.query_value("list")) {
        if (*list != "Struct" && *list != "StructData" && *list != "TNDS") {
            return bad_request(req, "bad_query", "list: must be Struct, StructData or TNDS");
        }
        gets.push_back(json::object{{"cmd", "Get"}, {"target", results.str() + "?list=" + *list}});
    } else {
        for (const auto& leaf : {layout(d).last_status, layout(d).last_run, layout(d).run_count}) {
            gets.push_back(json::object{{"cmd", "Get"}, {"target", (results / leaf).str()}});
        }
    }
    return queue(d, req, m.param("dev"), "query", uri, gets);
}

Response get_policy_alerts(const ControlDeps& d, const Request& req, const RouteMatch& m) {
    auto alerts = d.store.alerts(m.param("dev"));
    if (!alerts) return store_error(req, alerts.error());
    const auto uri = policy_node(d, m.param("pid")).str();
    json::array out;
    for (const auto& a : *alerts) {
        if (a.source && (*a.source == uri || a.source->starts_with(uri + "/"))) out.push_back(alert_json(a));
    }
    return shell::json_response(req, http::status::ok, out);
}

/// Wraps a handler so that a path {pid} that is no node name is answered 400.
template <class F> auto with_pid(std::shared_ptr<ControlDeps> d, F f) {
    return [d = std::move(d), f](const Request& req, const RouteMatch& m) -> Response {
        if (!valid_pid(m.param("pid"))) {
            return bad_request(req, "bad_path", "pid: not a node name");
        }
        return f(*d, req, m);
    };
}

} // namespace

void add_policy_routes(shell::Router& router, ControlDeps deps) {
    auto d = std::make_shared<ControlDeps>(std::move(deps));
    router.route(http::verb::post, "/v1/devices/{dev}/policies", with_deps(d, post_policy));
    router.route(http::verb::put, "/v1/devices/{dev}/policies/{pid}", with_pid(d, put_policy));
    router.route(http::verb::delete_, "/v1/devices/{dev}/policies/{pid}", with_pid(d, delete_policy));
    router.route(http::verb::post, "/v1/devices/{dev}/policies/{pid}/activate",
                 with_pid(d, [](const ControlDeps& dd, const Request& req, const RouteMatch& m) {
                     return exec_operation(dd, req, m, true);
                 }));
    router.route(http::verb::post, "/v1/devices/{dev}/policies/{pid}/deactivate",
                 with_pid(d, [](const ControlDeps& dd, const Request& req, const RouteMatch& m) {
                     return exec_operation(dd, req, m, false);
                 }));
    router.route(http::verb::post, "/v1/devices/{dev}/policies/{pid}/query", with_pid(d, query_policy));
    router.route(http::verb::get, "/v1/devices/{dev}/policies/{pid}/alerts", with_pid(d, get_policy_alerts));
}

} // namespace omadm::server
