// Building and packing client messages: the SyncHdr, Package 1 (Alert 1200/1201, DevInfo, queued
// Generic Alerts), and the packing of statuses, Results and alerts under the server's MaxMsgSize.
#include "client_session_impl.hpp"
#include "omadm/syncml/builder.hpp"
#include "wire.hpp"

#include <utility>

namespace omadm::session {
namespace {

syncml::Command dev_info_replace(const DevInfo& d) {
    syncml::Replace r;
    const auto add = [&r](const std::string& leaf, const std::string& value) {
        syncml::Item item;
        item.source = syncml::Location{"./DevInfo/" + leaf, std::nullopt};
        item.data = value;
        r.items.push_back(std::move(item));
    };
    add("DevId", d.dev_id);
    add("Man", d.man);
    add("Mod", d.mod);
    add("DmV", d.dmv);
    add("Lang", d.lang);
    for (const auto& [leaf, value] : d.extra)
        add(leaf, value);
    return r;
}

syncml::Command generic_alert_command(const GenericAlert& a) {
    syncml::Alert alert = detail::make_alert(syncml::alert_code::kGenericAlert);
    alert.correlator = a.correlator;
    for (const auto& gi : a.items) {
        syncml::Item item;
        if (gi.source) item.source = syncml::Location{*gi.source, std::nullopt};
        if (gi.target) item.target = syncml::Location{*gi.target, std::nullopt};
        syncml::Meta meta;
        meta.type = gi.type;
        meta.format = gi.format;
        meta.mark = gi.mark;
        item.meta = meta;
        item.data = gi.data;
        alert.items.push_back(std::move(item));
    }
    return alert;
}

} // namespace

syncml::SyncHdr ClientSession::Impl::header() {
    syncml::SyncHdr h = syncml::make_hdr(cfg.session_id, MsgId{next_msg++}, cfg.account.server_uri,
                                         cfg.dev_info.dev_id, cfg.ver_proto);
    if (auth.scheme() != AuthScheme::None) h.source.loc_name = cfg.account.user;
    h.cred = auth.cred();
    h.meta = syncml::Meta{};
    h.meta->max_msg_size = cfg.max_msg_size;
    h.meta->max_obj_size = cfg.max_obj_size;
    return h;
}

void ClientSession::Impl::queue_package1() {
    outbox.clear();
    package_handled = 0;
    const std::uint16_t code = cfg.trigger == SessionTrigger::ServerInitiated
                                   ? syncml::alert_code::kServerInitiatedMgmt
                                   : syncml::alert_code::kClientInitiatedMgmt;
    outbox.push(detail::make_alert(code));
    outbox.push(dev_info_replace(cfg.dev_info));
    unsent.clear();
    sent_alerts.clear();
    for (const auto& [ticket, alert] : unacked)
        unsent.push_back(ticket);
    queue_unsent_alerts();
}

void ClientSession::Impl::queue_unsent_alerts() {
    for (const auto ticket : unsent)
        outbox.push(generic_alert_command(unacked.at(ticket)), ticket);
    unsent.clear();
}

void ClientSession::Impl::restart_with_fallback_version(Step& step, TimePoint now) {
    step.events.emplace_back(event::VersionFallback{cfg.ver_proto, cfg.fallback_ver_proto});
    cfg.ver_proto = cfg.fallback_ver_proto;
    version_retried = true;
    next_msg = 1;
    peer = {};
    destination = cfg.account.server_uri;
    assembler = detail::ChunkAssembler{};
    (void)auth.begin_attempt();
    queue_package1();
    send(step, {}, false, now);
    state = ClientState::AwaitingPackage2;
}

void ClientSession::Impl::send(Step& step, std::vector<syncml::Command> prelude, bool peer_has_more,
                               TimePoint now) {
    Outbound out;
    out.message.hdr = header();
    std::uint32_t next_id = 1;
    const auto placed = outbox.fill_after(std::move(prelude), out.message, next_id, peer.max_msg,
                                          sizer_or_estimate(cfg.sizer));
    for (const auto& p : placed) {
        if (p.tag != 0) sent_alerts[{out.message.hdr.msg_id.value(), p.cmd_id.value()}] = p.tag;
    }
    if (peer_has_more && outbox.empty() && placed.empty()) {
        syncml::Alert more = detail::make_alert(syncml::alert_code::kNextMessage);
        more.cmd_id = CmdId{next_id++};
        out.message.body.emplace_back(std::move(more));
    }
    out.message.final = outbox.empty() && !peer_has_more;
    // Our Final closes the client package: what the server sends next is a new server package.
    if (out.message.final) package_had_commands = false;
    out.mac = auth.mac_key();
    out.destination = destination;
    step.send.push_back(std::move(out));
    deadline = now + cfg.response_timeout;
}

} // namespace omadm::session
