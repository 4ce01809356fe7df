#pragma once
// Deliberate deviations of the policy engine from docs/mgmtpolicy-mo.md, for testing a harness
// against a faulty device (reference-client/README.md, Faults). All off by default; a deviation that
// changed what the engine did is reported as a DeviationApplied event.

namespace omadm::policy {

struct Deviations {
    bool ignore_expression = false;       ///< Conditions/Expression ignored: every simple condition ANDed
    bool not_as_identity = false;         ///< `not` in an expression leaves its operand as it is
    bool boundary_off_by_one = false;     ///< `le` evaluated as `lt`, `ge` as `gt`
    bool lexical_int_compare = false;     ///< int nodes compared as text ("9" > "10")
    bool keep_removed_armed = false;      ///< a removed active policy keeps watching and running its actions
    bool keep_old_conditions = false;     ///< an update takes effect but the old conditions stay evaluated
    bool reverse_action_order = false;    ///< actions run in descending Order
    bool atomic_without_rollback = false; ///< an Atomic compound action runs as a Sequence, kept as done
    bool success_on_failure = false;      ///< a failed run is reported with result 1200
    bool drop_correlator = false;         ///< alerts never carry the activating Exec's Correlator
    bool accept_invalid_policy = false;   ///< an invalid expression or unknown operator is installed
    bool stale_results = false;           ///< Results is not written after a run
    bool wrong_alert_source = false;      ///< the alert's Source is the MO root, not the policy
};

} // namespace omadm::policy
