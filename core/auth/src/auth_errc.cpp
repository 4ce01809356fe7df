#include "omadm/auth/credentials.hpp"
#include "omadm/auth/package0.hpp"

#include <string>

namespace omadm::auth {
namespace {

class AuthCategory final : public std::error_category {
public:
    [[nodiscard]] const char* name() const noexcept override { return "omadm.auth"; }
    [[nodiscard]] std::string message(int ev) const override {
        switch (static_cast<AuthErrc>(ev)) {
        case AuthErrc::ok:
            return "success";
        case AuthErrc::bad_base64:
            return "invalid base64";
        case AuthErrc::bad_hmac_header:
            return "malformed x-syncml-hmac header";
        case AuthErrc::unsupported_algorithm:
            return "unsupported x-syncml-hmac algorithm";
        case AuthErrc::bad_basic_credential:
            return "malformed basic credential";
        }
        return "unknown auth error";
    }
};

class Package0Category final : public std::error_category {
public:
    [[nodiscard]] const char* name() const noexcept override { return "omadm.package0"; }
    [[nodiscard]] std::string message(int ev) const override {
        switch (static_cast<Package0Errc>(ev)) {
        case Package0Errc::ok:
            return "success";
        case Package0Errc::too_short:
            return "package 0 truncated";
        case Package0Errc::bad_version:
            return "package 0 version does not fit in 10 bits";
        case Package0Errc::server_id_too_long:
            return "package 0 server id longer than 255 bytes";
        case Package0Errc::bad_session_id:
            return "package 0 session id 0";
        case Package0Errc::bad_field:
            return "package 0 header field out of range";
        }
        return "unknown package 0 error";
    }
};

} // namespace

const std::error_category& auth_category() noexcept {
    static const AuthCategory category;
    return category;
}

std::error_code make_error_code(AuthErrc e) noexcept {
    return {static_cast<int>(e), auth_category()};
}

const std::error_category& package0_category() noexcept {
    static const Package0Category category;
    return category;
}

std::error_code make_error_code(Package0Errc e) noexcept {
    return {static_cast<int>(e), package0_category()};
}

} // namespace omadm::auth
