#pragma once
// Internal: the tree's map key of a node, its decoded segments joined by '/' ("." for the root).
// '/' never occurs in a node name, so the key is unambiguous; descendants of a key share the prefix key +
// '/'.

#include "omadm/tree/node_uri.hpp"

#include <string>
#include <string_view>

namespace omadm::tree::detail {

[[nodiscard]] inline std::string key_of(const NodeUri& uri) {
    if (uri.is_root()) return ".";
    std::string out;
    for (const auto& s : uri.segments()) {
        if (!out.empty()) out += '/';
        out += s;
    }
    return out;
}

/// Prefix shared by the keys of all descendants of key ("" for the root).
[[nodiscard]] inline std::string descendant_prefix(std::string_view key) {
    return key == "." ? std::string() : std::string(key) + '/';
}

[[nodiscard]] inline NodeUri uri_of_key(std::string_view key) {
    std::vector<std::string> segs;
    if (key != ".") {
        std::size_t start = 0;
        while (true) {
            const std::size_t pos = key.find('/', start);
            segs.emplace_back(
                key.substr(start, pos == std::string_view::npos ? std::string_view::npos : pos - start));
            if (pos == std::string_view::npos) break;
            start = pos + 1;
        }
    }
    auto uri = NodeUri::from_segments(std::move(segs));
    return uri ? *uri : NodeUri{};
}

} // namespace omadm::tree::detail
