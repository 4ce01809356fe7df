#include "omadm/testing/temp_dir.hpp"

#include <gtest/gtest.h>
#include <string>
#include <unistd.h>

namespace omadm::testing {

std::filesystem::path test_temp_dir() {
    std::string name = "omadm-" + std::to_string(::getpid());
    if (const auto* info = ::testing::UnitTest::GetInstance()->current_test_info()) {
        name += '-';
        name += info->test_suite_name();
        name += '.';
        name += info->name();
    }
    for (auto& c : name) {
        if (c == '/') c = '_';
    }
    const auto dir = std::filesystem::path(::testing::TempDir()) / name;
    std::filesystem::create_directories(dir);
    return dir;
}

} // namespace omadm::testing
