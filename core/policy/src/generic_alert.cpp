#include "omadm/policy/generic_alert.hpp"

#include <string>
#include <utility>

namespace omadm::policy {
namespace {

void append_escaped(std::string& out, std::string_view text) {
    for (const char c : text) {
        switch (c) {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
}

void element(std::string& out, std::string_view name, std::string_view text) {
    out += '<';
    out += name;
    out += '>';
    append_escaped(out, text);
    out += "</";
    out += name;
    out += '>';
}

} // namespace

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
    element(out, "ResultCode", std::to_string(to_int(payload.result)));
    element(out, "PolicyID", payload.policy_id);
    element(out, "Version", payload.version);
    element(out, "Detail", payload.detail);
    return out;
}

GenericAlert make_alert(std::string_view type_prefix, AlertEvent event, std::string source,
                        AlertPayload payload, std::optional<std::string> correlator) {
    GenericAlert a;
    a.source = std::move(source);
    a.type = std::string(type_prefix) + std::string(alert_event_name(event));
    a.mark = event == AlertEvent::LoopDetected ? "critical"
             : is_success(payload.result)      ? "informational"
                                               : "warning";
    a.data = encode_payload(payload);
    a.payload = std::move(payload);
    a.correlator = std::move(correlator);
    return a;
}

} // namespace omadm::policy
