// Reading client messages on the server: SyncHdr checks, Package 1 (SessionStarted), statuses for
// the commands we sent, Results (reassembled, within our MaxObjSize), Generic Alerts and other
// client alerts.
#include "server_session_impl.hpp"
#include "wire.hpp"

#include <utility>
#include <variant>

namespace omadm::session {
namespace {

GenericAlertItem to_generic_item(const syncml::Item& item) {
    GenericAlertItem g;
    if (item.source) g.source = item.source->loc_uri;
    if (item.target) g.target = item.target->loc_uri;
    if (item.meta) {
        g.type = item.meta->type.value_or("");
        g.format = item.meta->format.value_or("");
        g.mark = item.meta->mark;
    }
    g.data = item.data.value_or("");
    return g;
}

} // namespace

using detail::osr;

void ServerSession::Impl::check_header(const syncml::Message& m, Step& step) {
    const auto& h = m.hdr;
    for (auto& f : detail::message_findings(m))
        step.findings.push_back(std::move(f));
    if (!peer.last_msg) {
        session_id = h.session_id;
        ver_proto = h.ver_proto;
        client_uri = h.source.loc_uri;
    } else if (h.session_id != session_id) {
        step.findings.push_back(
            osr("SessionID changed to " + h.session_id.value(), h.msg_id, std::nullopt, "SyncHdr/SessionID"));
    }
    peer.receive(h, step.findings);
}

void ServerSession::Impl::session_started(const syncml::Message& m, Step& step) {
    event::SessionStarted ev{session_id, ver_proto, 0, client_uri, cfg.server_uri, {}};
    for (const auto& c : m.body) {
        if (const auto* a = std::get_if<syncml::Alert>(&c.variant());
            a != nullptr && (a->code == syncml::alert_code::kClientInitiatedMgmt ||
                             a->code == syncml::alert_code::kServerInitiatedMgmt)) {
            ev.alert_code = a->code;
        } else if (const auto* r = std::get_if<syncml::Replace>(&c.variant())) {
            for (const auto& item : r->items) {
                if (item.source && item.source->loc_uri.find("DevInfo/") != std::string::npos) {
                    ev.dev_info.push_back(item);
                }
            }
        }
    }
    if (ev.alert_code == 0) {
        step.findings.push_back(
            osr("Package 1 without Alert 1200/1201", m.hdr.msg_id, std::nullopt, "SyncBody/Alert"));
    }
    if (ev.dev_info.empty()) {
        step.findings.push_back(
            osr("Package 1 without DevInfo Replace", m.hdr.msg_id, std::nullopt, "SyncBody/Replace"));
    }
    started = true;
    step.events.emplace_back(std::move(ev));
}

void ServerSession::Impl::on_status(const syncml::Status& s, MsgId msg_id, Step& step) {
    if (s.cmd_ref.value() == 0) {
        server_refused = auth.on_client_verdict(s, msg_id, step);
        return;
    }
    if (const auto code = base::to_int(s.code); code < 100 || code > 599) {
        // OMA-TS-SyncML_RepPro-V1_2 §10 defines the codes by class, 1xx to 5xx: another number says
        // nothing of what became of the command, which stays without its Status.
        step.findings.push_back(osr("Status code " + std::to_string(code) + " for " + s.cmd + " " +
                                        std::to_string(s.cmd_ref.value()) + " is outside 100-599",
                                    msg_id, s.cmd_id, "SyncBody/Status/Data"));
        return;
    }
    const auto it = sent.find({s.msg_ref.value(), s.cmd_ref.value()});
    const bool for_credentials =
        s.code == StatusCode::InvalidCredentials || s.code == StatusCode::MissingCredentials;
    if (server_refused && for_credentials && it != sent.end()) {
        // Not the command's outcome: the client did not trust the server yet. It goes again, with
        // the server's credentials, unless the client keeps refusing them (the batch then stays
        // unanswered, never done with a 407).
        it->second.answered = true;
        if (it->second.command && !auth.server_refused_for_good()) {
            refused_for_credentials.emplace_back(it->second.ticket, *it->second.command);
        }
        return;
    }
    event::CommandStatusReceived ev{std::nullopt, std::nullopt, s.msg_ref, s.cmd_ref, s.cmd, s.code, s.items};
    if (it != sent.end()) {
        it->second.answered = true;
        ev.ticket = CommandTicket{it->second.ticket};
        ev.member = it->second.member;
        // A refused chunk ends the object: its Status is the command's final one.
        if (it->second.more_data && s.code != StatusCode::ChunkedItemAccepted)
            outbox.drop_started(it->second.ticket);
    }
    step.events.emplace_back(std::move(ev));
}

void ServerSession::Impl::on_results(const syncml::Command& c, MsgId msg_id,
                                     std::vector<syncml::Command>& statuses, Step& step) {
    auto fed = assembler.feed(c);
    if (fed.interrupted) outbox.push(std::move(*fed.interrupted));
    switch (fed.kind) {
    case detail::ChunkAssembler::Kind::Buffered:
        statuses.emplace_back(detail::status_for(msg_id, c, StatusCode::ChunkedItemAccepted));
        return;
    case detail::ChunkAssembler::Kind::SizeMismatch:
        statuses.emplace_back(detail::status_for(msg_id, c, StatusCode::SizeMismatch));
        return;
    case detail::ChunkAssembler::Kind::Whole:
    case detail::ChunkAssembler::Kind::Complete:
        break;
    }
    if (const std::uint64_t size = detail::largest_object(fed.command); size > cfg.max_obj_size) {
        step.findings.push_back(osr("Results carry an object of " + std::to_string(size) +
                                        " bytes, over the MaxObjSize " + std::to_string(cfg.max_obj_size) +
                                        " the server advertised",
                                    msg_id, syncml::command_id(c), "SyncBody/Results/Item/Data"));
        statuses.emplace_back(detail::status_for(msg_id, c, StatusCode::RequestEntityTooLarge));
        return;
    }
    const auto& r = std::get<syncml::Results>(fed.command.variant());
    event::ResultsReceived ev{std::nullopt, std::nullopt, r.msg_ref.value_or(MsgId{}),
                              r.cmd_ref,    r.meta,       r.items};
    if (const auto it = sent.find({ev.msg_ref.value(), r.cmd_ref.value()}); it != sent.end()) {
        ev.ticket = CommandTicket{it->second.ticket};
        ev.member = it->second.member;
    }
    step.events.emplace_back(std::move(ev));
}

void ServerSession::Impl::on_alert(const syncml::Alert& a, const syncml::Command& c, MsgId msg_id,
                                   std::vector<syncml::Command>& statuses, Step& step) {
    StatusCode code = StatusCode::Ok;
    switch (a.code) {
    case syncml::alert_code::kGenericAlert:
        code = cfg.generic_alert_reply;
        for (const auto& item : a.items) {
            step.events.emplace_back(
                event::GenericAlertReceived{msg_id, a.cmd_id, a.correlator, to_generic_item(item), code});
        }
        if (!cfg.acknowledge_generic_alerts) return;
        break;
    case syncml::alert_code::kClientInitiatedMgmt:
    case syncml::alert_code::kServerInitiatedMgmt:
    case syncml::alert_code::kNextMessage:
    case syncml::alert_code::kClientEvent:
        break;
    case syncml::alert_code::kNoEndOfData:
        step.findings.push_back(
            osr("client reported an interrupted large object", msg_id, a.cmd_id, "SyncBody/Alert"));
        step.findings.back().severity = Severity::Info; // Alert 1225 is the protocol's own way to say so
        break;
    default:
        code = StatusCode::OptionalFeatureNotSupported;
        break;
    }
    statuses.emplace_back(detail::status_for(msg_id, c, code));
}

void ServerSession::Impl::on_command(const syncml::Command& c, MsgId msg_id,
                                     std::vector<syncml::Command>& statuses, Step& step) {
    switch (syncml::kind_of(c)) {
    case syncml::CommandKind::Status:
        on_status(std::get<syncml::Status>(c.variant()), msg_id, step);
        return;
    case syncml::CommandKind::Results:
        on_results(c, msg_id, statuses, step);
        return;
    case syncml::CommandKind::Alert:
        on_alert(std::get<syncml::Alert>(c.variant()), c, msg_id, statuses, step);
        return;
    case syncml::CommandKind::Replace: // DevInfo in Package 1 and 3
        statuses.emplace_back(detail::status_for(msg_id, c, StatusCode::Ok));
        return;
    case syncml::CommandKind::Add:
    case syncml::CommandKind::Atomic:
    case syncml::CommandKind::Copy:
    case syncml::CommandKind::Delete:
    case syncml::CommandKind::Exec:
    case syncml::CommandKind::Get:
    case syncml::CommandKind::Sequence:
        break;
    }
    step.findings.push_back(osr(std::string("client sent ") + syncml::command_name(c), msg_id,
                                syncml::command_id(c), "SyncBody"));
    statuses.emplace_back(detail::status_for(msg_id, c, StatusCode::CommandNotAllowed));
}

} // namespace omadm::session
