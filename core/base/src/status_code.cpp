#include "omadm/base/status_code.hpp"

namespace omadm::base {

std::string_view status_name(StatusCode c) noexcept {
    switch (to_int(c)) {
    case 101:
        return "In progress";
    case 200:
        return "OK";
    case 201:
        return "Item added";
    case 202:
        return "Accepted for processing";
    case 203:
        return "Non-authoritative response";
    case 204:
        return "No content";
    case 205:
        return "Reset content";
    case 206:
        return "Partial content";
    case 212:
        return "Authentication accepted";
    case 213:
        return "Chunked item accepted and buffered";
    case 214:
        return "Operation cancelled";
    case 215:
        return "Not executed";
    case 216:
        return "Atomic roll back OK";
    case 217:
        return "OK with inherited ACL";
    case 300:
        return "Multiple choices";
    case 304:
        return "Not modified";
    case 400:
        return "Bad request";
    case 401:
        return "Invalid credentials";
    case 402:
        return "Payment required";
    case 403:
        return "Forbidden";
    case 404:
        return "Not found";
    case 405:
        return "Command not allowed";
    case 406:
        return "Optional feature not supported";
    case 407:
        return "Missing credentials";
    case 408:
        return "Request timeout";
    case 409:
        return "Conflict";
    case 410:
        return "Gone";
    case 411:
        return "Size required";
    case 412:
        return "Incomplete command";
    case 413:
        return "Request entity too large";
    case 414:
        return "URI too long";
    case 415:
        return "Unsupported media type or format";
    case 416:
        return "Requested size too big";
    case 417:
        return "Retry later";
    case 418:
        return "Already exists";
    case 420:
        return "Device full";
    case 424:
        return "Size mismatch";
    case 425:
        return "Permission denied";
    case 500:
        return "Command failed";
    case 501:
        return "Command not implemented";
    case 503:
        return "Service unavailable";
    case 505:
        return "DTD version not supported";
    case 506:
        return "Processing error";
    case 507:
        return "Atomic failed";
    case 510:
        return "Data store failure";
    case 511:
        return "Server failure";
    case 513:
        return "Protocol version not supported";
    case 514:
        return "Operation cancelled";
    case 516:
        return "Atomic roll back failed";
    case 517:
        return "Atomic response too large to fit";
    default:
        return "Unknown";
    }
}

} // namespace omadm::base
