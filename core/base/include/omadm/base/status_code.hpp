#pragma once
// SyncML RepPro 1.2 status codes (OMA-TS-SyncML_RepPro-V1_2 §10) as used by OMA DM 1.2/1.3, plus
// 217 of DM 1.3.
// Any 16-bit value is representable: a peer may send a code we do not name.

#include <cstdint>
#include <string_view>

namespace omadm::base {

enum class StatusCode : std::uint16_t {
    InProgress = 101,
    Ok = 200,
    ItemAdded = 201,
    Accepted = 202,
    NonAuthoritative = 203,
    NoContent = 204,
    ResetContent = 205,
    PartialContent = 206,
    AuthenticationAccepted = 212,
    ChunkedItemAccepted = 213,
    OperationCancelled = 214,
    NotExecuted = 215,
    AtomicRollbackOk = 216,
    OkInheritedAcl = 217,
    MultipleChoices = 300,
    NotModified = 304,
    BadRequest = 400,
    InvalidCredentials = 401,
    PaymentRequired = 402,
    Forbidden = 403,
    NotFound = 404,
    CommandNotAllowed = 405,
    OptionalFeatureNotSupported = 406,
    MissingCredentials = 407,
    RequestTimeout = 408,
    Conflict = 409,
    Gone = 410,
    SizeRequired = 411,
    IncompleteCommand = 412,
    RequestEntityTooLarge = 413,
    UriTooLong = 414,
    UnsupportedMediaType = 415,
    RequestedSizeTooBig = 416,
    RetryLater = 417,
    AlreadyExists = 418,
    DeviceFull = 420,
    SizeMismatch = 424,
    PermissionDenied = 425,
    CommandFailed = 500,
    CommandNotImplemented = 501,
    ServiceUnavailable = 503,
    DtdVersionNotSupported = 505,
    ProcessingError = 506,
    AtomicFailed = 507,
    DataStoreFailure = 510,
    ServerFailure = 511,
    ProtocolVersionNotSupported = 513,
    OperationCancelled514 = 514,
    AtomicRollbackFailed = 516,
    AtomicResponseTooLarge = 517,
};

[[nodiscard]] constexpr std::uint16_t to_int(StatusCode c) noexcept {
    return static_cast<std::uint16_t>(c);
}
[[nodiscard]] constexpr StatusCode status_from_int(std::uint16_t v) noexcept {
    return static_cast<StatusCode>(v);
}
/// 2xx: the command was carried out (or accepted for later).
[[nodiscard]] constexpr bool is_success(StatusCode c) noexcept {
    return to_int(c) >= 200 && to_int(c) < 300;
}
/// The RepPro name of a code ("Not found"); "Unknown" for codes we do not name.
[[nodiscard]] std::string_view status_name(StatusCode c) noexcept;

} // namespace omadm::base
