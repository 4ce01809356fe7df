#pragma once
// The Generic Alert (1226) a device sends about a policy (MgmtPolicyMO-Device-01, DMS-02): a
// syncml::GenericAlert with one item whose Data encodes an AlertPayload.

#include "omadm/policy/result_code.hpp"
#include "omadm/syncml/generic_alert.hpp"

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

/// The alert about a policy: one item with Source the policy's URI, Type
/// urn:oma:at:mgmtpolicy:1.0:<Event>, Format xml, Mark informational on success, warning on failure,
/// critical for a loop, and Data encode_payload(payload); the Correlator of the Exec that armed it.
[[nodiscard]] syncml::GenericAlert make_alert(std::string_view type_prefix, AlertEvent event,
                                              std::string source, const AlertPayload& payload,
                                              std::optional<std::string> correlator);

} // namespace omadm::policy
