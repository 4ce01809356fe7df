#include "omadm/policy/generic_alert.hpp"

#include "omadm/base/xml_escape.hpp"

#include <string>
#include <utility>

namespace omadm::policy {

std::string_view alert_event_name(AlertEvent e) noexcept {
    switch (e) {
    case AlertEvent::ActionResult:
        return "ActionResult";
    case AlertEvent::LoopDetected:
        return "LoopDetected";
    }
    return "ActionResult";
}

std::string encode_payload(const AlertPayload& payload) {
    std::string out;
    base::append_xml_element(out, "ResultCode", std::to_string(to_int(payload.result)));
    base::append_xml_element(out, "PolicyID", payload.policy_id);
    base::append_xml_element(out, "Version", payload.version);
    base::append_xml_element(out, "Detail", payload.detail);
    return out;
}

syncml::GenericAlert make_alert(std::string_view type_prefix, AlertEvent event, std::string source,
                                const AlertPayload& payload, std::optional<std::string> correlator) {
    syncml::GenericAlertItem item;
    item.source = std::move(source);
    item.type = std::string(type_prefix) + std::string(alert_event_name(event));
    item.format = "xml";
    item.mark = event == AlertEvent::LoopDetected ? "critical"
                : is_success(payload.result)      ? "informational"
                                                  : "warning";
    item.data = encode_payload(payload);
    syncml::GenericAlert a;
    a.correlator = std::move(correlator);
    a.items.push_back(std::move(item));
    return a;
}

} // namespace omadm::policy
