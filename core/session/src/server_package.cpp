// Building and packing server messages: the SyncHdr, the queued management commands released at
// the end of each client package (within the client's MaxObjSize), packing under the client's
// MaxMsgSize, and the bookkeeping of what was sent and still needs a Status.
#include "omadm/syncml/builder.hpp"
#include "server_session_impl.hpp"
#include "wire.hpp"

#include <algorithm>
#include <utility>

namespace omadm::session {

syncml::SyncHdr ServerSession::Impl::header() const {
    syncml::SyncHdr h = syncml::make_hdr(session_id, MsgId{next_msg}, client_uri, cfg.server_uri, ver_proto);
    h.resp_uri = auth.resp_uri();
    h.meta = syncml::Meta{};
    h.meta->max_msg_size = cfg.max_msg_size;
    h.meta->max_obj_size = cfg.max_obj_size;
    return h;
}

const syncml::Message& ServerSession::Impl::send(Step& step, std::vector<syncml::Command> prelude,
                                                 bool peer_has_more, TimePoint now) {
    Outbound out;
    auto& h = out.message.hdr;
    h = header();
    ++next_msg;
    h.cred = auth.server_cred();
    std::uint32_t next_id = 1;
    const auto placed = outbox.fill_after(std::move(prelude), out.message, next_id, peer.max_msg,
                                          sizer_or_estimate(cfg.sizer));
    record_sent(out.message, placed);
    if (peer_has_more && outbox.empty() && placed.empty()) {
        syncml::Alert more = detail::make_alert(syncml::alert_code::kNextMessage);
        more.cmd_id = CmdId{next_id++};
        out.message.body.emplace_back(std::move(more));
    }
    out.message.final = outbox.empty() && !peer_has_more;
    out.mac = auth.mac_key();
    step.send.push_back(std::move(out));
    deadline = now + cfg.response_timeout;
    return step.send.back().message;
}

void ServerSession::Impl::record_sent(const syncml::Message& msg, const std::vector<detail::Placed>& placed) {
    const std::uint32_t id = msg.hdr.msg_id.value();
    for (const auto& p : placed) {
        if (p.tag == 0) continue;
        const auto it = std::find_if(msg.body.begin(), msg.body.end(),
                                     [&](const auto& c) { return syncml::command_id(c) == p.cmd_id; });
        sent[{id, p.cmd_id.value()}] =
            SentRef{p.tag, std::nullopt, syncml::command_name(*it), false, p.more_data, *it};
        const auto* members = detail::members_of(*it);
        for (std::size_t i = 0; i < p.member_ids.size(); ++i) {
            sent[{id, p.member_ids[i].value()}] =
                SentRef{p.tag, i, syncml::command_name((*members)[i]), false, false, std::nullopt};
        }
    }
}

std::uint64_t ServerSession::Impl::size_alone(const syncml::Command& command) const {
    syncml::Message m;
    m.hdr = header();
    std::uint32_t id = 1;
    syncml::Command hdr_status = detail::status_for_header(m.hdr, StatusCode::Ok); // every answer has one
    (void)detail::assign_ids(hdr_status, id);
    m.body.push_back(std::move(hdr_status));
    syncml::Command c = command;
    (void)detail::assign_ids(c, id);
    m.body.push_back(std::move(c));
    const MessageSizer sizer = sizer_or_estimate(cfg.sizer);
    return sizer(m);
}

void ServerSession::Impl::release_queue(Step& step) {
    for (auto& [ticket, command] : queue) {
        const std::uint64_t size = detail::largest_object(command);
        if (peer.max_obj && size > *peer.max_obj) {
            step.events.emplace_back(event::ObjectTooLarge{
                CommandTicket{ticket}, syncml::command_name(command), size, *peer.max_obj});
            continue;
        }
        if (peer.max_msg && !detail::chunkable(command)) {
            // Sending it would break the client's MaxMsgSize, and holding it would hold every later
            // command: it is not sent, and the shell learns why.
            if (const std::uint64_t alone = size_alone(command); alone > *peer.max_msg) {
                step.events.emplace_back(event::CommandTooLarge{
                    CommandTicket{ticket}, syncml::command_name(command), alone, *peer.max_msg});
                continue;
            }
        }
        outbox.push(std::move(command), ticket);
    }
    queue.clear();
}

void ServerSession::Impl::close_package(MsgId msg_id, Step& step) {
    for (auto it = sent.begin(); it != sent.end();) {
        if (!it->second.answered) {
            step.findings.push_back(detail::osr("no Status for " + it->second.cmd + " " +
                                                    std::to_string(it->first.second) + " of message " +
                                                    std::to_string(it->first.first),
                                                msg_id, CmdId{it->first.second}, "SyncBody/Status"));
        }
        it = sent.erase(it);
    }
    if (auto broken = assembler.interrupt()) outbox.push(std::move(*broken));
    if (outbox.empty()) release_queue(step);
}

} // namespace omadm::session
