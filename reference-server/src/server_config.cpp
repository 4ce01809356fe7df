#include "server_config.hpp"

#include "omadm/shell/shell_errc.hpp"

#include <boost/json/parse.hpp>
#include <fstream>
#include <sstream>

namespace omadm::server {

using shell::ShellErrc;

base::Result<ServerConfig> parse_server_config(std::string_view json_text, std::string_view origin) {
    const auto bad = [&](std::string_view field, std::string_view why) {
        return base::make_error(ShellErrc::bad_config,
                                std::string(origin) + ": " + std::string(field) + ": " + std::string(why));
    };
    boost::system::error_code ec;
    auto v = boost::json::parse(json_text, ec);
    if (ec) return bad("(document)", "not JSON: " + ec.message());
    if (!v.is_object()) return bad("(document)", "must be a JSON object");
    ServerConfig c;
    for (const auto& [key, value] : v.as_object()) {
        if (key == "server_id") {
            if (!value.is_string() || value.as_string().empty())
                return bad(key, "must be a non-empty string");
            c.server_id = std::string(value.as_string());
        } else if (key == "pkg0_version") {
            if (!value.is_int64() || value.as_int64() < 0 || value.as_int64() > 1023) {
                return bad(key, "must be an integer in 0..1023");
            }
            c.pkg0_version = static_cast<std::uint16_t>(value.as_int64());
        } else if (key == "dm_max_body_bytes") {
            if (!value.is_int64() || value.as_int64() < 1024) return bad(key, "must be an integer >= 1024");
            c.dm_max_body_bytes = static_cast<std::size_t>(value.as_int64());
        } else if (key == "session_timeout_ms") {
            if (!value.is_int64() || value.as_int64() < 100) return bad(key, "must be an integer >= 100");
            c.session_timeout = std::chrono::milliseconds(value.as_int64());
        } else if (key == "require_account") {
            if (!value.is_bool()) return bad(key, "must be true or false");
            c.require_account = value.as_bool();
        } else {
            return bad(key, "unknown field");
        }
    }
    return c;
}

base::Result<ServerConfig> load_server_config(const std::filesystem::path& path) {
    std::ifstream in(path);
    if (!in)
        return base::make_error(ShellErrc::bad_config,
                                "--config " + path.string() + ": cannot read the file");
    std::stringstream ss;
    ss << in.rdbuf();
    return parse_server_config(ss.str(), path.string());
}

} // namespace omadm::server
