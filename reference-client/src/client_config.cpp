#include "client_config.hpp"

#include "omadm/auth/credentials.hpp"
#include "omadm/shell/shell_errc.hpp"

#include <algorithm>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>
#include <cctype>
#include <fstream>
#include <limits>
#include <sstream>

namespace omadm::client {
namespace {

namespace json = boost::json;

/// Reads typed fields of one JSON object, remembering the first error with its dotted field path.
class FieldReader {
public:
    FieldReader(const json::object& obj, std::string source, std::string prefix)
        : obj_(obj), source_(std::move(source)), prefix_(std::move(prefix)) {}

    void text(std::string_view key, std::string& out, bool required = false) {
        const json::value* v = obj_.if_contains(key);
        if (v == nullptr || v->is_null()) {
            if (required) fail(key, "is required");
            return;
        }
        if (!v->is_string()) return fail(key, "must be a string");
        out = std::string(v->as_string());
        if (required && out.empty()) fail(key, "must not be empty");
    }
    void flag(std::string_view key, bool& out) {
        const json::value* v = obj_.if_contains(key);
        if (v == nullptr || v->is_null()) return;
        if (!v->is_bool()) return fail(key, "must be true or false");
        out = v->as_bool();
    }
    void uint(std::string_view key, std::uint32_t& out) {
        const json::value* v = obj_.if_contains(key);
        if (v == nullptr || v->is_null()) return;
        if (v->is_int64() && v->as_int64() >= 0 &&
            v->as_int64() <= std::numeric_limits<std::uint32_t>::max()) {
            out = static_cast<std::uint32_t>(v->as_int64());
            return;
        }
        if (v->is_uint64() && v->as_uint64() <= std::numeric_limits<std::uint32_t>::max()) {
            out = static_cast<std::uint32_t>(v->as_uint64());
            return;
        }
        fail(key, "must be an unsigned 32-bit integer");
    }
    /// The nested object at key, or nullptr (with an error when present but not an object).
    const json::object* object(std::string_view key) {
        const json::value* v = present(key, &json::value::is_object, "must be an object");
        return v != nullptr ? &v->as_object() : nullptr;
    }
    /// The array at key, or nullptr (with an error when present but not an array).
    const json::array* array(std::string_view key) {
        const json::value* v = present(key, &json::value::is_array, "must be an array");
        return v != nullptr ? &v->as_array() : nullptr;
    }
    void fail(std::string_view key, std::string_view why) {
        if (!error_) error_ = source_ + ": field '" + prefix_ + std::string(key) + "' " + std::string(why);
    }
    void adopt(const FieldReader& nested) {
        if (!error_ && nested.error_) error_ = nested.error_;
    }
    [[nodiscard]] const std::optional<std::string>& error() const noexcept { return error_; }
    [[nodiscard]] const std::string& source() const noexcept { return source_; }
    [[nodiscard]] const std::string& prefix() const noexcept { return prefix_; }

private:
    /// The value at key when it is there and of the kind `is` tests; nullptr, with `why` as the
    /// error when it is there but of another kind.
    const json::value* present(std::string_view key, bool (json::value::*is)() const noexcept,
                               std::string_view why) {
        const json::value* v = obj_.if_contains(key);
        if (v == nullptr || v->is_null()) return nullptr;
        if (!(v->*is)()) {
            fail(key, why);
            return nullptr;
        }
        return v;
    }

    const json::object& obj_;
    std::string source_;
    std::string prefix_;
    std::optional<std::string> error_;
};

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

void read_dev_info(FieldReader& top, ClientFileConfig& cfg) {
    top.text("device_id", cfg.dev_info.dev_id);
    if (const json::object* o = top.object("dev_info")) {
        FieldReader r(*o, top.source(), "dev_info.");
        r.text("dev_id", cfg.dev_info.dev_id);
        r.text("man", cfg.dev_info.man);
        r.text("mod", cfg.dev_info.mod);
        r.text("dmv", cfg.dev_info.dmv);
        r.text("lang", cfg.dev_info.lang);
        top.adopt(r);
    }
    if (cfg.dev_info.dev_id.empty()) top.fail("device_id", "is required (or dev_info.dev_id)");
}

void read_dev_detail(FieldReader& top, ClientFileConfig& cfg) {
    const json::object* o = top.object("dev_detail");
    if (o == nullptr) return;
    FieldReader r(*o, top.source(), "dev_detail.");
    auto& d = cfg.dev_detail;
    r.text("dev_typ", d.dev_typ);
    r.text("oem", d.oem);
    r.text("fwv", d.fwv);
    r.text("swv", d.swv);
    r.text("hwv", d.hwv);
    r.flag("lrg_obj", d.lrg_obj);
    if (const json::object* u = r.object("uri")) {
        FieldReader ur(*u, top.source(), "dev_detail.uri.");
        ur.uint("max_depth", d.uri.max_depth);
        ur.uint("max_tot_len", d.uri.max_tot_len);
        ur.uint("max_seg_len", d.uri.max_seg_len);
        r.adopt(ur);
    }
    top.adopt(r);
}

void read_account(FieldReader& r, AccountConfig& a) {
    r.text("account_name", a.node_name);
    r.text("server_id", a.server_id, true);
    r.text("server_url", a.server_url, true);
    r.text("user", a.client_user);
    r.text("password", a.client_password);
    r.text("server_password", a.server_password);
    r.text("server_user", a.server_user);
    if (a.server_user.empty()) a.server_user = a.server_id;
    r.text("client_nonce", a.client_nonce_b64);
    r.text("server_nonce", a.server_nonce_b64);
    for (const auto& [key, nonce] :
         {std::pair{"client_nonce", &a.client_nonce_b64}, std::pair{"server_nonce", &a.server_nonce_b64}}) {
        if (!nonce->empty() && !auth::base64_decode(*nonce))
            r.fail(key, "must be base64, as NextNonce travels");
    }
    std::string auth = "md5";
    r.text("auth", auth);
    if (auto s = parse_auth_name(auth)) {
        a.auth = *s;
    } else {
        r.fail("auth", "must be basic, md5, hmac or none");
    }
    // A device that authenticates itself verifies the server too, unless told otherwise.
    a.verify_server = a.auth != session::AuthScheme::None;
    r.flag("verify_server", a.verify_server);
    if (a.verify_server && a.server_password.empty()) {
        r.fail("server_password", "is required while verify_server is on (the default when auth is set)");
    }
    std::string enc = "xml";
    r.text("encoding", enc);
    if (lower(enc) == "xml") {
        a.encoding = syncml::Encoding::Xml;
    } else if (lower(enc) == "wbxml") {
        a.encoding = syncml::Encoding::Wbxml;
    } else {
        r.fail("encoding", "must be xml or wbxml");
    }
    r.text("ver_proto", a.ver_proto);
    if (a.ver_proto != syncml::kVerProtoDm12 && a.ver_proto != syncml::kVerProtoDm13) {
        r.fail("ver_proto", "must be DM/1.2 or DM/1.3");
    }
    if (a.auth != session::AuthScheme::None && a.client_user.empty())
        r.fail("user", "is required when auth is set");
    if (a.node_name.empty() || a.node_name.find('/') != std::string::npos)
        r.fail("account_name", "is not a node name");
}

/// The accounts of further DM servers (OMA-TS-DM_StdObj-V1_2_1 §5.3.1: one DMAcc <x> per server),
/// each with the fields of `account`; node names and server ids must differ from every other's.
void read_other_accounts(FieldReader& top, ClientFileConfig& cfg) {
    const json::array* list = top.array("other_accounts");
    if (list == nullptr) return;
    for (std::size_t i = 0; i < list->size(); ++i) {
        const std::string at = "other_accounts[" + std::to_string(i) + "]";
        if (!(*list)[i].is_object()) {
            top.fail(at, "must be an object");
            return;
        }
        AccountConfig a;
        a.node_name = "DMAcc" + std::to_string(i + 2);
        FieldReader r((*list)[i].as_object(), top.source(), at + ".");
        read_account(r, a);
        top.adopt(r);
        for (const AccountConfig* other : cfg.accounts()) {
            if (other->node_name == a.node_name)
                top.fail(at + ".account_name", "is the name of another account");
            if (other->server_id == a.server_id)
                top.fail(at + ".server_id", "is the server of another account");
        }
        cfg.other_accounts.push_back(std::move(a));
    }
}

void read_extras(FieldReader& top, ClientFileConfig& cfg) {
    std::string text;
    top.text("ddf_dir", text);
    if (!text.empty()) cfg.ddf_dir = std::filesystem::path(text);
    text.clear();
    top.text("start_time", text);
    if (!text.empty()) cfg.start_time = text;
    top.flag("tls_verify", cfg.tls_verify);
    text.clear();
    top.text("tls_ca", text);
    if (!text.empty()) cfg.tls_ca = std::filesystem::path(text);
    if (const json::object* p = top.object("properties")) {
        for (const auto& [key, value] : *p) {
            if (value.is_string()) {
                cfg.properties[std::string(key)] = std::string(value.as_string());
            } else if (value.is_int64() || value.is_uint64() || value.is_double()) {
                cfg.properties[std::string(key)] = json::serialize(value);
            } else {
                top.fail("properties." + std::string(key), "must be a string or a number");
            }
        }
    }
}

bool dmv_given(const json::object& top) {
    const json::value* info = top.if_contains("dev_info");
    return info != nullptr && info->is_object() && info->as_object().contains("dmv");
}

} // namespace

std::optional<session::AuthScheme> parse_auth_name(std::string_view text) {
    const std::string t = lower(text);
    if (t == "basic") return session::AuthScheme::Basic;
    if (t == "md5" || t == "digest") return session::AuthScheme::Md5;
    if (t == "hmac") return session::AuthScheme::Hmac;
    if (t == "none" || t.empty()) return session::AuthScheme::None;
    return std::nullopt;
}

base::Result<ClientFileConfig> parse_client_config(std::string_view text, std::string_view source) {
    boost::system::error_code ec;
    json::value doc = json::parse(text, ec);
    if (ec)
        return base::make_error(shell::ShellErrc::bad_config,
                                std::string(source) + ": not JSON: " + ec.message());
    if (!doc.is_object())
        return base::make_error(shell::ShellErrc::bad_config, std::string(source) + ": not a JSON object");
    ClientFileConfig cfg;
    FieldReader top(doc.as_object(), std::string(source), "");
    read_dev_info(top, cfg);
    read_dev_detail(top, cfg);
    if (const json::object* acc = top.object("account")) {
        FieldReader r(*acc, std::string(source), "account.");
        read_account(r, cfg.account);
        top.adopt(r);
    } else {
        read_account(top, cfg.account);
    }
    read_other_accounts(top, cfg);
    read_extras(top, cfg);
    if (!dmv_given(doc.as_object()))
        cfg.dev_info.dmv = cfg.account.ver_proto == syncml::kVerProtoDm13 ? "1.3" : "1.2";
    if (top.error()) return base::make_error(shell::ShellErrc::bad_config, *top.error());
    return cfg;
}

std::vector<const AccountConfig*> ClientFileConfig::accounts() const {
    std::vector<const AccountConfig*> all{&account};
    for (const auto& a : other_accounts)
        all.push_back(&a);
    return all;
}

const AccountConfig* ClientFileConfig::account_of(std::string_view server_id) const {
    for (const AccountConfig* a : accounts()) {
        if (a->server_id == server_id) return a;
    }
    return nullptr;
}

base::Result<ClientFileConfig> load_client_config(const std::filesystem::path& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return base::make_error(shell::ShellErrc::bad_config, path.string() + ": cannot be read");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_client_config(text.str(), path.string());
}

} // namespace omadm::client
