// XML -> Message. The document is parsed by pugixml, checked for forbidden constructs and depth,
// then walked element by element into the typed model. Children may come in any order (deployed
// clients break the DTD order); unknown, duplicated and missing elements are typed errors that
// name the element path and the line:column.
#include "xml_internal.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <limits>
#include <vector>

namespace omadm::syncml::detail {
namespace {

using base::Error;
using base::Result;
using pugi::xml_node;

std::string_view local_name(xml_node n) {
    const std::string_view name = n.name();
    const auto colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

std::string_view trim(std::string_view s) {
    constexpr std::string_view kWs = " \t\r\n";
    const auto first = s.find_first_not_of(kWs);
    if (first == std::string_view::npos) {
        return {};
    }
    return s.substr(first, s.find_last_not_of(kWs) - first + 1);
}

std::string element_path(xml_node n) {
    std::vector<std::string> segments;
    for (; n && n.type() == pugi::node_element; n = n.parent()) {
        std::string segment(local_name(n));
        std::size_t index = 0;
        std::size_t total = 0;
        for (auto s = n.parent().first_child(); s; s = s.next_sibling()) {
            if (s.type() == pugi::node_element && local_name(s) == local_name(n)) {
                ++total;
                if (s == n) {
                    index = total;
                }
            }
        }
        if (total > 1) {
            segment += '[';
            segment += std::to_string(index);
            segment += ']';
        }
        segments.push_back(std::move(segment));
    }
    std::string path;
    for (auto it = segments.rbegin(); it != segments.rend(); ++it) {
        path += '/';
        path += *it;
    }
    return path;
}

/// The CmdID, NoResp, Cred and Meta children most commands share. Returns true when `c` was one
/// of them (and was stored), false when the caller has to handle it.
struct Common {
    CmdId* cmd_id;
    bool* no_resp;
    std::optional<Cred>* cred;
    std::optional<Meta>* meta;
    bool has_id = false;
};

class Decoder {
public:
    Decoder(std::string_view source, const Limits& limits) : source_(source), limits_(limits) {}

    Result<Message> message(xml_node root);

private:
    Error error(CodecErrc code, xml_node at, std::string_view what, std::string_view child = {}) const {
        std::string path = element_path(at);
        if (!child.empty()) {
            path += '/';
            path += child;
        }
        return codec_error(code, std::string(what) + " at " + path + " (" +
                                     line_column(source_, at.offset_debug()) + ")");
    }
    Error missing(xml_node parent, std::string_view child) const {
        return error(CodecErrc::missing_element, parent, "missing " + std::string(child), child);
    }
    Error duplicate(xml_node n) const { return error(CodecErrc::unexpected_element, n, "duplicate element"); }
    Error unexpected(xml_node n) const { return error(CodecErrc::unexpected_element, n, "unexpected element"); }

    Result<std::string> text(xml_node n) const;
    Result<std::string> token(xml_node n) const;
    Result<std::uint64_t> number(xml_node n, std::uint64_t max) const;
    template <class Id>
    Result<Id> id(xml_node n) const;
    Result<std::string> data(xml_node n) const;

    Result<SyncHdr> sync_hdr(xml_node n);
    Result<Location> location(xml_node n) const;
    Result<Meta> meta(xml_node n) const;
    Result<Cred> cred(xml_node n) const;
    Result<Chal> chal(xml_node n) const;
    Result<Item> item(xml_node n);
    Result<void> body(xml_node n, Message& msg);
    Result<Command> command(xml_node n);
    template <class C>
    Result<C> item_command(xml_node n);
    Result<Alert> alert(xml_node n);
    Result<Exec> exec(xml_node n);
    Result<Status> status(xml_node n);
    Result<Results> results(xml_node n);
    template <class C>
    Result<C> container(xml_node n);
    Result<bool> common_field(xml_node c, std::string_view name, Common& common);

    std::string_view source_;
    const Limits& limits_;
    std::size_t items_ = 0;
    std::size_t commands_ = 0;
};

template <class F>
Result<void> for_each_element(xml_node n, F&& f) {
    for (auto c = n.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_element) {
            if (auto r = f(c, local_name(c)); !r) {
                return r.error();
            }
        }
    }
    return {};
}

Result<std::string> Decoder::text(xml_node n) const {
    std::string out;
    for (auto c = n.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) {
            out += c.value();
        } else if (c.type() == pugi::node_element) {
            return unexpected(c);
        }
    }
    return out;
}

Result<std::string> Decoder::token(xml_node n) const {
    auto t = text(n);
    if (!t) {
        return t.error();
    }
    return std::string(trim(*t));
}

Result<std::uint64_t> Decoder::number(xml_node n, std::uint64_t max) const {
    auto t = token(n);
    if (!t) {
        return t.error();
    }
    std::uint64_t value = 0;
    const char* first = t->data();
    const char* last = first + t->size();
    const auto [ptr, ec] = std::from_chars(first, last, value);
    if (t->empty() || ec != std::errc{} || ptr != last || value > max) {
        return error(CodecErrc::bad_value, n, "not a number in range: '" + t->substr(0, 32) + "'");
    }
    return value;
}

template <class Id>
Result<Id> Decoder::id(xml_node n) const {
    using V = typename Id::value_type;
    auto v = number(n, std::numeric_limits<V>::max());
    if (!v) {
        return v.error();
    }
    return Id{static_cast<V>(*v)};
}

Result<std::string> Decoder::data(xml_node n) const {
    bool has_element = false;
    for (auto c = n.first_child(); c; c = c.next_sibling()) {
        has_element = has_element || c.type() == pugi::node_element;
    }
    if (!has_element) {
        return text(n);
    }
    std::string out;
    for (auto c = n.first_child(); c; c = c.next_sibling()) {
        append_serialized(out, c);
    }
    return out;
}

Result<Location> Decoder::location(xml_node n) const {
    Location loc;
    bool has_uri = false;
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        if (name == "LocURI") {
            if (has_uri) return duplicate(c);
            auto t = token(c);
            if (!t) return t.error();
            loc.loc_uri = std::move(*t);
            has_uri = true;
        } else if (name == "LocName") {
            if (loc.loc_name) return duplicate(c);
            auto t = token(c);
            if (!t) return t.error();
            loc.loc_name = std::move(*t);
        } else {
            return unexpected(c);
        }
        return {};
    });
    if (!r) return r.error();
    if (!has_uri) return missing(n, "LocURI");
    return loc;
}

Result<Meta> Decoder::meta(xml_node n) const {
    Meta m;
    auto set_text = [&](xml_node c, std::optional<std::string>& field) -> Result<void> {
        if (field) return duplicate(c);
        auto t = token(c);
        if (!t) return t.error();
        field = std::move(*t);
        return {};
    };
    auto set_number = [&](xml_node c, std::optional<std::uint64_t>& field) -> Result<void> {
        if (field) return duplicate(c);
        auto v = number(c, std::numeric_limits<std::uint64_t>::max());
        if (!v) return v.error();
        field = *v;
        return {};
    };
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        if (name == "Format") return set_text(c, m.format);
        if (name == "Type") return set_text(c, m.type);
        if (name == "Mark") return set_text(c, m.mark);
        if (name == "Size") return set_number(c, m.size);
        if (name == "NextNonce") return set_text(c, m.next_nonce);
        if (name == "MaxMsgSize") return set_number(c, m.max_msg_size);
        if (name == "MaxObjSize") return set_number(c, m.max_obj_size);
        return unexpected(c);
    });
    if (!r) return r.error();
    return m;
}

Result<Cred> Decoder::cred(xml_node n) const {
    Cred out;
    bool has_meta = false;
    bool has_data = false;
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        if (name == "Meta") {
            if (has_meta) return duplicate(c);
            auto m = meta(c);
            if (!m) return m.error();
            out.meta = std::move(*m);
            has_meta = true;
        } else if (name == "Data") {
            if (has_data) return duplicate(c);
            auto t = token(c);
            if (!t) return t.error();
            out.data = std::move(*t);
            has_data = true;
        } else {
            return unexpected(c);
        }
        return {};
    });
    if (!r) return r.error();
    if (!has_data) return missing(n, "Data");
    return out;
}

Result<Chal> Decoder::chal(xml_node n) const {
    std::optional<Meta> m;
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        if (name != "Meta") return unexpected(c);
        if (m) return duplicate(c);
        auto v = meta(c);
        if (!v) return v.error();
        m = std::move(*v);
        return {};
    });
    if (!r) return r.error();
    if (!m) return missing(n, "Meta");
    return Chal{std::move(*m)};
}

Result<Item> Decoder::item(xml_node n) {
    if (++items_ > limits_.max_items) {
        return error(CodecErrc::too_many_items, n, "more Items than the limit allows");
    }
    Item it;
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        if (name == "Target" || name == "Source") {
            auto& field = name == "Target" ? it.target : it.source;
            if (field) return duplicate(c);
            auto loc = location(c);
            if (!loc) return loc.error();
            field = std::move(*loc);
        } else if (name == "Meta") {
            if (it.meta) return duplicate(c);
            auto m = meta(c);
            if (!m) return m.error();
            it.meta = std::move(*m);
        } else if (name == "Data") {
            if (it.data) return duplicate(c);
            auto d = data(c);
            if (!d) return d.error();
            it.data = std::move(*d);
        } else if (name == "MoreData") {
            if (it.more_data) return duplicate(c);
            it.more_data = true;
        } else {
            return unexpected(c);
        }
        return {};
    });
    if (!r) return r.error();
    return it;
}

Result<SyncHdr> Decoder::sync_hdr(xml_node n) {
    SyncHdr h;
    unsigned seen = 0;  // bit per mandatory field
    auto mark = [&](xml_node c, unsigned bit) -> Result<void> {
        if ((seen & bit) != 0U) return duplicate(c);
        seen |= bit;
        return {};
    };
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        Result<void> once = {};
        if (name == "VerDTD" || name == "VerProto" || name == "SessionID") {
            const unsigned bit = name == "VerDTD" ? 1U : name == "VerProto" ? 2U : 4U;
            once = mark(c, bit);
            if (!once) return once;
            auto t = token(c);
            if (!t) return t.error();
            if (bit == 1U) h.ver_dtd = std::move(*t);
            else if (bit == 2U) h.ver_proto = std::move(*t);
            else h.session_id = base::SessionId{std::move(*t)};
        } else if (name == "MsgID") {
            if (once = mark(c, 8U); !once) return once;
            auto v = id<MsgId>(c);
            if (!v) return v.error();
            h.msg_id = *v;
        } else if (name == "Target" || name == "Source") {
            if (once = mark(c, name == "Target" ? 16U : 32U); !once) return once;
            auto loc = location(c);
            if (!loc) return loc.error();
            (name == "Target" ? h.target : h.source) = std::move(*loc);
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
    });
    if (!r) return r.error();
    constexpr const char* kMandatory[] = {"VerDTD", "VerProto", "SessionID", "MsgID", "Target", "Source"};
    for (unsigned i = 0; i < 6; ++i) {
        if ((seen & (1U << i)) == 0U) return missing(n, kMandatory[i]);
    }
    return h;
}

template <class C>
Result<C> Decoder::item_command(xml_node n) {
    C cmd;
    Common common{&cmd.cmd_id, &cmd.no_resp, &cmd.cred, &cmd.meta};
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        auto handled = common_field(c, name, common);
        if (!handled) return handled.error();
        if (*handled) return {};
        if (name != "Item") return unexpected(c);
        auto it = item(c);
        if (!it) return it.error();
        cmd.items.push_back(std::move(*it));
        return {};
    });
    if (!r) return r.error();
    if (!common.has_id) return missing(n, "CmdID");
    if (cmd.items.empty()) return missing(n, "Item");
    return cmd;
}

Result<bool> Decoder::common_field(xml_node c, std::string_view name, Common& common) {
    if (name == "CmdID") {
        if (common.has_id) return duplicate(c);
        auto v = id<CmdId>(c);
        if (!v) return v.error();
        *common.cmd_id = *v;
        common.has_id = true;
    } else if (name == "NoResp" && common.no_resp != nullptr) {
        if (*common.no_resp) return duplicate(c);
        *common.no_resp = true;
    } else if (name == "Cred" && common.cred != nullptr) {
        if (*common.cred) return duplicate(c);
        auto v = cred(c);
        if (!v) return v.error();
        *common.cred = std::move(*v);
    } else if (name == "Meta" && common.meta != nullptr) {
        if (*common.meta) return duplicate(c);
        auto m = meta(c);
        if (!m) return m.error();
        *common.meta = std::move(*m);
    } else {
        return false;
    }
    return true;
}

Result<Alert> Decoder::alert(xml_node n) {
    Alert a;
    Common common{&a.cmd_id, &a.no_resp, &a.cred, nullptr};
    bool has_code = false;
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        auto handled = common_field(c, name, common);
        if (!handled) return handled.error();
        if (*handled) return {};
        if (name == "Data") {
            if (has_code) return duplicate(c);
            auto v = number(c, std::numeric_limits<std::uint16_t>::max());
            if (!v) return v.error();
            a.code = static_cast<std::uint16_t>(*v);
            has_code = true;
        } else if (name == "Correlator") {
            if (a.correlator) return duplicate(c);
            auto t = token(c);
            if (!t) return t.error();
            a.correlator = std::move(*t);
        } else if (name == "Item") {
            auto it = item(c);
            if (!it) return it.error();
            a.items.push_back(std::move(*it));
        } else {
            return unexpected(c);
        }
        return {};
    });
    if (!r) return r.error();
    if (!common.has_id) return missing(n, "CmdID");
    if (!has_code) return missing(n, "Data");
    return a;
}

Result<Exec> Decoder::exec(xml_node n) {
    Exec e;
    Common common{&e.cmd_id, &e.no_resp, &e.cred, &e.meta};
    bool has_item = false;
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        auto handled = common_field(c, name, common);
        if (!handled) return handled.error();
        if (*handled) return {};
        if (name == "Correlator") {
            if (e.correlator) return duplicate(c);
            auto t = token(c);
            if (!t) return t.error();
            e.correlator = std::move(*t);
        } else if (name == "Item") {
            if (has_item) return duplicate(c);
            auto it = item(c);
            if (!it) return it.error();
            e.item = std::move(*it);
            has_item = true;
        } else {
            return unexpected(c);
        }
        return {};
    });
    if (!r) return r.error();
    if (!common.has_id) return missing(n, "CmdID");
    if (!has_item) return missing(n, "Item");
    return e;
}

Result<Status> Decoder::status(xml_node n) {
    Status s;
    Common common{&s.cmd_id, nullptr, &s.cred, nullptr};
    unsigned seen = 0;  // MsgRef 1, CmdRef 2, Cmd 4, Data 8
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        auto handled = common_field(c, name, common);
        if (!handled) return handled.error();
        if (*handled) return {};
        const unsigned bit = name == "MsgRef" ? 1U : name == "CmdRef" ? 2U : name == "Cmd" ? 4U
                           : name == "Data" ? 8U : 0U;
        if (bit != 0U && (seen & bit) != 0U) return duplicate(c);
        seen |= bit;
        if (bit == 1U) {
            auto v = id<MsgId>(c);
            if (!v) return v.error();
            s.msg_ref = *v;
        } else if (bit == 2U) {
            auto v = id<CmdId>(c);
            if (!v) return v.error();
            s.cmd_ref = *v;
        } else if (bit == 4U) {
            auto t = token(c);
            if (!t) return t.error();
            s.cmd = std::move(*t);
        } else if (bit == 8U) {
            auto v = number(c, std::numeric_limits<std::uint16_t>::max());
            if (!v) return v.error();
            s.code = base::status_from_int(static_cast<std::uint16_t>(*v));
        } else if (name == "TargetRef" || name == "SourceRef") {
            auto t = token(c);
            if (!t) return t.error();
            (name == "TargetRef" ? s.target_refs : s.source_refs).push_back(std::move(*t));
        } else if (name == "Chal") {
            if (s.chal) return duplicate(c);
            auto v = chal(c);
            if (!v) return v.error();
            s.chal = std::move(*v);
        } else if (name == "Item") {
            auto it = item(c);
            if (!it) return it.error();
            s.items.push_back(std::move(*it));
        } else {
            return unexpected(c);
        }
        return {};
    });
    if (!r) return r.error();
    if (!common.has_id) return missing(n, "CmdID");
    constexpr const char* kMandatory[] = {"MsgRef", "CmdRef", "Cmd", "Data"};
    for (unsigned i = 0; i < 4; ++i) {
        if ((seen & (1U << i)) == 0U) return missing(n, kMandatory[i]);
    }
    return s;
}

Result<Results> Decoder::results(xml_node n) {
    Results res;
    Common common{&res.cmd_id, nullptr, nullptr, &res.meta};
    bool has_cmd_ref = false;
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        auto handled = common_field(c, name, common);
        if (!handled) return handled.error();
        if (*handled) return {};
        if (name == "MsgRef") {
            if (res.msg_ref) return duplicate(c);
            auto v = id<MsgId>(c);
            if (!v) return v.error();
            res.msg_ref = *v;
        } else if (name == "CmdRef") {
            if (has_cmd_ref) return duplicate(c);
            auto v = id<CmdId>(c);
            if (!v) return v.error();
            res.cmd_ref = *v;
            has_cmd_ref = true;
        } else if (name == "TargetRef" || name == "SourceRef") {
            auto& field = name == "TargetRef" ? res.target_ref : res.source_ref;
            if (field) return duplicate(c);
            auto t = token(c);
            if (!t) return t.error();
            field = std::move(*t);
        } else if (name == "Item") {
            auto it = item(c);
            if (!it) return it.error();
            res.items.push_back(std::move(*it));
        } else {
            return unexpected(c);
        }
        return {};
    });
    if (!r) return r.error();
    if (!common.has_id) return missing(n, "CmdID");
    if (!has_cmd_ref) return missing(n, "CmdRef");
    if (res.items.empty()) return missing(n, "Item");
    return res;
}

template <class C>
Result<C> Decoder::container(xml_node n) {
    C cmd;
    Common common{&cmd.cmd_id, &cmd.no_resp, nullptr, &cmd.meta};
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        auto handled = common_field(c, name, common);
        if (!handled) return handled.error();
        if (*handled) return {};
        auto inner = command(c);
        if (!inner) return inner.error();
        cmd.commands.push_back(std::move(*inner));
        return {};
    });
    if (!r) return r.error();
    if (!common.has_id) return missing(n, "CmdID");
    return cmd;
}

template <class T>
Result<Command> as_command(Result<T>&& r) {
    if (!r) return r.error();
    return Command{std::move(*r)};
}

Result<Command> Decoder::command(xml_node n) {
    if (++commands_ > limits_.max_commands) {
        return error(CodecErrc::too_many_items, n, "more commands than the limit allows");
    }
    const auto name = local_name(n);
    if (name == "Add") return as_command(item_command<Add>(n));
    if (name == "Alert") return as_command(alert(n));
    if (name == "Atomic") return as_command(container<Atomic>(n));
    if (name == "Copy") return as_command(item_command<Copy>(n));
    if (name == "Delete") return as_command(item_command<Delete>(n));
    if (name == "Exec") return as_command(exec(n));
    if (name == "Get") return as_command(item_command<Get>(n));
    if (name == "Replace") return as_command(item_command<Replace>(n));
    if (name == "Results") return as_command(results(n));
    if (name == "Sequence") return as_command(container<Sequence>(n));
    if (name == "Status") return as_command(status(n));
    return unexpected(n);
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
    return msg;
}

/// Checks made on the parsed tree before it is decoded: one root element, no DOCTYPE (or only an
/// external identifier, on the WBXML path), no stray text, nesting within the limit.
Result<void> check_document(const pugi::xml_document& doc, std::string_view source, const Limits& limits,
                            DoctypePolicy doctype) {
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
    std::size_t depth = 0;
    xml_node n = doc.document_element();
    const xml_node top = n;
    depth = 1;
    while (n) {
        if (depth > limits.max_depth) {
            return codec_error(CodecErrc::too_deep, "nesting deeper than " + std::to_string(limits.max_depth) +
                                                        " at " + element_path(n) + " (" +
                                                        line_column(source, n.offset_debug()) + ")");
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

}  // namespace

Result<Message> decode_xml_document(std::string_view bytes, const Limits& limits, DoctypePolicy doctype) {
    if (bytes.size() > limits.max_message_bytes) {
        return codec_error(CodecErrc::too_large, std::to_string(bytes.size()) + " bytes, limit " +
                                                     std::to_string(limits.max_message_bytes));
    }
    if (const auto nul = bytes.find('\0'); nul != std::string_view::npos) {
        return codec_error(CodecErrc::not_well_formed,
                           "NUL character at " + line_column(bytes, static_cast<std::ptrdiff_t>(nul)));
    }
    pugi::xml_document doc;
    const auto parsed = doc.load_buffer(bytes.data(), bytes.size(), kParseFlags, pugi::encoding_utf8);
    if (!parsed) {
        return codec_error(CodecErrc::not_well_formed, std::string(parsed.description()) + " at " +
                                                           line_column(bytes, parsed.offset) + " (offset " +
                                                           std::to_string(parsed.offset) + ")");
    }
    if (auto r = check_document(doc, bytes, limits, doctype); !r) {
        return r.error();
    }
    const auto root = doc.document_element();
    if (local_name(root) != "SyncML" ||
        !equals_ignore_case(root.attribute("xmlns").value(), kNamespaceSyncml12)) {
        return codec_error(CodecErrc::wrong_root, "root <" + std::string(root.name()).substr(0, 64) +
                                                      "> is not <SyncML xmlns=\"SYNCML:SYNCML1.2\">");
    }
    return Decoder(bytes, limits).message(root);
}

}  // namespace omadm::syncml::detail

namespace omadm::syncml {

base::Result<Message> decode_xml(std::string_view bytes, const Limits& limits) {
    return detail::decode_xml_document(bytes, limits, detail::DoctypePolicy::Forbid);
}

}  // namespace omadm::syncml
