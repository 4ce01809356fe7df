#include "omadm/auth/credentials.hpp"
#include "omadm/auth/package0.hpp"
#include "omadm/base/error_category.hpp"

#include <string_view>

namespace omadm::auth {
namespace {

std::string_view describe(AuthErrc e) noexcept {
    switch (e) {
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

constinit const base::EnumCategory<AuthErrc> auth_errors("omadm.auth", describe);

std::string_view describe(Package0Errc e) noexcept {
    switch (e) {
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

constinit const base::EnumCategory<Package0Errc> package0_errors("omadm.package0", describe);

} // namespace

const std::error_category& auth_category() noexcept {
    return auth_errors;
}

std::error_code make_error_code(AuthErrc e) noexcept {
    return auth_errors.code(e);
}

const std::error_category& package0_category() noexcept {
    return package0_errors;
}

std::error_code make_error_code(Package0Errc e) noexcept {
    return package0_errors.code(e);
}

} // namespace omadm::auth
