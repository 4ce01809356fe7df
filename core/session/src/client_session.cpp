#include "omadm/session/client_session.hpp"

#include "chunk_assembler.hpp"
#include "client_auth.hpp"
#include "outbox.hpp"
#include "wire.hpp"

#include <map>
#include <utility>
#include <variant>

namespace omadm::session {

using detail::ChunkAssembler;
using detail::Outbox;

std::string_view client_state_name(ClientState s) noexcept {
    switch (s) {
        case ClientState::Idle: return "Idle";
        case ClientState::AwaitingPackage2: return "AwaitingPackage2";
        case ClientState::AwaitingPackage4: return "AwaitingPackage4";
        case ClientState::Ended: return "Ended";
    }
    return "Unknown";
}

struct ClientSession::Impl {
    Impl(ClientConfig c, CommandHandler& h) : cfg(std::move(c)), handler(&h), auth(cfg) {}

    ClientConfig cfg;
    CommandHandler* handler;
    detail::ClientAuth auth;
    ClientState state = ClientState::Idle;
    std::uint32_t next_msg = 1;
    std::optional<std::uint32_t> last_peer_msg;
    std::string destination;
    std::optional<std::uint64_t> peer_max_msg;
    Outbox outbox;
    ChunkAssembler assembler;
    std::uint64_t next_ticket = 1;
    std::map<std::uint64_t, GenericAlert> unacked;  // ticket -> alert, until 200/202
    std::vector<std::uint64_t> unsent;               // tickets not placed in a message yet
    std::map<std::pair<std::uint32_t, std::uint32_t>, std::uint64_t> sent_alerts;  // (MsgID, CmdID) -> ticket
    bool package_had_commands = false;
    std::optional<TimePoint> deadline;

    // --- transitions -------------------------------------------------------------------------
    Step transition_start(TimePoint now);
    Step transition_message(const Inbound& in, TimePoint now);
    void end(Step& step, EndReason reason, std::string detail) {
        state = ClientState::Ended;
        deadline.reset();
        SessionEnd e{reason, std::move(detail)};
        step.events.emplace_back(event::SessionEnded{e});
        step.end = std::move(e);
    }

    // --- building ----------------------------------------------------------------------------
    syncml::SyncHdr header();
    void queue_package1();
    void queue_unsent_alerts();
    void send(Step& step, std::vector<syncml::Command> prelude, bool peer_has_more, TimePoint now);

    // --- receiving ---------------------------------------------------------------------------
    void check_header(const syncml::Message& m, Step& step);
    void on_status(const syncml::Status& s, Step& step);
    void execute(const syncml::Command& c, MsgId msg_id, std::vector<syncml::Command>& statuses, Step& step);
    void append_statuses(const syncml::Command& received, const CommandOutcome& outcome, MsgId msg_id,
                         std::vector<syncml::Command>& statuses);
};

syncml::SyncHdr ClientSession::Impl::header() {
    syncml::SyncHdr h;
    h.ver_proto = cfg.ver_proto;
    h.session_id = cfg.session_id;
    h.msg_id = MsgId{next_msg++};
    h.target.loc_uri = cfg.account.server_uri;
    h.source.loc_uri = cfg.dev_info.dev_id;
    if (auth.scheme() != AuthScheme::None) h.source.loc_name = cfg.account.user;
    h.cred = auth.cred();
    syncml::Meta meta;
    meta.max_msg_size = cfg.max_msg_size;
    meta.max_obj_size = cfg.max_obj_size;
    h.meta = meta;
    return h;
}

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
    for (const auto& [leaf, value] : d.extra) add(leaf, value);
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

bool contains_alert(const syncml::Message& m, std::uint16_t code) {
    for (const auto& c : m.body) {
        if (detail::is_alert(c, code)) return true;
    }
    return false;
}

}  // namespace

void ClientSession::Impl::queue_package1() {
    outbox.clear();
    const std::uint16_t code = cfg.trigger == SessionTrigger::ServerInitiated
                                   ? syncml::alert_code::kServerInitiatedMgmt
                                   : syncml::alert_code::kClientInitiatedMgmt;
    outbox.push(detail::make_alert(code));
    outbox.push(dev_info_replace(cfg.dev_info));
    unsent.clear();
    for (const auto& [ticket, alert] : unacked) unsent.push_back(ticket);
    queue_unsent_alerts();
}

void ClientSession::Impl::queue_unsent_alerts() {
    for (const auto ticket : unsent) outbox.push(generic_alert_command(unacked.at(ticket)), ticket);
    unsent.clear();
}

void ClientSession::Impl::send(Step& step, std::vector<syncml::Command> prelude, bool peer_has_more,
                               TimePoint now) {
    Outbound out;
    out.message.hdr = header();
    std::uint32_t next_id = 1;
    for (auto& c : prelude) {
        (void)detail::assign_ids(c, next_id);
        out.message.body.push_back(std::move(c));
    }
    const MessageSizer sizer = cfg.sizer ? cfg.sizer : MessageSizer{approximate_size};
    const auto placed = outbox.fill(out.message, next_id, peer_max_msg, sizer);
    for (const auto& p : placed) {
        if (p.tag != 0) sent_alerts[{out.message.hdr.msg_id.value(), p.cmd_id.value()}] = p.tag;
    }
    if (peer_has_more && outbox.empty() && placed.empty()) {
        syncml::Alert more = detail::make_alert(syncml::alert_code::kNextMessage);
        more.cmd_id = CmdId{next_id++};
        out.message.body.emplace_back(std::move(more));
    }
    out.message.final = outbox.empty() && !peer_has_more;
    out.mac = auth.mac_key();
    out.destination = destination;
    step.send.push_back(std::move(out));
    deadline = now + cfg.response_timeout;
}

Step ClientSession::Impl::transition_start(TimePoint now) {
    Step step;
    switch (state) {
        case ClientState::Idle: break;
        case ClientState::AwaitingPackage2:
        case ClientState::AwaitingPackage4:
        case ClientState::Ended: return step;  // start() twice is a no-op
    }
    destination = cfg.account.server_uri;
    (void)auth.begin_attempt();
    queue_package1();
    send(step, {}, false, now);
    state = ClientState::AwaitingPackage2;
    return step;
}

void ClientSession::Impl::check_header(const syncml::Message& m, Step& step) {
    const auto& h = m.hdr;
    if (h.session_id != cfg.session_id) {
        step.findings.push_back(Finding{req::MgmtPolicyMO_OSR_01,
                                        "SessionID " + h.session_id.value() + " differs from " +
                                            cfg.session_id.value(),
                                        Evidence{h.msg_id, std::nullopt, "SyncHdr/SessionID"}});
    }
    const std::uint32_t expected = last_peer_msg ? *last_peer_msg + 1 : 1;
    if (h.msg_id.value() != expected) {
        step.findings.push_back(Finding{req::MgmtPolicyMO_OSR_01,
                                        "MsgID " + std::to_string(h.msg_id.value()) + ", expected " +
                                            std::to_string(expected),
                                        Evidence{h.msg_id, std::nullopt, "SyncHdr/MsgID"}});
    }
    last_peer_msg = h.msg_id.value();
    if (h.meta && h.meta->max_msg_size) peer_max_msg = h.meta->max_msg_size;
    if (h.resp_uri) destination = *h.resp_uri;
    const bool first_is_hdr_status =
        !m.body.empty() && std::holds_alternative<syncml::Status>(m.body.front().variant()) &&
        std::get<syncml::Status>(m.body.front().variant()).cmd_ref.value() == 0;
    if (!first_is_hdr_status) {
        step.findings.push_back(Finding{req::MgmtPolicyMO_OSR_01,
                                        "the first command is not the Status for the client's SyncHdr",
                                        Evidence{h.msg_id, std::nullopt, "SyncBody/Status[1]"}});
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
    step.events.emplace_back(
        event::CommandStatusReceived{std::nullopt, std::nullopt, s.msg_ref, s.cmd_ref, s.cmd, s.code, s.items});
}

void ClientSession::Impl::append_statuses(const syncml::Command& received, const CommandOutcome& outcome,
                                          MsgId msg_id, std::vector<syncml::Command>& statuses) {
    syncml::Status st = detail::status_for(msg_id, received, outcome.code);
    st.items = outcome.status_items;
    statuses.emplace_back(std::move(st));
    if (const auto* members = detail::members_of(received)) {
        for (std::size_t i = 0; i < members->size(); ++i) {
            const CommandOutcome member = i < outcome.members.size()
                                              ? outcome.members[i]
                                              : CommandOutcome{StatusCode::CommandFailed, {}, {}, {}};
            append_statuses((*members)[i], member, msg_id, statuses);
        }
    }
    if (outcome.results && base::is_success(outcome.code)) {
        syncml::Results r;
        r.msg_ref = msg_id;
        r.cmd_ref = detail::id_of(received);
        r.meta = outcome.results->meta;
        r.items = outcome.results->items;
        outbox.push(std::move(r));
    }
}

void ClientSession::Impl::execute(const syncml::Command& c, MsgId msg_id, std::vector<syncml::Command>& statuses,
                                  Step& step) {
    auto fed = assembler.feed(c);
    if (fed.interrupted) outbox.push(std::move(*fed.interrupted));
    switch (fed.kind) {
        case ChunkAssembler::Kind::Buffered:
            statuses.emplace_back(detail::status_for(msg_id, c, StatusCode::ChunkedItemAccepted));
            return;
        case ChunkAssembler::Kind::SizeMismatch:
            statuses.emplace_back(detail::status_for(msg_id, c, StatusCode::SizeMismatch));
            step.events.emplace_back(event::CommandExecuted{msg_id, detail::id_of(c), detail::name_of(c),
                                                            StatusCode::SizeMismatch});
            return;
        case ChunkAssembler::Kind::Whole:
        case ChunkAssembler::Kind::Complete: break;
    }
    const CommandContext ctx{cfg.session_id, cfg.account.server_id, msg_id, cfg.ver_proto};
    const CommandOutcome outcome = handler->handle(fed.command, ctx);
    append_statuses(c, outcome, msg_id, statuses);
    step.events.emplace_back(event::CommandExecuted{msg_id, detail::id_of(c), detail::name_of(c), outcome.code});
}

Step ClientSession::Impl::transition_message(const Inbound& in, TimePoint now) {
    Step step;
    switch (state) {
        case ClientState::Idle:
        case ClientState::Ended:
            step.findings.push_back(Finding{req::MgmtPolicyMO_OSR_01, "message received outside a session",
                                            Evidence{in.message.hdr.msg_id, std::nullopt, "SyncHdr"}});
            return step;
        case ClientState::AwaitingPackage2:
        case ClientState::AwaitingPackage4: break;
    }
    const syncml::Message& m = in.message;
    check_header(m, step);
    if (contains_alert(m, syncml::alert_code::kSessionAbort)) {
        end(step, EndReason::AbortedByPeer, "server sent Alert 1223");
        return step;
    }
    StatusCode my_hdr_status = StatusCode::Ok;
    if (!auth.verify_server(in, step)) my_hdr_status = StatusCode::InvalidCredentials;

    const auto verdict = auth.on_header_status(detail::header_status(m), step);
    switch (verdict) {
        case detail::ClientAuth::Verdict::Proceed: break;
        case detail::ClientAuth::Verdict::Retry:
            if (!auth.begin_attempt()) {
                end(step, EndReason::AuthFailed, "authentication attempts exhausted");
                return step;
            }
            assembler = ChunkAssembler{};
            queue_package1();
            send(step, {detail::status_for_header(m.hdr, my_hdr_status)}, false, now);
            state = ClientState::AwaitingPackage2;
            return step;
        case detail::ClientAuth::Verdict::Fail:
            end(step, EndReason::AuthFailed, "server refused the credentials");
            return step;
        case detail::ClientAuth::Verdict::VersionRefused:
            end(step, EndReason::VersionNotSupported, "server answered 513 on the SyncHdr");
            return step;
        case detail::ClientAuth::Verdict::Error:
            end(step, EndReason::ProtocolError, "server refused the SyncHdr");
            return step;
    }

    std::vector<syncml::Command> statuses{detail::status_for_header(m.hdr, my_hdr_status)};
    for (const auto& c : m.body) {
        if (const auto* s = std::get_if<syncml::Status>(&c.variant())) {
            on_status(*s, step);
        } else if (std::holds_alternative<syncml::Results>(c.variant())) {
            step.findings.push_back(Finding{req::MgmtPolicyMO_OSR_01, "server sent Results",
                                            Evidence{m.hdr.msg_id, detail::id_of(c), "SyncBody/Results"}});
        } else if (my_hdr_status != StatusCode::Ok) {
            statuses.emplace_back(detail::status_for(m.hdr.msg_id, c, my_hdr_status));
        } else if (detail::is_alert(c, syncml::alert_code::kNextMessage)) {
            statuses.emplace_back(detail::status_for(m.hdr.msg_id, c, StatusCode::Ok));
        } else {
            package_had_commands = true;
            execute(c, m.hdr.msg_id, statuses, step);
        }
    }
    const bool peer_has_more = !m.final && !contains_alert(m, syncml::alert_code::kNextMessage);
    if (my_hdr_status != StatusCode::Ok) {
        outbox.clear();
        send(step, std::move(statuses), false, now);
        end(step, EndReason::AuthFailed, "server credentials refused");
        return step;
    }
    if (m.final) {
        if (!package_had_commands && outbox.empty() && unsent.empty()) {
            end(step, EndReason::Completed, "server package without commands");
            return step;
        }
        package_had_commands = false;
        if (auto broken = assembler.interrupt()) outbox.push(std::move(*broken));
        queue_unsent_alerts();
    }
    send(step, std::move(statuses), peer_has_more, now);
    state = ClientState::AwaitingPackage4;
    return step;
}

ClientSession::ClientSession(ClientConfig config, CommandHandler& handler)
    : impl_(std::make_unique<Impl>(std::move(config), handler)) {}
ClientSession::~ClientSession() = default;
ClientSession::ClientSession(ClientSession&&) noexcept = default;
ClientSession& ClientSession::operator=(ClientSession&&) noexcept = default;

AlertTicket ClientSession::queue_generic_alert(GenericAlert alert) {
    const std::uint64_t t = impl_->next_ticket++;
    impl_->unacked.emplace(t, std::move(alert));
    impl_->unsent.push_back(t);
    return AlertTicket{t};
}

Step ClientSession::start(TimePoint now) { return impl_->transition_start(now); }
Step ClientSession::on_message(const Inbound& in, TimePoint now) { return impl_->transition_message(in, now); }

Step ClientSession::on_timeout(TimePoint now) {
    Step step;
    if (impl_->state != ClientState::Ended && impl_->deadline && now >= *impl_->deadline) {
        impl_->end(step, EndReason::Timeout, "no server response before the deadline");
    }
    return step;
}

Step ClientSession::on_transport_error(std::string detail, TimePoint) {
    Step step;
    if (impl_->state != ClientState::Ended) impl_->end(step, EndReason::TransportFailure, std::move(detail));
    return step;
}

Step ClientSession::abort(TimePoint now) {
    Step step;
    if (impl_->state == ClientState::Ended) return step;
    impl_->outbox.clear();
    impl_->outbox.push(detail::make_alert(syncml::alert_code::kSessionAbort));
    impl_->send(step, {}, false, now);
    impl_->end(step, EndReason::AbortedLocally, "client sent Alert 1223");
    return step;
}

std::optional<TimePoint> ClientSession::next_deadline() const { return impl_->deadline; }
ClientState ClientSession::state() const { return impl_->state; }

}  // namespace omadm::session
