#include "omadm/shell/mo_profile.hpp"

#include "omadm/shell/shell_errc.hpp"
#include "omadm/tree/ddf.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <fstream>
#include <set>
#include <sstream>

namespace omadm::shell {
namespace {

namespace json = boost::json;

base::Error bad(const std::filesystem::path& file, std::string_view field, std::string_view why) {
    return base::make_error(ShellErrc::bad_config, "--mo-profile " + file.string() + ": " +
                                                       std::string(field) + ": " + std::string(why));
}

base::Result<std::string> text_of(const json::value& v, const std::filesystem::path& file,
                                  std::string_view field) {
    if (!v.is_string() || v.as_string().empty()) return bad(file, field, "must be a non-empty string");
    return std::string(v.as_string());
}

base::Result<void> read_nodes(const json::value& v, const std::filesystem::path& file,
                              policy::PolicyLayout& out) {
    if (!v.is_object()) return bad(file, "nodes", "must be an object of logical key to node name");
    const auto& nodes = v.as_object();
    for (const auto& entry : nodes) {
        const std::string_view key = entry.key();
        const auto& value = entry.value();
        const auto* field = policy::field_named(policy::layout_fields(), key);
        if (field == nullptr) return bad(file, "nodes." + std::string(key), "unknown logical key");
        // The Exec targets may sit directly under the policy: `operations` alone may be empty.
        const bool may_be_empty = key == "operations" && value.is_string() && value.as_string().empty();
        auto name = may_be_empty ? base::Result<std::string>(std::string())
                                 : text_of(value, file, "nodes." + std::string(key));
        if (!name) return name.error();
        if (!name->empty() && !tree::is_valid_node_name(*name))
            return bad(file, "nodes." + std::string(key), "is not a node name");
        out.*(field->member) = std::move(*name);
    }
    for (const auto& field : policy::layout_fields()) {
        if (!nodes.contains(field.key)) return bad(file, "nodes." + std::string(field.key), "is missing");
    }
    return {};
}

base::Result<void> read_system_properties(const json::value& v, const std::filesystem::path& file,
                                          policy::SystemPropertiesLayout& out) {
    if (!v.is_object())
        return bad(file, "system_properties", "must be an object with `root` and a node name per property");
    const auto& props = v.as_object();
    const auto fields = policy::system_property_fields();
    for (const auto& entry : props) {
        const std::string field_name = "system_properties." + std::string(entry.key());
        auto name = text_of(entry.value(), file, field_name);
        if (!name) return name.error();
        if (entry.key() == "root") {
            if (name->rfind("./", 0) != 0 || name->back() == '/')
                return bad(file, field_name, "must be an absolute node URI such as ./DevDetail/Ext/SysProps");
            out.root = std::move(*name);
            continue;
        }
        const auto* field = policy::field_named(fields, entry.key());
        if (field == nullptr) return bad(file, field_name, "unknown system property");
        if (name->find('/') != std::string::npos) return bad(file, field_name, "is not a node name");
        out.*(field->member) = std::move(*name);
    }
    if (!props.contains("root")) return bad(file, "system_properties.root", "is missing");
    for (const auto& field : fields) {
        if (!props.contains(field.key))
            return bad(file, "system_properties." + std::string(field.key), "is missing");
    }
    return {};
}

base::Result<void> read_values(const json::value& v, const std::filesystem::path& file,
                               policy::ValueEncodings& out) {
    if (!v.is_object()) return bad(file, "values", "must be an object of logical key to value spellings");
    for (const auto& entry : v.as_object()) {
        const std::string where = "values." + std::string(entry.key());
        const auto* field = policy::field_named(policy::value_encoding_fields(), entry.key());
        if (field == nullptr)
            return bad(file, where,
                       "not an enumerated leaf (state, condition_operator, "
                       "action_mode, trigger_mode)");
        if (!entry.value().is_object())
            return bad(file, where, "must be an object of reference spelling to device spelling");
        auto& encoding = out.*(field->member);
        std::set<std::string, std::less<>> spellings;
        for (const auto& pair : entry.value().as_object()) {
            const std::string key = where + "." + std::string(pair.key());
            if (!field->is_reference_value(pair.key()))
                return bad(file, key, "is no value of the reference MO");
            auto spelling = text_of(pair.value(), file, key);
            if (!spelling) return spelling.error();
            if (!spellings.insert(*spelling).second)
                return bad(file, key, "'" + *spelling + "' spells two values");
            encoding.pairs.emplace_back(std::string(pair.key()), std::move(*spelling));
        }
    }
    return {};
}

void collect_names(const tree::DdfNode& node, std::set<std::string, std::less<>>& names) {
    if (!node.name.empty()) names.insert(node.name);
    for (const auto& child : node.children)
        collect_names(child, names);
}

base::Result<void> check_against_ddf(const MoProfile& p, const tree::DdfSchema& schema,
                                     const std::filesystem::path& file) {
    // The MO is the DDF's node typed with its identifier; the profile's root says where the device
    // keeps an instance of it, which may differ from the DDF's <Path> (OMA-TS-DM_TND-V1_2_1 §7: an
    // MO's root is placed by the device and known by its Type).
    const auto root = std::find_if(schema.roots.begin(), schema.roots.end(), [&](const tree::DdfRoot& r) {
        return r.node.ddf_name == p.layout.mo_type;
    });
    if (root == schema.roots.end())
        return bad(file, "mo_type", p.ddf.string() + " declares no MO root typed '" + p.layout.mo_type + "'");
    std::set<std::string, std::less<>> names;
    collect_names(root->node, names);
    for (const auto& field : policy::layout_fields()) {
        const auto& name = p.layout.*(field.member);
        if (!name.empty() && !names.contains(name)) {
            return bad(file, "nodes." + std::string(field.key),
                       "'" + p.layout.*(field.member) + "' is no node of " + p.ddf.string());
        }
    }
    const auto props = std::find_if(schema.roots.begin(), schema.roots.end(),
                                    [&](const tree::DdfRoot& r) { return r.mount().str() == p.props.root; });
    if (props == schema.roots.end()) {
        return bad(file, "system_properties.root", p.ddf.string() + " mounts no node at " + p.props.root);
    }
    for (const auto& field : policy::system_property_fields()) {
        const auto& name = p.props.*(field.member);
        const auto& children = props->node.children;
        if (std::none_of(children.begin(), children.end(), [&](const auto& c) { return c.name == name; })) {
            return bad(file, "system_properties." + std::string(field.key),
                       "'" + name + "' is no child of " + p.props.root + " in " + p.ddf.string());
        }
    }
    return {};
}

} // namespace

base::Result<tree::DdfSchema> load_ddf_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return base::make_error(ShellErrc::bad_config, file.string() + ": cannot read the file");
    std::ostringstream text;
    text << in.rdbuf();
    auto schema = tree::load_ddf(text.str());
    if (!schema) return base::make_error(ShellErrc::bad_config, file.string() + ": " + schema.error().detail);
    return schema;
}

base::Result<MoProfile> parse_mo_profile(std::string_view json_text, const std::filesystem::path& file) {
    boost::system::error_code ec;
    auto doc = json::parse(json_text, ec);
    if (ec) return bad(file, "(document)", "not JSON: " + ec.message());
    if (!doc.is_object()) return bad(file, "(document)", "must be a JSON object");
    MoProfile p;
    bool have_ddf = false;
    bool have_nodes = false;
    for (const auto& [key, value] : doc.as_object()) {
        if (key == "description") continue;
        if (key == "nodes") {
            if (auto r = read_nodes(value, file, p.layout); !r) return r.error();
            have_nodes = true;
            continue;
        }
        if (key == "system_properties") {
            if (auto r = read_system_properties(value, file, p.props); !r) return r.error();
            continue;
        }
        if (key == "values") {
            if (auto r = read_values(value, file, p.layout.values); !r) return r.error();
            continue;
        }
        auto text = text_of(value, file, key);
        if (!text) return text.error();
        if (key == "name") {
            p.name = std::move(*text);
        } else if (key == "root") {
            auto root = tree::NodeUri::parse(*text);
            if (!text->starts_with("./") || !root)
                return bad(file, key, "must be an absolute node URI such as ./MgmtPolicy");
            p.layout.root = std::move(*root);
        } else if (key == "mo_type") {
            p.layout.mo_type = std::move(*text);
        } else if (key == "alert_type_prefix") {
            p.layout.alert_type_prefix = std::move(*text);
        } else if (key == "binding_placeholder") {
            p.layout.binding_placeholder = std::move(*text);
        } else if (key == "ddf") {
            p.ddf = file.parent_path() / *text;
            have_ddf = true;
        } else {
            return bad(file, key, "unknown field");
        }
    }
    if (p.name.empty()) return bad(file, "name", "is missing");
    if (!have_ddf) return bad(file, "ddf", "is missing");
    if (!have_nodes) return bad(file, "nodes", "is missing");
    return p;
}

base::Result<MoProfile> load_mo_profile(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in) return bad(file, "(document)", "cannot read the file");
    std::ostringstream text;
    text << in.rdbuf();
    auto profile = parse_mo_profile(text.str(), file);
    if (!profile) return profile.error();
    auto schema = load_ddf_file(profile->ddf);
    if (!schema) return bad(file, "ddf", schema.error().detail);
    if (auto r = check_against_ddf(*profile, *schema, file); !r) return r.error();
    profile->schema = std::move(*schema);
    return profile;
}

} // namespace omadm::shell
