#include "wire.hpp"

#include <algorithm>
#include <set>
#include <type_traits>
#include <variant>

namespace omadm::session::detail {
namespace {
template <class Cmd> auto* items_impl(Cmd& c) noexcept {
    using Ptr = std::conditional_t<std::is_const_v<Cmd>, const std::vector<syncml::Item>*,
                                   std::vector<syncml::Item>*>;
    return std::visit(
        [](auto& x) -> Ptr {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_base_of_v<syncml::ItemCommand, T> || std::is_same_v<T, syncml::Alert> ||
                          std::is_same_v<T, syncml::Results> || std::is_same_v<T, syncml::Status>) {
                return &x.items;
            } else {
                return nullptr;
            }
        },
        c.variant());
}
template <class Cmd> auto* members_impl(Cmd& c) noexcept {
    using Ptr = std::conditional_t<std::is_const_v<Cmd>, const std::vector<syncml::Command>*,
                                   std::vector<syncml::Command>*>;
    return std::visit(
        [](auto& x) -> Ptr {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<T, syncml::Atomic> || std::is_same_v<T, syncml::Sequence>) {
                return &x.commands;
            } else {
                return nullptr;
            }
        },
        c.variant());
}
} // namespace

const std::vector<syncml::Item>* items_of(const syncml::Command& c) noexcept {
    return items_impl(c);
}
std::vector<syncml::Item>* items_of(syncml::Command& c) noexcept {
    return items_impl(c);
}
std::vector<syncml::Command>* members_of(syncml::Command& c) noexcept {
    return members_impl(c);
}
const std::vector<syncml::Command>* members_of(const syncml::Command& c) noexcept {
    return members_impl(c);
}

std::vector<CmdId> assign_ids(syncml::Command& c, std::uint32_t& next) {
    std::visit([&](auto& x) { x.cmd_id = CmdId{next++}; }, c.variant());
    std::vector<CmdId> member_ids;
    if (auto* members = members_of(c)) {
        for (auto& m : *members) {
            member_ids.emplace_back(next);
            (void)assign_ids(m, next);
        }
    }
    return member_ids;
}

syncml::Status status_for(MsgId msg_ref, const syncml::Command& c, syncml::StatusCode code) {
    syncml::Status s;
    s.msg_ref = msg_ref;
    s.cmd_ref = syncml::command_id(c);
    s.cmd = syncml::command_name(c);
    s.code = code;
    const auto add_refs = [&s](const syncml::Item& item) {
        if (item.target) s.target_refs.push_back(item.target->loc_uri);
        if (item.source) s.source_refs.push_back(item.source->loc_uri);
    };
    if (const auto* items = items_of(c)) {
        if (!std::holds_alternative<syncml::Status>(c.variant())) {
            for (const auto& item : *items)
                add_refs(item);
        }
    } else if (const auto* exec = std::get_if<syncml::Exec>(&c.variant())) {
        add_refs(exec->item);
    }
    return s;
}

syncml::Status status_for_header(const syncml::SyncHdr& hdr, syncml::StatusCode code) {
    syncml::Status s;
    s.msg_ref = hdr.msg_id;
    s.cmd_ref = CmdId{0};
    s.cmd = "SyncHdr";
    s.target_refs.push_back(hdr.target.loc_uri);
    s.source_refs.push_back(hdr.source.loc_uri);
    s.code = code;
    return s;
}

const syncml::Status* header_status(const syncml::Message& m) noexcept {
    for (const auto& c : m.body) {
        if (const auto* s = std::get_if<syncml::Status>(&c.variant());
            s != nullptr && s->cmd_ref.value() == 0) {
            return s;
        }
    }
    return nullptr;
}

syncml::Alert make_alert(std::uint16_t code) {
    syncml::Alert a;
    a.code = code;
    return a;
}

bool is_alert(const syncml::Command& c, std::uint16_t code) noexcept {
    const auto* a = std::get_if<syncml::Alert>(&c.variant());
    return a != nullptr && a->code == code;
}

bool is_management(const syncml::Command& c) noexcept {
    return !syncml::is_response(syncml::kind_of(c)) && !is_alert(c, syncml::alert_code::kNextMessage);
}

} // namespace omadm::session::detail

namespace omadm::session::detail {

std::uint64_t largest_object(const syncml::Command& c) noexcept {
    std::uint64_t n = 0;
    const auto consider = [&n](const syncml::Item& item) {
        if (item.data) n = std::max<std::uint64_t>(n, item.data->size());
    };
    if (const auto* items = items_of(c)) {
        for (const auto& item : *items)
            consider(item);
    } else if (const auto* exec = std::get_if<syncml::Exec>(&c.variant())) {
        consider(exec->item);
    } else if (const auto* members = members_of(c)) {
        for (const auto& m : *members)
            n = std::max(n, largest_object(m));
    }
    return n;
}

auth::Bytes nonce_bytes(const std::string& b64) {
    if (b64.empty()) return {};
    auto decoded = auth::base64_decode(b64);
    return decoded ? *decoded : auth::Bytes(b64.begin(), b64.end());
}

Finding osr(std::string detail, MsgId msg_id, std::optional<CmdId> cmd_id, std::string location) {
    return Finding{req::MgmtPolicyMO_OSR_01, std::move(detail),
                   Evidence{msg_id, cmd_id, std::move(location)}};
}

namespace {

void note_repeated(const std::vector<syncml::Command>& commands, std::set<std::uint32_t>& seen, MsgId msg_id,
                   std::vector<Finding>& out) {
    for (const auto& c : commands) {
        const CmdId id = syncml::command_id(c);
        if (!seen.insert(id.value()).second) {
            out.push_back(osr("CmdID " + std::to_string(id.value()) + " repeated in one message", msg_id, id,
                              "SyncBody/*/CmdID"));
        }
        if (const auto* members = members_of(c)) note_repeated(*members, seen, msg_id, out);
    }
}

} // namespace

std::vector<Finding> message_findings(const syncml::Message& m) {
    std::vector<Finding> out;
    for (const auto& what : m.tolerated)
        out.push_back(osr(what + " (read anyway)", m.hdr.msg_id, std::nullopt, "SyncBody/Status/CmdRef"));
    std::set<std::uint32_t> seen;
    note_repeated(m.body, seen, m.hdr.msg_id, out);
    return out;
}

void PeerTrack::receive(const syncml::SyncHdr& h, std::vector<Finding>& findings) {
    const std::uint32_t expected = last_msg ? *last_msg + 1 : 1;
    if (h.msg_id.value() != expected) {
        findings.push_back(
            osr("MsgID " + std::to_string(h.msg_id.value()) + ", expected " + std::to_string(expected),
                h.msg_id, std::nullopt, "SyncHdr/MsgID"));
    }
    last_msg = h.msg_id.value();
    if (h.meta && h.meta->max_msg_size) max_msg = h.meta->max_msg_size;
    if (h.meta && h.meta->max_obj_size) max_obj = h.meta->max_obj_size;
}

} // namespace omadm::session::detail
