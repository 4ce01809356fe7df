#pragma once
// Result codes of MgmtPolicyMO operations, reported in Results/LastStatus and in the Data of the
// Generic Alert, in the 1200/14xx/15xx style of SCOMO.

#include "omadm/base/status_code.hpp"

#include <cstdint>
#include <string_view>

namespace omadm::policy {

enum class ResultCode : std::uint16_t {
    Successful = 1200,       ///< every action succeeded
    ClientError = 1400,      ///< unspecified device-side failure
    ActionFailed = 1401,     ///< a command failed; in Sequence the rest were not executed
    AtomicRolledBack = 1402, ///< the Atomic compound action failed and was rolled back
    PermissionDenied = 1403, ///< the owning server's ACL rights do not allow an action
    TargetNotFound = 1404,   ///< an action's target (or Copy source) does not exist
    LoopDetected = 1405,     ///< the policy re-fired within one cascade or the depth bound hit
    NotImplemented = 1411,   ///< an action kind the device cannot run
    DeviceError = 1500,      ///< the device could not carry out the action (rollback failed, ...)
};

[[nodiscard]] constexpr std::uint16_t to_int(ResultCode c) noexcept {
    return static_cast<std::uint16_t>(c);
}
[[nodiscard]] constexpr bool is_success(ResultCode c) noexcept {
    return to_int(c) >= 1200 && to_int(c) < 1300;
}
[[nodiscard]] std::string_view result_name(ResultCode c) noexcept;
/// The result code of a compound action whose first failing command returned `status`.
[[nodiscard]] ResultCode result_for_status(base::StatusCode status) noexcept;

} // namespace omadm::policy
