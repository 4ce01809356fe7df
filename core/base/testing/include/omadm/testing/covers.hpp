#pragma once
// Requirement traceability in GoogleTest (tools/check_traceability.py): call covers(req::X, ...) at
// the top of a test.
// The labels land in the gtest XML as the "requirements" property.

#include "omadm/base/requirements.hpp"

#include <initializer_list>

namespace omadm::testing {

void covers(std::initializer_list<req::Requirement> requirements);

template <class... R> void covers(const R&... r) {
    covers({r...});
}

} // namespace omadm::testing
