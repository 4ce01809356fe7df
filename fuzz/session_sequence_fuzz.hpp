#pragma once
// Shared by the session fuzz targets: the input is a sequence of SyncML XML messages separated by
// a line holding only "--", each decoded tolerantly as the shells would.

#include "omadm/syncml/codec.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace omadm::fuzz {

inline std::vector<std::string_view> split_messages(const std::uint8_t* data, std::size_t size) {
    std::string_view rest(reinterpret_cast<const char*>(data), size);
    std::vector<std::string_view> out;
    constexpr std::string_view kSeparator = "\n--\n";
    while (!rest.empty() && out.size() < 16) {
        const auto at = rest.find(kSeparator);
        out.push_back(rest.substr(0, at));
        if (at == std::string_view::npos) break;
        rest.remove_prefix(at + kSeparator.size());
    }
    return out;
}

} // namespace omadm::fuzz
