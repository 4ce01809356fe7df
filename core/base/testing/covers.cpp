#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>
#include <string>

namespace omadm::testing {

void covers(std::initializer_list<req::Requirement> requirements) {
    std::string joined;
    for (const auto& r : requirements) {
        if (!joined.empty()) joined += ' ';
        joined += r.id;
    }
    ::testing::Test::RecordProperty("requirements", joined);
}

} // namespace omadm::testing
