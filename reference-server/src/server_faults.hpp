#pragma once
// Deliberately faulty modes of the reference server (reference-server/README.md, Faults), for
// proving that the suite catches a non-conforming server: each is a boolean, set by PUT /v1/faults
// or --faults, and read where the server builds commands and answers. Each time one changes what
// the server does, the server publishes fault_applied {fault, target}.

#include "omadm/base/result.hpp"
#include "omadm/shell/event_bus.hpp"

#include <boost/json/object.hpp>
#include <span>
#include <string_view>

namespace omadm::server {

struct ServerFaults {
    bool wrong_operator = false;          // download/update: a condition's Operator is another one
    bool wrong_action_target = false;     // download/update: an action's Target names another node
    bool download_without_atomic = false; // download: loose Adds instead of one Atomic
    bool exec_wrong_node = false;         // activate/deactivate: Exec on the other Operations node
    bool drop_correlator = false;         // activate/deactivate: Exec without its Correlator
    bool never_ack_alert = false;         // a Generic Alert gets no Status
    bool wrong_alert_ack = false;         // a Generic Alert gets Status 500
    bool no_cred = false;                 // the server never presents its own credentials
    bool update_only_version = false;     // update: only Version is replaced
    bool query_wrong_node = false;        // query: Gets of <policy>/Result instead of <policy>/Results
    bool ignore_auth_type = false;        // the device's credentials are taken in whatever scheme
    bool reuse_cmd_ids = false;           // a message's second command repeats the CmdID of the first
    bool wrong_ver_proto = false;         // answers DM/1.2 to a DM/1.3 device and DM/1.3 to DM/1.2
    bool wbxml_version_mismatch = false;  // WBXML answers in another WBXML version than the request
    bool bad_server_hmac = false;         // the x-syncml-hmac of its messages carries a wrong MAC
    bool basic_challenge = false;         // the device is challenged for Basic whatever its account's scheme
    bool bad_pkg0_digest = false;         // Package 0 goes out with a wrong digest
    bool replay_server_cred = false;      // the device's NextNonce is ignored: the old server Cred again
    bool operator==(const ServerFaults&) const = default;
};

struct FaultName {
    std::string_view name;
    bool ServerFaults::*member;
};
/// Every fault, by its name in the control API.
[[nodiscard]] std::span<const FaultName> server_fault_names() noexcept;

/// {"<name>": bool, ...} for every fault.
[[nodiscard]] boost::json::object faults_json(const ServerFaults& faults);
/// `current` with the members of `body` applied. Error (its detail for a 400) when a name is no
/// fault or a value no boolean: then nothing is applied.
[[nodiscard]] base::Result<ServerFaults> apply_faults(ServerFaults current, const boost::json::object& body);
/// The faults of a comma-separated list (--faults a,b), each set; error naming an unknown one.
[[nodiscard]] base::Result<ServerFaults> parse_fault_list(std::string_view list);

/// Publishes fault_applied {fault, target}: the fault changed what the server did to `target`.
void report_fault(shell::EventBus& events, std::string_view session, std::string_view fault,
                  std::string_view target);

} // namespace omadm::server
