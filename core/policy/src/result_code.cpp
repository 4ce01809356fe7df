#include "omadm/policy/result_code.hpp"

namespace omadm::policy {

std::string_view result_name(ResultCode c) noexcept {
    switch (c) {
    case ResultCode::Successful:
        return "Successful";
    case ResultCode::ClientError:
        return "Client error";
    case ResultCode::ActionFailed:
        return "Action failed";
    case ResultCode::AtomicRolledBack:
        return "Atomic action rolled back";
    case ResultCode::PermissionDenied:
        return "Permission denied";
    case ResultCode::TargetNotFound:
        return "Target not found";
    case ResultCode::LoopDetected:
        return "Loop detected";
    case ResultCode::NotImplemented:
        return "Not implemented";
    case ResultCode::DeviceError:
        return "Device error";
    }
    return "Unknown";
}

ResultCode result_for_status(base::StatusCode status) noexcept {
    using base::StatusCode;
    if (base::is_success(status)) return ResultCode::Successful;
    switch (status) {
    case StatusCode::PermissionDenied:
    case StatusCode::Forbidden:
        return ResultCode::PermissionDenied;
    case StatusCode::NotFound:
        return ResultCode::TargetNotFound;
    case StatusCode::CommandNotImplemented:
    case StatusCode::OptionalFeatureNotSupported:
        return ResultCode::NotImplemented;
    case StatusCode::AtomicRollbackFailed:
        return ResultCode::DeviceError;
    default:
        return ResultCode::ActionFailed;
    }
}

} // namespace omadm::policy
