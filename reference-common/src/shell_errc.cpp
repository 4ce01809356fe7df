#include "omadm/shell/shell_errc.hpp"

#include <string>

namespace omadm::shell {
namespace {

class ShellCategory final : public std::error_category {
public:
    [[nodiscard]] const char* name() const noexcept override { return "omadm.shell"; }
    [[nodiscard]] std::string message(int ev) const override {
        switch (static_cast<ShellErrc>(ev)) {
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
};

} // namespace

const std::error_category& shell_category() noexcept {
    static const ShellCategory category;
    return category;
}

std::error_code make_error_code(ShellErrc e) noexcept {
    return {static_cast<int>(e), shell_category()};
}

} // namespace omadm::shell
