#include "omadm/session/message_size.hpp"

#include <string>
#include <variant>

namespace omadm::session {
namespace {

constexpr std::size_t kEnvelope = 160; // <SyncML xmlns=...><SyncHdr>...</SyncBody></SyncML> fixed text
constexpr std::size_t kPerCommand = 40;
constexpr std::size_t kPerItem = 20;
constexpr std::size_t kPerField = 24; // an element's open and close tags, with a namespace

std::size_t text(const std::string& s) {
    return kPerField + s.size() + s.size() / 8;
}
std::size_t text(const std::optional<std::string>& s) {
    return s ? text(*s) : 0;
}

std::size_t meta_size(const std::optional<syncml::Meta>& m) {
    if (!m) return 0;
    std::size_t n = kPerField + text(m->format) + text(m->type) + text(m->mark) + text(m->next_nonce);
    for (const auto& v : {m->size, m->max_msg_size, m->max_obj_size}) {
        if (v) n += kPerField + 20;
    }
    return n;
}

std::size_t location_size(const std::optional<syncml::Location>& l) {
    return l ? kPerField + text(l->loc_uri) + text(l->loc_name) : 0;
}

std::size_t item_size(const syncml::Item& i) {
    return kPerItem + location_size(i.target) + location_size(i.source) + meta_size(i.meta) + text(i.data) +
           (i.more_data ? kPerField : 0);
}

std::size_t items_size(const std::vector<syncml::Item>& items) {
    std::size_t n = 0;
    for (const auto& i : items)
        n += item_size(i);
    return n;
}

std::size_t cred_size(const std::optional<syncml::Cred>& c) {
    return c ? kPerField + meta_size(c->meta) + text(c->data) : 0;
}

std::size_t command_size(const syncml::Command& c);

std::size_t commands_size(const std::vector<syncml::Command>& cs) {
    std::size_t n = 0;
    for (const auto& c : cs)
        n += command_size(c);
    return n;
}

std::size_t command_size(const syncml::Command& c) {
    return kPerCommand + std::visit(
                             [](const auto& x) -> std::size_t {
                                 using T = std::decay_t<decltype(x)>;
                                 if constexpr (std::is_base_of_v<syncml::ItemCommand, T>) {
                                     return cred_size(x.cred) + meta_size(x.meta) + items_size(x.items);
                                 } else if constexpr (std::is_same_v<T, syncml::Exec>) {
                                     return meta_size(x.meta) + text(x.correlator) + item_size(x.item);
                                 } else if constexpr (std::is_same_v<T, syncml::Alert>) {
                                     return kPerField + text(x.correlator) + items_size(x.items);
                                 } else if constexpr (std::is_same_v<T, syncml::Status>) {
                                     std::size_t n = 3 * kPerField + text(x.cmd) + kPerField;
                                     for (const auto& r : x.target_refs)
                                         n += text(r);
                                     for (const auto& r : x.source_refs)
                                         n += text(r);
                                     if (x.chal) n += kPerField + meta_size(x.chal->meta);
                                     return n + cred_size(x.cred) + items_size(x.items);
                                 } else if constexpr (std::is_same_v<T, syncml::Results>) {
                                     return 2 * kPerField + meta_size(x.meta) + text(x.target_ref) +
                                            text(x.source_ref) + items_size(x.items);
                                 } else {
                                     return meta_size(x.meta) + commands_size(x.commands);
                                 }
                             },
                             c.variant());
}

} // namespace

std::size_t approximate_size(const syncml::Message& msg) {
    const auto& h = msg.hdr;
    std::size_t n = kEnvelope + text(h.ver_dtd) + text(h.ver_proto) + text(h.session_id.value()) + kPerField +
                    kPerField + text(h.target.loc_uri) + text(h.target.loc_name) + kPerField +
                    text(h.source.loc_uri) + text(h.source.loc_name) + text(h.resp_uri) + cred_size(h.cred) +
                    meta_size(h.meta);
    return n + commands_size(msg.body) + (msg.final ? kPerField : 0);
}

} // namespace omadm::session
