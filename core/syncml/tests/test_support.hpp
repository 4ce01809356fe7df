#pragma once
// Helpers shared by the syncml unit tests: reading golden files and naming error codes.

#include "omadm/syncml/codec.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace omadm::syncml::test {

inline std::filesystem::path codec_case_dir(const char* kind) {
    return std::filesystem::path(OMADM_SOURCE_DIR) / "testcases" / "codec" / kind;
}

inline std::string read_file(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline std::string_view as_view(const std::string& bytes) {
    return bytes;
}

inline std::span<const std::byte> as_bytes(const std::string& bytes) {
    return std::as_bytes(std::span<const char>(bytes.data(), bytes.size()));
}

} // namespace omadm::syncml::test
