#pragma once
// TNDS (Tree and Description Serialisation, OMA-TS-DM_TNDS-V1_2 §5, §6): MgmtTree documents in the
// syncml:dmddf1.2 namespace, as carried by ?list=TNDS results and TNDS Add/Replace.

#include "omadm/base/result.hpp"
#include "omadm/tree/format.hpp"
#include "omadm/tree/tnds_fields.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omadm::tree {

inline constexpr std::string_view kTndsXmlMime = "application/vnd.syncml.dmtnds+xml";
inline constexpr std::string_view kTndsNamespace = "syncml:dmddf1.2";

struct TndsNode {
    std::string name;                ///< NodeName
    std::optional<std::string> path; ///< Path: parent, relative to the command target
    std::optional<std::string> acl;
    std::optional<Format> format;
    std::optional<std::string> type; ///< MIME (leaf) or DDFName (interior)
    std::optional<std::string> title;
    std::optional<std::string> tstamp;
    std::optional<std::string> ver_no;
    std::optional<std::string> value; ///< leaf value; absent for interior nodes
    std::vector<TndsNode> children;

    /// Interior if Format is node, or if it has children and no Format.
    [[nodiscard]] bool is_interior() const noexcept;
    friend bool operator==(const TndsNode&, const TndsNode&) = default;
};

struct TndsDocument {
    std::string ver_dtd = "1.2";
    std::optional<std::string> man;
    std::optional<std::string> mod;
    std::vector<TndsNode> nodes;
    friend bool operator==(const TndsDocument&, const TndsDocument&) = default;
};

struct TndsLimits {
    std::size_t max_depth = 64;     ///< Node nesting
    std::size_t max_nodes = 100000; ///< Node elements in total
};

/// Parses a MgmtTree document. Errc::MalformedXml, Errc::InvalidTnds, Errc::UnknownFormat,
/// Errc::LimitExceeded. DFProperties are ignored; unknown RTProperties children are rejected.
[[nodiscard]] base::Result<TndsDocument> decode_tnds(std::string_view text, const TndsLimits& limits = {});
/// Serialises deterministically (fixed element order, no XML declaration), writing only the
/// RTProperties and Value that fields selects.
[[nodiscard]] std::string encode_tnds(const TndsDocument& doc, TndsFields fields = TndsFields::all());

} // namespace omadm::tree
