#pragma once
// The Generic Alert (Alert 1226, OMA-TS-DM_Protocol-V1_2_1 §8.7) as one typed value: the device's
// policy engine produces it, its outbox persists it, and the client session engine sends it.

#include <optional>
#include <string>
#include <vector>

namespace omadm::syncml {

/// One Generic Alert item.
struct GenericAlertItem {
    std::optional<std::string> source; ///< Item/Source/LocURI, e.g. ./MgmtPolicy/p1
    std::optional<std::string> target;
    std::string type;                ///< Meta Type (a URN)
    std::string format = "chr";      ///< Meta Format
    std::optional<std::string> mark; ///< Meta Mark
    std::string data;
    bool operator==(const GenericAlertItem&) const = default;
};

/// A Generic Alert: an optional Correlator (echoing the Exec it answers) and one or more items.
struct GenericAlert {
    std::optional<std::string> correlator;
    std::vector<GenericAlertItem> items;
    bool operator==(const GenericAlert&) const = default;
};

} // namespace omadm::syncml
