#include "omadm/shell/shell_errc.hpp"

#include "omadm/base/error_category.hpp"

#include <string_view>

namespace omadm::shell {
namespace {

std::string_view describe(ShellErrc e) noexcept {
    switch (e) {
    case ShellErrc::ok:
        return "ok";
    case ShellErrc::bad_option:
        return "bad command-line option";
    case ShellErrc::bad_endpoint:
        return "bad HOST:PORT endpoint";
    case ShellErrc::bad_config:
        return "bad configuration";
    case ShellErrc::io_error:
        return "I/O error";
    case ShellErrc::tls_error:
        return "TLS error";
    case ShellErrc::http_error:
        return "HTTP error";
    case ShellErrc::timeout:
        return "timeout";
    case ShellErrc::bad_json:
        return "bad JSON";
    case ShellErrc::sqlite_error:
        return "SQLite error";
    case ShellErrc::bad_command:
        return "bad DM command";
    }
    return "unknown shell error";
}

constinit const base::EnumCategory<ShellErrc> category("omadm.shell", describe);

} // namespace

const std::error_category& shell_category() noexcept {
    return category;
}

std::error_code make_error_code(ShellErrc e) noexcept {
    return category.code(e);
}

} // namespace omadm::shell
