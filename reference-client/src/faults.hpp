#pragma once
// The deliberately faulty modes of the reference device (reference-client/README.md, Faults), set
// through PUT /v1/faults: each is a boolean, named as in the README.

#include "omadm/agent/agent.hpp"

#include <boost/json/object.hpp>
#include <span>
#include <string_view>

namespace omadm::client {

/// Deliberately faulty behaviour, for testing the harness (reference-client/README.md).
struct Faults {
    bool ignore_deactivate = false;             ///< Exec Deactivate answers 200 but the policy stays active
    bool never_alert = false;                   ///< no Generic Alert is ever sent
    bool wrong_result_code = false;             ///< alerts carry a wrong result code
    bool skip_acl = false;                      ///< policy actions ignore ACLs
    bool ignore_activate = false;               ///< Exec Activate answers 200 but the policy stays inactive
    bool accept_unauthenticated_server = false; ///< the server's credentials are not verified
    bool drop_undelivered_alert = false;        ///< an alert whose delivery session failed is dropped
    bool answer_weaker_challenge = false;       ///< a Chal for a weaker scheme than the account's is answered
    bool accept_bad_pkg0_digest = false;        ///< a Package 0 whose digest does not verify starts a session
    bool static_server_nonce = false;           ///< the nonce issued to the server never changes
    bool status_out_of_range = false;           ///< the Status of a server command carries code 999
    bool repeat_cmd_id = false;           ///< the last command of a message repeats the first one's CmdID
    bool forget_policies_on_stop = false; ///< a stop deletes every policy: none survives a restart
    bool speaks_dm12 = false;             ///< every message says VerProto DM/1.2
    bool no_mgmt_policy_mo = false;       ///< the MgmtPolicy MO's root is removed: the device has no MO
    bool ignore_policy_owner = false;     ///< another server may replace and delete a policy's nodes
    bool alerts_to_first_server = false;  ///< every alert goes to the first account's server
    policy::Deviations policy{};          ///< the engine's deviations, named as their members
};

/// One fault: its name in PUT /v1/faults and in the faults_set event, and its flag.
struct FaultField {
    std::string_view name;
    bool& (*field)(Faults&);
};

/// Every fault the device knows, in a stable order.
[[nodiscard]] std::span<const FaultField> fault_fields() noexcept;
/// The value of every fault, by name.
[[nodiscard]] boost::json::object faults_json(const Faults& faults);
/// The agent's deviations for these faults.
[[nodiscard]] agent::Deviations agent_deviations(const Faults& faults);

} // namespace omadm::client
