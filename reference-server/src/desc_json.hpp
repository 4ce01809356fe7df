#pragma once
// A control API JSON body as the generic value tree that policy::spec_from_description reads.

#include "omadm/policy/policy_description.hpp"

#include <boost/json/value.hpp>

namespace omadm::server {

/// Objects keep their member order; unsigned integers beyond int64 become doubles.
[[nodiscard]] policy::DescValue to_desc_value(const boost::json::value& v);

} // namespace omadm::server
