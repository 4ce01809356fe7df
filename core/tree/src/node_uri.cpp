#include "omadm/tree/node_uri.hpp"

#include "omadm/tree/errc.hpp"

#include <array>
#include <utility>

namespace omadm::tree {
namespace {

int hex_value(char c) noexcept {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool needs_escape(unsigned char c) noexcept {
    return c <= 0x20U || c == 0x7FU || c == '%' || c == '?' || c == '#';
}

void append_escaped(std::string& out, std::string_view name) {
    static constexpr std::array<char, 16> kHex{'0', '1', '2', '3', '4', '5', '6', '7',
                                               '8', '9', 'A', 'B', 'C', 'D', 'E', 'F'};
    for (const char ch : name) {
        const auto c = static_cast<unsigned char>(ch);
        if (needs_escape(c)) {
            out += '%';
            out += kHex[c >> 4U];
            out += kHex[c & 0x0FU];
        } else {
            out += ch;
        }
    }
}

base::Result<std::string> decode_segment(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '%') {
            out += raw[i];
            continue;
        }
        if (i + 2 >= raw.size()) {
            return make_error(Errc::InvalidUri, "truncated percent escape");
        }
        const int hi = hex_value(raw[i + 1]);
        const int lo = hex_value(raw[i + 2]);
        if (hi < 0 || lo < 0) return make_error(Errc::InvalidUri, "bad percent escape");
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
    }
    return out;
}

base::Result<void> check_limits(const std::vector<std::string>& segs, std::size_t path_len,
                                const UriLimits& lim) {
    if (lim.max_depth != 0 && segs.size() > lim.max_depth) {
        return make_error(Errc::UriTooLong, "depth " + std::to_string(segs.size()) + " > MaxDepth");
    }
    if (lim.max_total_len != 0 && path_len > lim.max_total_len) {
        return make_error(Errc::UriTooLong, "length " + std::to_string(path_len) + " > MaxTotLen");
    }
    for (const auto& s : segs) {
        if (lim.max_seg_len != 0 && s.size() > lim.max_seg_len) {
            return make_error(Errc::UriTooLong, "segment '" + s + "' longer than MaxSegLen");
        }
    }
    return {};
}

} // namespace

bool is_valid_node_name(std::string_view name) noexcept {
    if (name.empty() || name == "." || name == "..") return false;
    return name.find('/') == std::string_view::npos && name.find('\0') == std::string_view::npos;
}

base::Result<NodeUri> NodeUri::parse(std::string_view text, const UriLimits& limits) {
    if (text.empty()) return make_error(Errc::InvalidUri, "empty URI");
    if (text == ".") return NodeUri{};
    if (text.starts_with("./")) text.remove_prefix(2);
    if (text.empty()) return make_error(Errc::InvalidUri, "'./' is not a node; the root is '.'");
    if (text.front() == '/') return make_error(Errc::InvalidUri, "URI starts with '/'");
    if (text.back() == '/') return make_error(Errc::InvalidUri, "URI ends with '/'");
    std::vector<std::string> segs;
    std::size_t start = 0;
    while (start <= text.size()) {
        const std::size_t slash = text.find('/', start);
        const std::size_t end = slash == std::string_view::npos ? text.size() : slash;
        const std::string_view raw = text.substr(start, end - start);
        if (raw.empty()) return make_error(Errc::InvalidUri, "empty segment");
        if (raw == ".") return make_error(Errc::InvalidUri, "'.' only at the start");
        if (raw == "..") return make_error(Errc::InvalidUri, "'..' is not allowed");
        auto seg = decode_segment(raw);
        if (!seg) return seg.error();
        if (!is_valid_node_name(*seg)) return make_error(Errc::InvalidUri, "invalid node name");
        segs.push_back(std::move(seg.value()));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return from_segments(std::move(segs), limits);
}

base::Result<NodeUri> NodeUri::from_segments(std::vector<std::string> segments, const UriLimits& limits) {
    for (const auto& s : segments) {
        if (!is_valid_node_name(s)) return make_error(Errc::InvalidUri, "invalid node name '" + s + "'");
    }
    NodeUri uri{std::move(segments)};
    if (auto ok = check_limits(uri.segments_, uri.is_root() ? 0 : uri.path().size(), limits); !ok) {
        return ok.error();
    }
    return uri;
}

std::string NodeUri::name() const {
    return segments_.empty() ? std::string(".") : segments_.back();
}

NodeUri NodeUri::parent() const {
    if (segments_.empty()) return {};
    return NodeUri{std::vector<std::string>(segments_.begin(), segments_.end() - 1)};
}

base::Result<NodeUri> NodeUri::child(std::string_view name) const {
    if (!is_valid_node_name(name)) return make_error(Errc::InvalidUri, "invalid node name");
    auto segs = segments_;
    segs.emplace_back(name);
    return NodeUri{std::move(segs)};
}

NodeUri NodeUri::operator/(std::string_view name) const& {
    NodeUri out = *this;
    return std::move(out) / name;
}

NodeUri NodeUri::operator/(std::string_view name) && {
    OMADM_CHECK(is_valid_node_name(name));
    segments_.emplace_back(name);
    return std::move(*this);
}

bool NodeUri::is_within(const NodeUri& other) const noexcept {
    if (other.segments_.size() > segments_.size()) return false;
    for (std::size_t i = 0; i < other.segments_.size(); ++i) {
        if (segments_[i] != other.segments_[i]) return false;
    }
    return true;
}

std::string NodeUri::path() const {
    if (segments_.empty()) return ".";
    std::string out;
    for (const auto& s : segments_) {
        if (!out.empty()) out += '/';
        append_escaped(out, s);
    }
    return out;
}

std::string NodeUri::str() const {
    return segments_.empty() ? std::string(".") : "./" + path();
}

base::Result<TargetUri> TargetUri::parse(std::string_view text, const UriLimits& limits) {
    const std::size_t q = text.find('?');
    auto node = NodeUri::parse(text.substr(0, q), limits);
    if (!node) return node.error();
    if (q == std::string_view::npos) return TargetUri{std::move(node.value())};
    const std::string_view query = text.substr(q + 1);
    if (query.starts_with("prop=")) {
        const auto prop = parse_property(query.substr(5));
        if (!prop) return make_error(Errc::UnsupportedQuery, "unsupported property");
        return TargetUri{std::move(node.value()), PropQuery{*prop}};
    }
    if (query == "list=Struct") return TargetUri{std::move(node.value()), ListQuery{ListKind::Struct}};
    if (query == "list=StructData")
        return TargetUri{std::move(node.value()), ListQuery{ListKind::StructData}};
    if (query.starts_with("list=TNDS")) {
        auto fields = TndsFields::parse(query.substr(9));
        if (!fields) return fields.error();
        return TargetUri{std::move(node.value()), ListQuery{ListKind::Tnds, *fields}};
    }
    return make_error(Errc::UnsupportedQuery, "unsupported query '" + std::string(query) + "'");
}

const PropQuery* TargetUri::prop() const noexcept {
    return query ? std::get_if<PropQuery>(&*query) : nullptr;
}

const ListQuery* TargetUri::list() const noexcept {
    return query ? std::get_if<ListQuery>(&*query) : nullptr;
}

std::string TargetUri::str() const {
    std::string out = node.str();
    if (const auto* p = prop()) {
        out += "?prop=";
        out += property_name(p->property);
    } else if (const auto* l = list()) {
        switch (l->kind) {
        case ListKind::Struct:
            out += "?list=Struct";
            break;
        case ListKind::StructData:
            out += "?list=StructData";
            break;
        case ListKind::Tnds:
            out += "?list=TNDS";
            break;
        }
    }
    return out;
}

std::string_view property_name(Property p) noexcept {
    switch (p) {
    case Property::Acl:
        return "ACL";
    case Property::Format:
        return "Format";
    case Property::Name:
        return "Name";
    case Property::Size:
        return "Size";
    case Property::Title:
        return "Title";
    case Property::TStamp:
        return "TStamp";
    case Property::Type:
        return "Type";
    case Property::VerNo:
        return "VerNo";
    }
    return "";
}

std::optional<Property> parse_property(std::string_view name) noexcept {
    for (const Property p : {Property::Acl, Property::Format, Property::Name, Property::Size, Property::Title,
                             Property::TStamp, Property::Type, Property::VerNo}) {
        if (property_name(p) == name) return p;
    }
    return std::nullopt;
}

base::Result<TndsFields> TndsFields::parse(std::string_view spec) {
    if (spec.empty()) return all();
    const char op = spec.front();
    if (op != '+' && op != '-') return make_error(Errc::UnsupportedQuery, "TNDS list must use '+' or '-'");
    TndsFields f = op == '+' ? none() : all();
    while (!spec.empty()) {
        if (spec.front() != op) return make_error(Errc::UnsupportedQuery, "'+' and '-' mixed in TNDS list");
        spec.remove_prefix(1);
        const std::size_t next = spec.find_first_of("+-");
        const std::string_view name = spec.substr(0, next);
        std::optional<TndsField> field;
        if (name == "ACL") field = TndsField::Acl;
        if (name == "Format") field = TndsField::Format;
        if (name == "Type") field = TndsField::Type;
        if (name == "Title") field = TndsField::Title;
        if (name == "TStamp") field = TndsField::TStamp;
        if (name == "VerNo") field = TndsField::VerNo;
        if (name == "Value") field = TndsField::Value;
        if (!field)
            return make_error(Errc::UnsupportedQuery, "unsupported TNDS field '" + std::string(name) + "'");
        if (op == '+') {
            f.add(*field);
        } else {
            f.remove(*field);
        }
        spec.remove_prefix(name.size());
    }
    return f;
}

} // namespace omadm::tree
