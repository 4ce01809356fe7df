// XML -> Message: the document and the header. The document is parsed by pugixml, checked for
// forbidden constructs and depth, then walked element by element into the typed model
// (commands in xml_decode_commands.cpp, items and meta in xml_decode_items.cpp). Children may
// come in any order (deployed clients break the DTD order); unknown, duplicated and missing
// elements are typed errors that name the element path and the line:column.
#include "omadm/base/xml_escape.hpp"
#include "xml_decoder.hpp"

#include <algorithm>
#include <vector>

namespace omadm::syncml::detail {

using base::Error;
using base::Result;
using pugi::xml_node;

std::string_view local_name(xml_node n) {
    const std::string_view name = n.name();
    const auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

namespace {

/// "Name" or "Name[i]" when the element has siblings of the same name.
std::string path_segment(xml_node n) {
    std::string segment(local_name(n));
    std::size_t index = 0;
    std::size_t total = 0;
    for (auto s = n.parent().first_child(); s; s = s.next_sibling()) {
        if (s.type() == pugi::node_element && local_name(s) == local_name(n)) {
            ++total;
            if (s == n) index = total;
        }
    }
    if (total > 1) segment += '[' + std::to_string(index) + ']';
    return segment;
}

} // namespace

std::string element_path(xml_node n) {
    std::vector<std::string> segments;
    for (; n && n.type() == pugi::node_element; n = n.parent()) {
        segments.push_back(path_segment(n));
    }
    std::string path;
    for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
        path += '/';
        path += *it;
    }
    return path;
}

Error Decoder::error(CodecErrc code, xml_node at, std::string_view what, std::string_view child) const {
    std::string path = element_path(at);
    if (!child.empty()) {
        path += '/';
        path += child;
    }
    return codec_error(code, std::string(what) + " at " + path + " (" +
                                 line_column(source_, at.offset_debug()) + ")");
}

Error Decoder::missing(xml_node parent, std::string_view child) const {
    return error(CodecErrc::missing_element, parent, "missing " + std::string(child), child);
}

Error Decoder::duplicate(xml_node n) const {
    return error(CodecErrc::unexpected_element, n, "duplicate element");
}

Error Decoder::unexpected(xml_node n) const {
    return error(CodecErrc::unexpected_element, n, "unexpected element");
}

/// One SyncHdr child. `seen` has a bit per mandatory child: VerDTD 1, VerProto 2, SessionID 4,
/// MsgID 8, Target 16, Source 32.
Result<void> Decoder::sync_hdr_field(xml_node c, std::string_view name, SyncHdr& h, unsigned& seen) {
    const unsigned bit = name == "VerDTD"      ? 1U
                         : name == "VerProto"  ? 2U
                         : name == "SessionID" ? 4U
                         : name == "MsgID"     ? 8U
                         : name == "Target"    ? 16U
                         : name == "Source"    ? 32U
                                               : 0U;
    if (bit != 0U && (seen & bit) != 0U) return duplicate(c);
    seen |= bit;
    if (bit == 1U || bit == 2U || bit == 4U) {
        auto t = token(c);
        if (!t) return t.error();
        if (bit == 1U)
            h.ver_dtd = std::move(*t);
        else if (bit == 2U)
            h.ver_proto = std::move(*t);
        else
            h.session_id = base::SessionId{std::move(*t)};
    } else if (bit == 8U) {
        auto v = id<MsgId>(c);
        if (!v) return v.error();
        h.msg_id = *v;
    } else if (bit == 16U || bit == 32U) {
        auto loc = location(c);
        if (!loc) return loc.error();
        (bit == 16U ? h.target : h.source) = std::move(*loc);
    } else if (name == "RespURI") {
        if (h.resp_uri) return duplicate(c);
        auto t = token(c);
        if (!t) return t.error();
        h.resp_uri = std::move(*t);
    } else if (name == "NoResp") {
        if (h.no_resp) return duplicate(c);
        h.no_resp = true;
    } else if (name == "Cred") {
        if (h.cred) return duplicate(c);
        auto v = cred(c);
        if (!v) return v.error();
        h.cred = std::move(*v);
    } else if (name == "Meta") {
        if (h.meta) return duplicate(c);
        auto m = meta(c);
        if (!m) return m.error();
        h.meta = std::move(*m);
    } else {
        return unexpected(c);
    }
    return {};
}

Result<SyncHdr> Decoder::sync_hdr(xml_node n) {
    SyncHdr h;
    unsigned seen = 0;
    auto r = for_each_element(
        n, [&](xml_node c, std::string_view name) { return sync_hdr_field(c, name, h, seen); });
    if (!r) return r.error();
    constexpr const char* kMandatory[] = {"VerDTD", "VerProto", "SessionID", "MsgID", "Target", "Source"};
    for (unsigned i = 0; i < 6; ++i) {
        if ((seen & (1U << i)) == 0U) return missing(n, kMandatory[i]);
    }
    return h;
}

Result<void> Decoder::body(xml_node n, Message& msg) {
    msg.final = false;
    return for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        if (name == "Final") {
            if (msg.final) return duplicate(c);
            msg.final = true;
            return {};
        }
        auto cmd = command(c);
        if (!cmd) return cmd.error();
        msg.body.push_back(std::move(*cmd));
        return {};
    });
}

Result<Message> Decoder::message(xml_node root) {
    Message msg;
    bool has_hdr = false;
    bool has_body = false;
    auto r = for_each_element(root, [&](xml_node c, std::string_view name) -> Result<void> {
        if (name == "SyncHdr") {
            if (has_hdr) return duplicate(c);
            auto h = sync_hdr(c);
            if (!h) return h.error();
            msg.hdr = std::move(*h);
            has_hdr = true;
            return {};
        }
        if (name == "SyncBody") {
            if (has_body) return duplicate(c);
            has_body = true;
            return body(c, msg);
        }
        return unexpected(c);
    });
    if (!r) return r.error();
    if (!has_hdr) return missing(root, "SyncHdr");
    if (!has_body) return missing(root, "SyncBody");
    msg.tolerated = std::move(tolerated_);
    return msg;
}

namespace {

/// One root element, no DOCTYPE (or only an external identifier, on the WBXML path), no stray text.
Result<void> check_prolog(const pugi::xml_document& doc, DoctypePolicy doctype) {
    std::size_t roots = 0;
    for (auto c = doc.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_doctype) {
            const std::string_view value = c.value();
            if (doctype == DoctypePolicy::Forbid || value.find('[') != std::string_view::npos) {
                return codec_error(CodecErrc::forbidden_construct, "DOCTYPE is not accepted");
            }
        } else if (c.type() == pugi::node_element) {
            ++roots;
        } else if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
            return codec_error(CodecErrc::not_well_formed, "text outside the root element");
        }
    }
    if (roots != 1) {
        return codec_error(CodecErrc::not_well_formed, "expected exactly one root element");
    }
    return {};
}

/// Nesting within the limit, walked without recursion so that any depth is safe.
Result<void> check_depth(const pugi::xml_document& doc, std::string_view source, const Limits& limits) {
    xml_node n = doc.document_element();
    const xml_node top = n;
    std::size_t depth = 1;
    while (n) {
        if (depth > limits.max_depth) {
            return codec_error(CodecErrc::too_deep,
                               "nesting deeper than " + std::to_string(limits.max_depth) + " at " +
                                   element_path(n) + " (" + line_column(source, n.offset_debug()) + ")");
        }
        if (n.first_child()) {
            n = n.first_child();
            ++depth;
            continue;
        }
        while (n != top && !n.next_sibling()) {
            n = n.parent();
            --depth;
        }
        n = n == top ? xml_node{} : n.next_sibling();
    }
    return {};
}

bool equals_ignore_case(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        const auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
        return lower(x) == lower(y);
    });
}

Result<void> check_input(std::string_view bytes, const Limits& limits) {
    if (bytes.size() > limits.max_message_bytes) {
        return codec_error(CodecErrc::too_large, std::to_string(bytes.size()) + " bytes, limit " +
                                                     std::to_string(limits.max_message_bytes));
    }
    if (const auto nul = bytes.find('\0'); nul != std::string_view::npos) {
        return codec_error(CodecErrc::not_well_formed,
                           "NUL character at " + line_column(bytes, static_cast<std::ptrdiff_t>(nul)));
    }
    if (const auto ref = base::find_unrepresentable_char_reference(bytes)) {
        return codec_error(CodecErrc::not_well_formed,
                           "reference to NUL or to no character at " +
                               line_column(bytes, static_cast<std::ptrdiff_t>(*ref)));
    }
    return {};
}

} // namespace

Result<Message> decode_xml_document(std::string_view bytes, const Limits& limits, DoctypePolicy doctype) {
    if (auto r = check_input(bytes, limits); !r) return r.error();
    pugi::xml_document doc;
    const auto parsed = doc.load_buffer(bytes.data(), bytes.size(), kParseFlags, pugi::encoding_utf8);
    if (!parsed) {
        return codec_error(CodecErrc::not_well_formed, std::string(parsed.description()) + " at " +
                                                           line_column(bytes, parsed.offset) + " (offset " +
                                                           std::to_string(parsed.offset) + ")");
    }
    if (auto r = check_prolog(doc, doctype); !r) return r.error();
    if (auto r = check_depth(doc, bytes, limits); !r) return r.error();
    const auto root = doc.document_element();
    if (local_name(root) != "SyncML" ||
        !equals_ignore_case(root.attribute("xmlns").value(), kNamespaceSyncml12)) {
        return codec_error(CodecErrc::wrong_root, "root <" + std::string(root.name()).substr(0, 64) +
                                                      "> is not <SyncML xmlns=\"SYNCML:SYNCML1.2\">");
    }
    return Decoder(bytes, limits).message(root);
}

} // namespace omadm::syncml::detail

namespace omadm::syncml {

base::Result<Message> decode_xml(std::string_view bytes, const Limits& limits) {
    return detail::decode_xml_document(bytes, limits, detail::DoctypePolicy::Forbid);
}

} // namespace omadm::syncml
