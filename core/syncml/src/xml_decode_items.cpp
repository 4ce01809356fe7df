// XML -> Message, the leaves of the model: text and numeric values, Location, Meta, Cred, Chal
// and Item.
//
// Meta tolerance: deployed peers put MetInf 1.2 elements in Meta that DM gives no meaning to
// (EMI, Version, FreeMem, FreeID, Mem, SharedMem, Anchor, Last, Next, FieldLevel, MetInf). Those
// are skipped, content included. An element that is not in the MetInf 1.2 element set at all is
// still rejected as unexpected_element, like any unknown element in SyncML command content.
#include "xml_decoder.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace omadm::syncml::detail {
namespace {

using base::Result;
using pugi::xml_node;

std::string_view trim(std::string_view s) {
    constexpr std::string_view kWs = " \t\r\n";
    const auto first = s.find_first_not_of(kWs);
    if (first == std::string_view::npos) {
        return {};
    }
    return s.substr(first, s.find_last_not_of(kWs) - first + 1);
}

/// MetInf 1.2 elements (OMA-SUP-DTD_SyncML_MetaInfo-V1_2) that the model does not carry; ignored
/// when received.
constexpr std::array<std::string_view, 11> kIgnoredMetInf = {"Anchor",  "EMI",       "FieldLevel", "FreeID",
                                                             "FreeMem", "Last",      "Mem",        "MetInf",
                                                             "Next",    "SharedMem", "Version"};

bool is_ignored_metinf(std::string_view name) {
    return std::find(kIgnoredMetInf.begin(), kIgnoredMetInf.end(), name) != kIgnoredMetInf.end();
}

} // namespace

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

Result<void> Decoder::meta_field(xml_node c, std::string_view name, Meta& m) const {
    auto set_text = [&](std::optional<std::string>& field) -> Result<void> {
        if (field) return duplicate(c);
        auto t = token(c);
        if (!t) return t.error();
        field = std::move(*t);
        return {};
    };
    auto set_number = [&](std::optional<std::uint64_t>& field) -> Result<void> {
        if (field) return duplicate(c);
        auto v = number(c, std::numeric_limits<std::uint64_t>::max());
        if (!v) return v.error();
        field = *v;
        return {};
    };
    if (name == "Format") return set_text(m.format);
    if (name == "Type") return set_text(m.type);
    if (name == "Mark") return set_text(m.mark);
    if (name == "Size") return set_number(m.size);
    if (name == "NextNonce") return set_text(m.next_nonce);
    if (name == "MaxMsgSize") return set_number(m.max_msg_size);
    if (name == "MaxObjSize") return set_number(m.max_obj_size);
    if (is_ignored_metinf(name)) return {};
    return unexpected(c);
}

Result<Meta> Decoder::meta(xml_node n) const {
    Meta m;
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) { return meta_field(c, name, m); });
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

Result<void> Decoder::item_field(xml_node c, std::string_view name, Item& it) {
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
}

Result<Item> Decoder::item(xml_node n) {
    if (++items_ > limits_.max_items) {
        return error(CodecErrc::too_many_items, n, "more Items than the limit allows");
    }
    Item it;
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) { return item_field(c, name, it); });
    if (!r) return r.error();
    return it;
}

} // namespace omadm::syncml::detail
