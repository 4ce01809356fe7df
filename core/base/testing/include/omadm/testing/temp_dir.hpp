#pragma once
// A scratch directory for one test: unique per process and per test, so tests that CTest runs
// in parallel processes never share files.

#include <filesystem>

namespace omadm::testing {

/// Returns <gtest TempDir>/omadm-<pid>-<Suite>.<Test>, created empty on first use in a test.
[[nodiscard]] std::filesystem::path test_temp_dir();

} // namespace omadm::testing
