#include "omadm/syncml/builder.hpp"

#include <type_traits>
#include <utility>

namespace omadm::syncml {

SyncHdr make_hdr(base::SessionId session, MsgId msg_id, std::string target_uri, std::string source_uri,
                 std::string ver_proto) {
    SyncHdr h;
    h.ver_proto = std::move(ver_proto);
    h.session_id = std::move(session);
    h.msg_id = msg_id;
    h.target.loc_uri = std::move(target_uri);
    h.source.loc_uri = std::move(source_uri);
    return h;
}

namespace {

/// An Item addressed by `uri` in its Target or Source (`where`).
Item addressed_item(std::optional<Location> Item::*where, std::string uri, std::optional<std::string> data,
                    std::optional<Meta> meta) {
    Item it;
    it.*where = Location{std::move(uri), std::nullopt};
    it.meta = std::move(meta);
    it.data = std::move(data);
    return it;
}

} // namespace

Item target_item(std::string uri, std::optional<std::string> data, std::optional<Meta> meta) {
    return addressed_item(&Item::target, std::move(uri), std::move(data), std::move(meta));
}

Item source_item(std::string uri, std::optional<std::string> data, std::optional<Meta> meta) {
    return addressed_item(&Item::source, std::move(uri), std::move(data), std::move(meta));
}

MessageBuilder::MessageBuilder(SyncHdr hdr) {
    msg_.hdr = std::move(hdr);
}

CmdId MessageBuilder::next_id() {
    return CmdId{next_cmd_id_++};
}

void MessageBuilder::number(Command& c) {
    std::visit(
        [this](auto& cmd) {
            cmd.cmd_id = next_id();
            using T = std::decay_t<decltype(cmd)>;
            if constexpr (std::is_same_v<T, Atomic> || std::is_same_v<T, Sequence>) {
                for (auto& inner : cmd.commands)
                    number(inner);
            }
        },
        c.variant());
}

MessageBuilder& MessageBuilder::command(Command c) {
    number(c);
    msg_.body.push_back(std::move(c));
    return *this;
}

MessageBuilder& MessageBuilder::alert(std::uint16_t code, std::vector<Item> items,
                                      std::optional<std::string> correlator) {
    Alert a;
    a.code = code;
    a.items = std::move(items);
    a.correlator = std::move(correlator);
    return command(std::move(a));
}

MessageBuilder& MessageBuilder::add(std::string uri, std::optional<std::string> data,
                                    std::optional<Meta> meta) {
    Add a;
    a.items.push_back(target_item(std::move(uri), std::move(data), std::move(meta)));
    return command(std::move(a));
}

MessageBuilder& MessageBuilder::replace(std::string uri, std::string data, std::optional<Meta> meta) {
    Replace r;
    r.items.push_back(target_item(std::move(uri), std::move(data), std::move(meta)));
    return command(std::move(r));
}

MessageBuilder& MessageBuilder::get(std::string uri) {
    Get g;
    g.items.push_back(target_item(std::move(uri)));
    return command(std::move(g));
}

MessageBuilder& MessageBuilder::delete_node(std::string uri) {
    Delete d;
    d.items.push_back(target_item(std::move(uri)));
    return command(std::move(d));
}

MessageBuilder& MessageBuilder::copy(std::string target_uri, std::string source_uri) {
    Copy c;
    Item it = target_item(std::move(target_uri));
    it.source = Location{std::move(source_uri), std::nullopt};
    c.items.push_back(std::move(it));
    return command(std::move(c));
}

MessageBuilder& MessageBuilder::exec(std::string uri, std::optional<std::string> correlator,
                                     std::optional<std::string> data) {
    Exec e;
    e.correlator = std::move(correlator);
    e.item = target_item(std::move(uri), std::move(data));
    return command(std::move(e));
}

MessageBuilder& MessageBuilder::atomic(std::vector<Command> members) {
    Atomic a;
    a.commands = std::move(members);
    return command(std::move(a));
}

MessageBuilder& MessageBuilder::sequence(std::vector<Command> members) {
    Sequence s;
    s.commands = std::move(members);
    return command(std::move(s));
}

MessageBuilder& MessageBuilder::status(MsgId msg_ref, CmdId cmd_ref, std::string cmd, StatusCode code,
                                       std::vector<std::string> target_refs,
                                       std::vector<std::string> source_refs) {
    Status s;
    s.msg_ref = msg_ref;
    s.cmd_ref = cmd_ref;
    s.cmd = std::move(cmd);
    s.code = code;
    s.target_refs = std::move(target_refs);
    s.source_refs = std::move(source_refs);
    return command(std::move(s));
}

MessageBuilder& MessageBuilder::status_for_hdr(const SyncHdr& peer, StatusCode code,
                                               std::optional<Chal> chal) {
    Status s;
    s.msg_ref = peer.msg_id;
    s.cmd_ref = CmdId{0};
    s.cmd = "SyncHdr";
    s.code = code;
    s.target_refs.push_back(peer.target.loc_uri);
    s.source_refs.push_back(peer.source.loc_uri);
    s.chal = std::move(chal);
    return command(std::move(s));
}

MessageBuilder& MessageBuilder::status_for(const SyncHdr& peer, const Command& cmd, StatusCode code) {
    std::vector<std::string> targets;
    std::vector<std::string> sources;
    std::visit(
        [&](const auto& c) {
            using T = std::decay_t<decltype(c)>;
            const Item* first = nullptr;
            if constexpr (std::is_base_of_v<ItemCommand, T> || std::is_same_v<T, Alert>) {
                first = c.items.empty() ? nullptr : &c.items.front();
            } else if constexpr (std::is_same_v<T, Exec>) {
                first = &c.item;
            }
            if (first != nullptr && first->target) targets.push_back(first->target->loc_uri);
            if (first != nullptr && first->source) sources.push_back(first->source->loc_uri);
        },
        cmd.variant());
    return status(peer.msg_id, command_id(cmd), command_name(cmd), code, std::move(targets),
                  std::move(sources));
}

MessageBuilder& MessageBuilder::results(MsgId msg_ref, CmdId cmd_ref, std::vector<Item> items) {
    Results r;
    r.msg_ref = msg_ref;
    r.cmd_ref = cmd_ref;
    r.items = std::move(items);
    return command(std::move(r));
}

MessageBuilder& MessageBuilder::finality(Finality f) {
    msg_.final = f == Finality::Final;
    return *this;
}

Message MessageBuilder::build() const {
    return msg_;
}

} // namespace omadm::syncml
