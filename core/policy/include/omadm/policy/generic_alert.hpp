#pragma once
// The Generic Alert (1226) a device sends about a policy (MgmtPolicyMO-Device-01, DMS-02), as a
// typed value; the session layer turns it into the Alert command of PROTOCOL.md 3.2.

#include "omadm/policy/result_code.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace omadm::policy {

/// The <Event> part of the alert Type urn:oma:at:mgmtpolicy:1.0:<Event>.
enum class AlertEvent {
    ActionResult, ///< a policy fired and its compound action finished
    LoopDetected, ///< a cascade of policy actions was stopped
};
[[nodiscard]] std::string_view alert_event_name(AlertEvent e) noexcept;

/// The alert's Data: <ResultCode>1200</ResultCode><PolicyID>..</PolicyID><Version>..</Version>
/// <Detail>..</Detail> (Format xml, text escaped).
struct AlertPayload {
    ResultCode result = ResultCode::Successful;
    std::string policy_id;
    std::string version;
    std::string detail;
    bool operator==(const AlertPayload&) const = default;
};
[[nodiscard]] std::string encode_payload(const AlertPayload& payload);

struct GenericAlert {
    std::string source; ///< the policy's URI
    std::string type;   ///< urn:oma:at:mgmtpolicy:1.0:<Event>
    std::string format = "xml";
    std::string mark; ///< informational on success, warning on failure, critical for a loop
    std::string data; ///< encode_payload(payload)
    AlertPayload payload;
    std::optional<std::string> correlator; ///< echoed from the Exec that armed the policy
    bool operator==(const GenericAlert&) const = default;
};

[[nodiscard]] GenericAlert make_alert(std::string_view type_prefix, AlertEvent event, std::string source,
                                      AlertPayload payload, std::optional<std::string> correlator);

} // namespace omadm::policy
