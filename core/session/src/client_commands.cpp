// Reading server messages on the client: SyncHdr checks, Status bookkeeping (Generic Alert
// acknowledgements), and executing management commands through the CommandHandler, with large
// object reassembly and the MaxObjSize limits of both sides.
#include "client_session_impl.hpp"
#include "wire.hpp"

#include <span>
#include <utility>
#include <variant>

namespace omadm::session {

using detail::osr;

void ClientSession::Impl::check_wire(const Inbound& in, Step& step) {
    const auto& h = in.message.hdr;
    // The response is in the session's protocol version (OMA-TS-DM_RepPro-V1_2_1, the VerProto element).
    if (h.ver_proto != cfg.ver_proto) {
        step.findings.push_back(osr("VerProto " + h.ver_proto + " in a " + cfg.ver_proto + " session",
                                    h.msg_id, std::nullopt, "SyncHdr/VerProto"));
    }
    for (auto& f : detail::message_findings(in.message))
        step.findings.push_back(std::move(f));
    // A WBXML response comes in the WBXML version of the request (docs/control-api.md, DM sessions):
    // the version of the client's requests is cfg.wbxml_version.
    const auto form = syncml::wbxml_form(std::as_bytes(std::span(in.body.data(), in.body.size())));
    if (form && form->version != cfg.wbxml_version) {
        step.findings.push_back(osr("WBXML version byte " + std::to_string(form->version) +
                                        " answers a request of version " + std::to_string(cfg.wbxml_version),
                                    h.msg_id, std::nullopt, "WBXML header"));
    }
}

void ClientSession::Impl::check_header(const syncml::Message& m, Step& step) {
    const auto& h = m.hdr;
    if (h.session_id != cfg.session_id) {
        step.findings.push_back(
            osr("SessionID " + h.session_id.value() + " differs from " + cfg.session_id.value(), h.msg_id,
                std::nullopt, "SyncHdr/SessionID"));
    }
    peer.receive(h, step.findings);
    if (h.resp_uri) destination = *h.resp_uri;
    const bool first_is_hdr_status = !m.body.empty() &&
                                     std::holds_alternative<syncml::Status>(m.body.front().variant()) &&
                                     std::get<syncml::Status>(m.body.front().variant()).cmd_ref.value() == 0;
    if (!first_is_hdr_status) {
        step.findings.push_back(osr("the first command is not the Status for the client's SyncHdr", h.msg_id,
                                    std::nullopt, "SyncBody/Status[1]"));
    }
}

void ClientSession::Impl::on_status(const syncml::Status& s, Step& step) {
    if (s.cmd_ref.value() == 0) return;
    const auto it = sent_alerts.find({s.msg_ref.value(), s.cmd_ref.value()});
    if (it != sent_alerts.end()) {
        const AlertTicket ticket{it->second};
        sent_alerts.erase(it);
        if (s.code == StatusCode::Ok || s.code == StatusCode::Accepted) unacked.erase(ticket.value());
        step.events.emplace_back(event::AlertAcknowledged{ticket, s.code});
        return;
    }
    step.events.emplace_back(event::CommandStatusReceived{std::nullopt, std::nullopt, s.msg_ref, s.cmd_ref,
                                                          s.cmd, s.code, s.items});
}

void ClientSession::Impl::on_command(const syncml::Command& c, MsgId msg_id, StatusCode my_hdr_status,
                                     std::vector<syncml::Command>& statuses, Step& step) {
    if (const auto* s = std::get_if<syncml::Status>(&c.variant())) {
        // Statuses of a server whose credentials failed acknowledge nothing (alerts stay queued).
        if (my_hdr_status == StatusCode::Ok) on_status(*s, step);
    } else if (std::holds_alternative<syncml::Results>(c.variant())) {
        step.findings.push_back(
            osr("server sent Results", msg_id, syncml::command_id(c), "SyncBody/Results"));
    } else if (my_hdr_status != StatusCode::Ok) {
        statuses.emplace_back(detail::status_for(msg_id, c, my_hdr_status));
    } else if (detail::is_alert(c, syncml::alert_code::kNextMessage)) {
        statuses.emplace_back(detail::status_for(msg_id, c, StatusCode::Ok));
    } else {
        package_had_commands = true;
        execute(c, msg_id, statuses, step);
    }
}

std::optional<StatusCode> ClientSession::Impl::check_object_size(const syncml::Command& c, MsgId msg_id,
                                                                 Step& step) {
    const std::uint64_t size = detail::largest_object(c);
    if (size <= cfg.max_obj_size) return std::nullopt;
    step.findings.push_back(osr(std::string(syncml::command_name(c)) + " carries an object of " +
                                    std::to_string(size) + " bytes, over the MaxObjSize " +
                                    std::to_string(cfg.max_obj_size) + " the client advertised",
                                msg_id, syncml::command_id(c), "SyncBody/Item/Data"));
    return StatusCode::RequestEntityTooLarge;
}

void ClientSession::Impl::execute(const syncml::Command& c, MsgId msg_id,
                                  std::vector<syncml::Command>& statuses, Step& step) {
    auto fed = assembler.feed(c);
    if (fed.interrupted) outbox.push(std::move(*fed.interrupted));
    std::optional<StatusCode> refused;
    switch (fed.kind) {
    case detail::ChunkAssembler::Kind::Buffered:
        statuses.emplace_back(detail::status_for(msg_id, c, StatusCode::ChunkedItemAccepted));
        return;
    case detail::ChunkAssembler::Kind::SizeMismatch:
        refused = StatusCode::SizeMismatch;
        break;
    case detail::ChunkAssembler::Kind::Whole:
    case detail::ChunkAssembler::Kind::Complete:
        refused = check_object_size(fed.command, msg_id, step);
        break;
    }
    if (refused) {
        statuses.emplace_back(detail::status_for(msg_id, c, *refused));
        step.events.emplace_back(
            event::CommandExecuted{msg_id, syncml::command_id(c), syncml::command_name(c), *refused});
        return;
    }
    const CommandContext ctx{cfg.session_id, cfg.account.server_id, msg_id, cfg.ver_proto, input_time};
    const CommandOutcome outcome = handler->handle(fed.command, ctx);
    const std::size_t first = statuses.size();
    message_handled.push_back(first);
    append_statuses(c, outcome, msg_id, statuses, step);
    const StatusCode code = std::get<syncml::Status>(statuses[first].variant()).code;
    step.events.emplace_back(
        event::CommandExecuted{msg_id, syncml::command_id(c), syncml::command_name(c), code});
}

StatusCode ClientSession::Impl::queue_results(const syncml::Command& received, const ResultsPayload& results,
                                              MsgId msg_id, Step& step) {
    syncml::Results r;
    r.msg_ref = msg_id;
    r.cmd_ref = syncml::command_id(received);
    r.meta = results.meta;
    r.items = results.items;
    syncml::Command command{std::move(r)};
    const std::uint64_t size = detail::largest_object(command);
    if (peer.max_obj && size > *peer.max_obj) {
        step.events.emplace_back(
            event::ObjectTooLarge{std::nullopt, syncml::command_name(command), size, *peer.max_obj});
        return StatusCode::RequestEntityTooLarge;
    }
    outbox.push(std::move(command));
    return StatusCode::Ok;
}

void ClientSession::Impl::append_statuses(const syncml::Command& received, const CommandOutcome& outcome,
                                          MsgId msg_id, std::vector<syncml::Command>& statuses, Step& step) {
    StatusCode code = outcome.code;
    if (outcome.results && base::is_success(code)) {
        if (queue_results(received, *outcome.results, msg_id, step) != StatusCode::Ok) {
            code = StatusCode::RequestEntityTooLarge;
        }
    }
    syncml::Status st = detail::status_for(msg_id, received, code);
    st.items = outcome.status_items;
    statuses.emplace_back(std::move(st));
    if (const auto* members = detail::members_of(received)) {
        for (std::size_t i = 0; i < members->size(); ++i) {
            const CommandOutcome member = i < outcome.members.size()
                                              ? outcome.members[i]
                                              : CommandOutcome{StatusCode::CommandFailed, {}, {}, {}};
            append_statuses((*members)[i], member, msg_id, statuses, step);
        }
    }
}

} // namespace omadm::session
