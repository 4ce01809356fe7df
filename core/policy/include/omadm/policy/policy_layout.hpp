#pragma once
// Every node name of the reference MgmtPolicyMO. The defaults match ddf/mgmtpolicy.ddf; a user with
// another DDF builds a PolicyLayout with its names and nothing else changes.

#include "omadm/tree/node_uri.hpp"

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace omadm::policy {

/// How a device spells the values of one enumerated leaf where they differ from the reference MO
/// (MO profiles' `values`, docs/mo-profiles.md): pairs of reference spelling and device spelling. A
/// value without a pair is spelled alike.
struct ValueEncoding {
    std::vector<std::pair<std::string, std::string>> pairs;

    /// The device's spelling of a reference value.
    [[nodiscard]] std::string encode(std::string_view reference) const;
    /// The reference spelling of a value read from the device.
    [[nodiscard]] std::string decode(std::string_view device) const;
};

/// The enumerated leaves whose values a device may spell its own way.
struct ValueEncodings {
    ValueEncoding state;              ///< 10 (inactive), 20 (active); the leaf stays an int
    ValueEncoding condition_operator; ///< eq, ne, lt, le, gt, ge, changed, ...
    ValueEncoding action_mode;        ///< Sequence, Atomic
    ValueEncoding trigger_mode;       ///< OnChange, Periodic, Both
};

/// The node names are valid node names (tree::is_valid_node_name; `operations` alone may be empty):
/// the engine appends them to node URIs with tree::NodeUri::operator/.
struct PolicyLayout {
    /// The MO's root node, under which each policy is one child.
    tree::NodeUri root = tree::NodeUri{} / "MgmtPolicy";
    std::string mo_type = "urn:oma:mo:oma-mgmtpolicy:1.0";
    std::string alert_type_prefix = "urn:oma:at:mgmtpolicy:1.0:";
    /// Text that an action's Target, Source or Data uses to stand for each bound MO's URI.
    std::string binding_placeholder = "${binding}";

    std::string policy_id = "PolicyID";
    std::string name = "Name";
    std::string version = "Version";
    std::string priority = "Priority";
    std::string state = "State";
    /// ServerID of the server that downloaded the policy; written by the device (Get only).
    std::string owner = "Owner";
    /// Truth of the compound condition at its last evaluation (edge state kept across restarts);
    /// written by the device (Get only).
    std::string holds = "Holds";

    std::string conditions = "Conditions";
    std::string simple_conditions = "Simple";
    std::string expression = "Expression";
    std::string condition_uri = "URI";
    std::string condition_operator = "Operator";
    std::string condition_value = "Value";
    std::string condition_compare = "Compare";

    std::string actions = "Actions";
    std::string simple_actions = "Simple";
    std::string action_mode = "Mode";
    std::string action_order = "Order";
    std::string action_command = "Command";
    std::string action_target = "Target";
    std::string action_source = "Source";
    std::string action_data = "Data";
    std::string action_format = "Format";
    std::string action_type = "Type";

    std::string bindings = "Bindings";
    std::string binding_uri = "URI";

    std::string trigger = "Trigger";
    std::string trigger_mode = "Mode";
    std::string trigger_period = "Period";
    std::string valid_from = "ValidFrom";
    std::string valid_until = "ValidUntil";

    /// Interior node of the Exec targets; empty: they sit directly under the policy.
    std::string operations = "Operations";
    std::string activate = "Activate";
    std::string deactivate = "Deactivate";

    std::string results = "Results";
    std::string last_status = "LastStatus";
    std::string last_run = "LastRun";
    std::string run_count = "Count";
    std::string log = "Log";
    std::string log_time = "Time";
    std::string log_status = "Status";
    std::string log_detail = "Detail";

    std::string notify = "Notify";
    std::string notify_enabled = "Enabled";

    std::string ext = "Ext";

    /// Values of enumerated leaves as the device spells them; empty: as the reference MO does.
    ValueEncodings values;

    /// Every node name above (not the root URI, MO type or placeholder), for checks against a DDF.
    [[nodiscard]] std::vector<std::string_view> node_names() const;

    /// The Exec target of the policy at `policy_uri` that activates it (or deactivates it):
    /// <policy>/<operations>/<activate>, or <policy>/<activate> when `operations` is empty.
    [[nodiscard]] tree::NodeUri operation_uri(const tree::NodeUri& policy_uri, bool activating) const;
};

/// A node name of PolicyLayout under its logical key: the member's name ("policy_id", "conditions",
/// "condition_value", ...). MO profiles (docs/mo-profiles.md) map these keys to their node names.
struct LayoutField {
    std::string_view key;
    std::string PolicyLayout::*member;
};

/// Every node name of PolicyLayout, in the order of its members.
[[nodiscard]] std::span<const LayoutField> layout_fields() noexcept;

/// One enumerated leaf of ValueEncodings under its logical key (the leaf's key in layout_fields()),
/// with the test of a reference spelling of its values.
struct ValueEncodingField {
    std::string_view key;
    ValueEncoding ValueEncodings::*member;
    bool (*is_reference_value)(std::string_view) noexcept;
};

/// Every enumerated leaf of ValueEncodings.
[[nodiscard]] std::span<const ValueEncodingField> value_encoding_fields() noexcept;

/// Where the device's system properties (MgmtPolicyMO-IOP-01) live; conditions name them by URI.
/// The defaults match ddf/mgmtpolicy.ddf; an MO profile may place them elsewhere.
struct SystemPropertiesLayout {
    std::string root = "./DevDetail/Ext/SysProps";
    std::string date_time = "DateTime";
    std::string location = "Location";
    std::string device_type = "DevType";
    std::string network_type = "NetType";
    std::string battery = "Battery";

    [[nodiscard]] std::vector<std::string_view> node_names() const;
    /// The URI text of the property `name` as a condition's URI leaf holds it (policy data).
    [[nodiscard]] std::string uri(std::string_view name) const { return root + "/" + std::string(name); }
};

/// A node name of SystemPropertiesLayout under its property's name, as the control API and MO
/// profiles spell it ("datetime", "location", "device_type", "network_type", "battery").
struct SystemPropertyField {
    std::string_view key;
    std::string SystemPropertiesLayout::*member;
};

/// Every system property, in the order of SystemPropertiesLayout's members.
[[nodiscard]] std::span<const SystemPropertyField> system_property_fields() noexcept;

/// The field of `fields` (layout_fields(), system_property_fields(), value_encoding_fields()) whose
/// key is `key`; nullptr when none is.
template <class Field>
[[nodiscard]] const Field* field_named(std::span<const Field> fields, std::string_view key) noexcept {
    for (const auto& f : fields) {
        if (f.key == key) return &f;
    }
    return nullptr;
}

} // namespace omadm::policy
