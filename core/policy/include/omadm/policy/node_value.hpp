#pragma once
// A node's value as the policy engine sees it: the data and the DM Format that types it.

#include "omadm/tree/format.hpp"

#include <string>

namespace omadm::policy {

struct NodeValue {
    std::string data;
    tree::Format format = tree::Format::Chr;
    bool operator==(const NodeValue&) const = default;
};

} // namespace omadm::policy
