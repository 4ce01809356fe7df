#include "device_bootstrap.hpp"

#include "omadm/shell/mo_profile.hpp"
#include "omadm/shell/shell_errc.hpp"

#include <algorithm>

namespace omadm::client {
namespace {

using tree::Format;

struct Writer {
    tree::Tree& tree;
    base::TimePoint now;
    std::optional<std::string> error;

    /// Creates or replaces a node as the bootstrap principal; keep_existing leaves a present value.
    void put(const std::string& uri, std::optional<Format> format, std::string value,
             bool keep_existing = false, std::string type = {}) {
        if (error) return;
        auto parsed = tree::NodeUri::parse(uri);
        if (!parsed) {
            error = uri + ": " + parsed.error().detail;
            return;
        }
        const tree::Node* existing = tree.find(*parsed);
        if (existing != nullptr && (keep_existing || format == Format::Node)) return;
        if (existing != nullptr && existing->value == value) return;
        const tree::NodeContent content{format, std::move(type), std::move(value)};
        const auto who = tree::Principal::bootstrap();
        const auto st = existing != nullptr ? tree.replace(who, *parsed, content, now)
                                            : tree.add(who, *parsed, content, now);
        if (!base::is_success(st)) error = uri + " refused with status " + std::to_string(base::to_int(st));
    }
    /// The interior nodes above `uri` that are missing.
    void parents(const std::string& uri) {
        for (auto slash = uri.find('/', 2); slash != std::string::npos; slash = uri.find('/', slash + 1))
            put(uri.substr(0, slash), Format::Node, {});
    }
    void acl(const std::string& uri, const std::string& text) {
        if (error) return;
        auto target = tree::TargetUri::parse(uri + "?prop=ACL");
        if (!target) {
            error = uri + ": bad URI";
            return;
        }
        const auto st =
            tree.replace(tree::Principal::bootstrap(), *target, tree::NodeContent{{}, {}, text}, now);
        if (!base::is_success(st))
            error = uri + "?prop=ACL refused with status " + std::to_string(base::to_int(st));
    }
};

std::string aauth_type(session::AuthScheme s) {
    switch (s) {
    case session::AuthScheme::Basic:
        return "BASIC";
    case session::AuthScheme::Md5:
        return "DIGEST";
    case session::AuthScheme::Hmac:
        return "HMAC";
    case session::AuthScheme::None:
        return "";
    }
    return "";
}

void write_devinfo_detail(Writer& w, const ClientFileConfig& c) {
    w.put("./DevInfo", Format::Node, {}, false, "urn:oma:mo:oma-dm-devinfo:1.0");
    w.put("./DevInfo/DevId", std::nullopt, c.dev_info.dev_id);
    w.put("./DevInfo/Man", std::nullopt, c.dev_info.man);
    w.put("./DevInfo/Mod", std::nullopt, c.dev_info.mod);
    w.put("./DevInfo/DmV", std::nullopt, c.dev_info.dmv);
    w.put("./DevInfo/Lang", std::nullopt, c.dev_info.lang);
    w.acl("./DevInfo", "Get=*");
    const auto& d = c.dev_detail;
    w.put("./DevDetail", Format::Node, {}, false, "urn:oma:mo:oma-dm-devdetail:1.0");
    w.put("./DevDetail/URI", Format::Node, {});
    w.put("./DevDetail/URI/MaxDepth", std::nullopt, std::to_string(d.uri.max_depth));
    w.put("./DevDetail/URI/MaxTotLen", std::nullopt, std::to_string(d.uri.max_tot_len));
    w.put("./DevDetail/URI/MaxSegLen", std::nullopt, std::to_string(d.uri.max_seg_len));
    w.put("./DevDetail/DevTyp", std::nullopt, d.dev_typ);
    w.put("./DevDetail/OEM", std::nullopt, d.oem);
    w.put("./DevDetail/FwV", std::nullopt, d.fwv);
    w.put("./DevDetail/SwV", std::nullopt, d.swv);
    w.put("./DevDetail/HwV", std::nullopt, d.hwv);
    w.put("./DevDetail/LrgObj", std::nullopt, d.lrg_obj ? "true" : "false");
    w.put("./DevDetail/Ext", Format::Node, {});
    w.acl("./DevDetail", "Get=*");
}

void write_credential(Writer& w, const std::string& base, const std::string& level, const std::string& type,
                      const std::string& name, const std::string& secret, const std::string& nonce) {
    w.put(base, Format::Node, {});
    w.put(base + "/AAuthLevel", std::nullopt, level);
    w.put(base + "/AAuthType", std::nullopt, type);
    w.put(base + "/AAuthName", std::nullopt, name);
    w.put(base + "/AAuthSecret", std::nullopt, secret);
    w.put(base + "/AAuthData", std::nullopt, nonce, true);
}

void write_account(Writer& w, const AccountConfig& a) {
    const std::string x = account_uri(a);
    w.put("./DMAcc", Format::Node, {}, false, "urn:oma:mo:oma-dm-dmacc:1.0");
    w.put(x, Format::Node, {});
    w.put(x + "/AppID", std::nullopt, "w7");
    w.put(x + "/ServerID", std::nullopt, a.server_id);
    w.put(x + "/Name", std::nullopt, a.server_id);
    w.put(x + "/AppAddr", Format::Node, {});
    w.put(x + "/AppAddr/1", Format::Node, {});
    w.put(x + "/AppAddr/1/Addr", std::nullopt, a.server_url);
    w.put(x + "/AppAddr/1/AddrType", std::nullopt, "URI");
    w.put(x + "/AAuthPref", std::nullopt, aauth_type(a.auth));
    w.put(x + "/AppAuth", Format::Node, {});
    write_credential(w, x + "/AppAuth/CLCRED", "CLCRED", aauth_type(a.auth), a.client_user, a.client_password,
                     a.client_nonce_b64);
    write_credential(w, x + "/AppAuth/SRVCRED", "SRVCRED", aauth_type(a.auth), a.server_user,
                     a.server_password, a.server_nonce_b64);
    // The account's server may read, change and remove its own account (OMA-TS-DM_Bootstrap-V1_2_1 §5.3).
    w.acl(x, "Get=" + a.server_id + "&Replace=" + a.server_id + "&Delete=" + a.server_id);
}

void write_policy_roots(Writer& w, const ClientFileConfig& c, const policy::PolicyLayout& layout,
                        const policy::SystemPropertiesLayout& props) {
    const std::string& srv = c.account.server_id;
    // A root under a vendor subtree (an MO profile's) gets its interior parents first.
    const std::string root = layout.root.str();
    w.parents(root);
    w.put(root, Format::Node, {}, false, layout.mo_type);
    // The account's server manages policies: it adds, reads, replaces, deletes and executes them.
    w.acl(root, "Add=" + srv + "&Delete=" + srv + "&Exec=" + srv + "&Get=" + srv + "&Replace=" + srv);
    w.parents(props.root);
    w.put(props.root, Format::Node, {});
    w.acl(props.root, "Get=*");
}

} // namespace

base::Result<std::vector<tree::DdfSchema>> load_ddf_dir(const std::filesystem::path& dir) {
    std::error_code ec;
    std::vector<std::filesystem::path> files;
    for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
        if (e.path().extension() == ".ddf") files.push_back(e.path());
    }
    if (ec) return base::make_error(shell::ShellErrc::bad_config, dir.string() + ": " + ec.message());
    std::sort(files.begin(), files.end());
    std::vector<tree::DdfSchema> out;
    for (const auto& f : files) {
        auto schema = shell::load_ddf_file(f);
        if (!schema) return schema.error();
        out.push_back(std::move(*schema));
    }
    return out;
}

std::string account_uri(const AccountConfig& account) {
    return "./DMAcc/" + account.node_name;
}
std::string client_nonce_uri(const AccountConfig& a) {
    return account_uri(a) + "/AppAuth/CLCRED/AAuthData";
}
std::string server_nonce_uri(const AccountConfig& a) {
    return account_uri(a) + "/AppAuth/SRVCRED/AAuthData";
}

tree::UriLimits uri_limits_of(const DevDetailConfig& detail) {
    return tree::UriLimits{detail.uri.max_depth, detail.uri.max_tot_len, detail.uri.max_seg_len};
}

base::Result<void> bootstrap_tree(tree::Tree& tree, const ClientFileConfig& config,
                                  const policy::PolicyLayout& layout,
                                  const policy::SystemPropertiesLayout& props, base::TimePoint now) {
    tree.begin();
    Writer w{tree, now, std::nullopt};
    write_devinfo_detail(w, config);
    for (const AccountConfig* a : config.accounts())
        write_account(w, *a);
    write_policy_roots(w, config, layout, props);
    if (w.error) {
        tree.rollback();
        return base::make_error(shell::ShellErrc::bad_config, "device tree bootstrap: " + *w.error);
    }
    if (tree.commit() != base::StatusCode::Ok) {
        return base::make_error(shell::ShellErrc::io_error,
                                "device tree bootstrap: the store refused the tree");
    }
    return {};
}

} // namespace omadm::client
