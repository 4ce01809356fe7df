#pragma once
// Internal to core/tree/src: the frame both MgmtTree codecs (DDF and TNDS, MgmtTree DTD 1.2) read
// alike: the document, its root element, the header (VerDTD, Man, Mod) and the top-level Nodes.
// pugixml stays inside this directory.

#include "omadm/base/result.hpp"
#include "omadm/tree/errc.hpp"

#include <functional>
#include <optional>
#include <pugixml.hpp>
#include <string>
#include <string_view>

namespace omadm::tree::detail {

/// Text content of an element (PCDATA and CDATA children concatenated).
[[nodiscard]] std::string element_text(const pugi::xml_node& e);

/// The header elements of a MgmtTree document; nullopt when absent.
struct MgmtTreeHeader {
    std::optional<std::string> ver_dtd;
    std::optional<std::string> man;
    std::optional<std::string> mod;
};

/// Reads one top-level Node element of a MgmtTree.
using MgmtTreeNodeReader = std::function<base::Result<void>(const pugi::xml_node& node)>;

/// Parses `text` as a MgmtTree document: reads the header and hands each top-level Node element to
/// `on_node`, in document order. Errors: MalformedXml (pugixml's description and the byte offset);
/// `invalid` when the root is not MgmtTree or the MgmtTree holds another element; the first error
/// of on_node.
[[nodiscard]] base::Result<MgmtTreeHeader> read_mgmt_tree(std::string_view text, Errc invalid,
                                                          const MgmtTreeNodeReader& on_node);

} // namespace omadm::tree::detail
