#include "omadm/session/server_session.hpp"

#include "chunk_assembler.hpp"
#include "outbox.hpp"
#include "server_auth.hpp"
#include "wire.hpp"

#include <algorithm>
#include <deque>
#include <map>
#include <utility>
#include <variant>

namespace omadm::session {

using detail::ChunkAssembler;
using detail::Outbox;

std::string_view server_state_name(ServerState s) noexcept {
    switch (s) {
        case ServerState::AwaitingPackage1: return "AwaitingPackage1";
        case ServerState::AwaitingPackage3: return "AwaitingPackage3";
        case ServerState::Ended: return "Ended";
    }
    return "Unknown";
}

namespace {

bool contains_alert(const syncml::Message& m, std::uint16_t code) {
    return std::any_of(m.body.begin(), m.body.end(), [code](const auto& c) { return detail::is_alert(c, code); });
}

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

}  // namespace

struct ServerSession::Impl {
    Impl(ServerConfig c, base::Random& r) : cfg(std::move(c)), auth(cfg, r) {}

    struct SentRef {
        std::uint64_t ticket = 0;
        std::optional<std::size_t> member;
        std::string cmd;
        bool answered = false;
    };

    ServerConfig cfg;
    detail::ServerAuth auth;
    ServerState state = ServerState::AwaitingPackage1;
    bool started = false;
    SessionId session_id;
    std::string ver_proto;
    std::string client_uri;
    std::uint32_t next_msg = 1;
    std::optional<std::uint32_t> last_peer_msg;
    std::optional<std::uint64_t> peer_max_msg;
    Outbox outbox;
    ChunkAssembler assembler;
    std::deque<std::pair<std::uint64_t, syncml::Command>> queue;
    std::uint64_t next_ticket = 1;
    std::map<std::pair<std::uint32_t, std::uint32_t>, SentRef> sent;
    bool abort_requested = false;
    std::optional<TimePoint> deadline;

    Step transition(const Inbound& in, TimePoint now);
    void end(Step& step, EndReason reason, std::string detail) {
        state = ServerState::Ended;
        deadline.reset();
        SessionEnd e{reason, std::move(detail)};
        step.events.emplace_back(event::SessionEnded{e});
        step.end = std::move(e);
    }
    void send(Step& step, std::vector<syncml::Command> prelude, bool peer_has_more, TimePoint now);
    void check_header(const syncml::Message& m, Step& step);
    void session_started(const syncml::Message& m, Step& step);
    void on_command(const syncml::Command& c, MsgId msg_id, std::vector<syncml::Command>& statuses, Step& step);
    void on_status(const syncml::Status& s, Step& step);
    void on_results(const syncml::Command& c, MsgId msg_id, std::vector<syncml::Command>& statuses, Step& step);
    void on_alert(const syncml::Alert& a, const syncml::Command& c, MsgId msg_id,
                  std::vector<syncml::Command>& statuses, Step& step);
    void close_package(const syncml::Message& m, Step& step);
};

void ServerSession::Impl::send(Step& step, std::vector<syncml::Command> prelude, bool peer_has_more,
                               TimePoint now) {
    Outbound out;
    auto& h = out.message.hdr;
    h.ver_proto = ver_proto;
    h.session_id = session_id;
    h.msg_id = MsgId{next_msg++};
    h.target.loc_uri = client_uri;
    h.source.loc_uri = cfg.server_uri;
    h.resp_uri = cfg.resp_uri;
    h.cred = auth.server_cred();
    syncml::Meta meta;
    meta.max_msg_size = cfg.max_msg_size;
    meta.max_obj_size = cfg.max_obj_size;
    h.meta = meta;
    std::uint32_t next_id = 1;
    for (auto& c : prelude) {
        (void)detail::assign_ids(c, next_id);
        out.message.body.push_back(std::move(c));
    }
    const MessageSizer sizer = cfg.sizer ? cfg.sizer : MessageSizer{approximate_size};
    const auto placed = outbox.fill(out.message, next_id, peer_max_msg, sizer);
    const std::uint32_t msg = h.msg_id.value();
    for (const auto& p : placed) {
        if (p.tag == 0) continue;
        const auto it = std::find_if(out.message.body.begin(), out.message.body.end(),
                                     [&](const auto& c) { return detail::id_of(c) == p.cmd_id; });
        sent[{msg, p.cmd_id.value()}] = SentRef{p.tag, std::nullopt, detail::name_of(*it), false};
        const auto* members = detail::members_of(*it);
        for (std::size_t i = 0; i < p.member_ids.size(); ++i) {
            sent[{msg, p.member_ids[i].value()}] = SentRef{p.tag, i, detail::name_of((*members)[i]), false};
        }
    }
    if (peer_has_more && outbox.empty() && placed.empty()) {
        syncml::Alert more = detail::make_alert(syncml::alert_code::kNextMessage);
        more.cmd_id = CmdId{next_id++};
        out.message.body.emplace_back(std::move(more));
    }
    out.message.final = outbox.empty() && !peer_has_more;
    out.mac = auth.mac_key();
    step.send.push_back(std::move(out));
    deadline = now + cfg.response_timeout;
}

void ServerSession::Impl::check_header(const syncml::Message& m, Step& step) {
    const auto& h = m.hdr;
    if (!last_peer_msg) {
        session_id = h.session_id;
        ver_proto = h.ver_proto;
        client_uri = h.source.loc_uri;
    } else if (h.session_id != session_id) {
        step.findings.push_back(Finding{req::MgmtPolicyMO_OSR_01, "SessionID changed to " + h.session_id.value(),
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
        step.findings.push_back(Finding{req::MgmtPolicyMO_OSR_01, "Package 1 without Alert 1200/1201",
                                        Evidence{m.hdr.msg_id, std::nullopt, "SyncBody/Alert"}});
    }
    if (ev.dev_info.empty()) {
        step.findings.push_back(Finding{req::MgmtPolicyMO_OSR_01, "Package 1 without DevInfo Replace",
                                        Evidence{m.hdr.msg_id, std::nullopt, "SyncBody/Replace"}});
    }
    started = true;
    step.events.emplace_back(std::move(ev));
}

void ServerSession::Impl::on_status(const syncml::Status& s, Step& step) {
    if (s.cmd_ref.value() == 0) return;
    const auto it = sent.find({s.msg_ref.value(), s.cmd_ref.value()});
    event::CommandStatusReceived ev{std::nullopt, std::nullopt, s.msg_ref, s.cmd_ref, s.cmd, s.code, s.items};
    if (it != sent.end()) {
        it->second.answered = true;
        ev.ticket = CommandTicket{it->second.ticket};
        ev.member = it->second.member;
    }
    step.events.emplace_back(std::move(ev));
}

void ServerSession::Impl::on_results(const syncml::Command& c, MsgId msg_id, std::vector<syncml::Command>& statuses,
                                     Step& step) {
    auto fed = assembler.feed(c);
    if (fed.interrupted) outbox.push(std::move(*fed.interrupted));
    switch (fed.kind) {
        case ChunkAssembler::Kind::Buffered:
            statuses.emplace_back(detail::status_for(msg_id, c, StatusCode::ChunkedItemAccepted));
            return;
        case ChunkAssembler::Kind::SizeMismatch:
            statuses.emplace_back(detail::status_for(msg_id, c, StatusCode::SizeMismatch));
            return;
        case ChunkAssembler::Kind::Whole:
        case ChunkAssembler::Kind::Complete: break;
    }
    const auto& r = std::get<syncml::Results>(fed.command.variant());
    event::ResultsReceived ev{std::nullopt, std::nullopt, r.msg_ref.value_or(MsgId{}), r.cmd_ref, r.meta, r.items};
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
            break;
        case syncml::alert_code::kClientInitiatedMgmt:
        case syncml::alert_code::kServerInitiatedMgmt:
        case syncml::alert_code::kNextMessage:
        case syncml::alert_code::kClientEvent: break;
        case syncml::alert_code::kNoEndOfData:
            step.findings.push_back(Finding{req::MgmtPolicyMO_OSR_01, "client reported an interrupted large object",
                                            Evidence{msg_id, a.cmd_id, "SyncBody/Alert"}});
            break;
        default: code = StatusCode::OptionalFeatureNotSupported; break;
    }
    statuses.emplace_back(detail::status_for(msg_id, c, code));
}

void ServerSession::Impl::on_command(const syncml::Command& c, MsgId msg_id, std::vector<syncml::Command>& statuses,
                                     Step& step) {
    if (const auto* s = std::get_if<syncml::Status>(&c.variant())) {
        on_status(*s, step);
    } else if (std::holds_alternative<syncml::Results>(c.variant())) {
        on_results(c, msg_id, statuses, step);
    } else if (const auto* a = std::get_if<syncml::Alert>(&c.variant())) {
        on_alert(*a, c, msg_id, statuses, step);
    } else if (std::holds_alternative<syncml::Replace>(c.variant())) {
        statuses.emplace_back(detail::status_for(msg_id, c, StatusCode::Ok));
    } else {
        step.findings.push_back(Finding{req::MgmtPolicyMO_OSR_01,
                                        std::string("client sent ") + detail::name_of(c),
                                        Evidence{msg_id, detail::id_of(c), "SyncBody"}});
        statuses.emplace_back(detail::status_for(msg_id, c, StatusCode::CommandNotAllowed));
    }
}

void ServerSession::Impl::close_package(const syncml::Message& m, Step& step) {
    for (auto it = sent.begin(); it != sent.end();) {
        if (!it->second.answered) {
            step.findings.push_back(Finding{req::MgmtPolicyMO_OSR_01,
                                            "no Status for " + it->second.cmd + " " +
                                                std::to_string(it->first.second) + " of message " +
                                                std::to_string(it->first.first),
                                            Evidence{m.hdr.msg_id, CmdId{it->first.second}, "SyncBody/Status"}});
        }
        it = sent.erase(it);
    }
    if (auto broken = assembler.interrupt()) outbox.push(std::move(*broken));
    if (outbox.empty()) {
        for (auto& [ticket, command] : queue) outbox.push(std::move(command), ticket);
        queue.clear();
    }
}

Step ServerSession::Impl::transition(const Inbound& in, TimePoint now) {
    Step step;
    switch (state) {
        case ServerState::Ended:
            step.findings.push_back(Finding{req::MgmtPolicyMO_OSR_01, "message after the session ended",
                                            Evidence{in.message.hdr.msg_id, std::nullopt, "SyncHdr"}});
            return step;
        case ServerState::AwaitingPackage1:
        case ServerState::AwaitingPackage3: break;
    }
    const syncml::Message& m = in.message;
    check_header(m, step);
    const MsgId msg_id = m.hdr.msg_id;
    if (std::find(cfg.accepted_versions.begin(), cfg.accepted_versions.end(), m.hdr.ver_proto) ==
        cfg.accepted_versions.end()) {
        send(step, {detail::status_for_header(m.hdr, StatusCode::ProtocolVersionNotSupported)}, false, now);
        end(step, EndReason::VersionNotSupported, "VerProto " + m.hdr.ver_proto);
        return step;
    }
    if (contains_alert(m, syncml::alert_code::kSessionAbort)) {
        std::vector<syncml::Command> reply{detail::status_for_header(m.hdr, StatusCode::Ok)};
        for (const auto& c : m.body) {
            if (detail::is_alert(c, syncml::alert_code::kSessionAbort)) {
                reply.emplace_back(detail::status_for(msg_id, c, StatusCode::Ok));
            }
        }
        outbox.clear();
        send(step, std::move(reply), false, now);
        end(step, EndReason::AbortedByPeer, "client sent Alert 1223");
        return step;
    }
    if (abort_requested) {
        outbox.clear();
        outbox.push(detail::make_alert(syncml::alert_code::kSessionAbort));
        send(step, {detail::status_for_header(m.hdr, StatusCode::Ok)}, false, now);
        end(step, EndReason::AbortedLocally, "server sent Alert 1223");
        return step;
    }
    const auto decision = auth.check(in, step);
    syncml::Status hdr_status = detail::status_for_header(m.hdr, decision.code);
    hdr_status.chal = decision.chal;
    std::vector<syncml::Command> statuses{std::move(hdr_status)};
    if (!decision.accepted) {
        // Only Status commands, one per received command; nothing is executed.
        for (const auto& c : m.body) {
            if (!std::holds_alternative<syncml::Status>(c.variant()) &&
                !std::holds_alternative<syncml::Results>(c.variant())) {
                statuses.emplace_back(detail::status_for(msg_id, c, decision.code));
            }
        }
        outbox.clear();
        assembler = ChunkAssembler{};
        send(step, std::move(statuses), false, now);
        state = ServerState::AwaitingPackage1;
        if (auth.exhausted()) end(step, EndReason::AuthFailed, "authentication attempts exhausted");
        return step;
    }
    if (!started) session_started(m, step);
    for (const auto& c : m.body) on_command(c, msg_id, statuses, step);

    const bool peer_has_more = !m.final && !contains_alert(m, syncml::alert_code::kNextMessage);
    if (m.final) close_package(m, step);
    const bool ends = m.final && !outbox.has_management() && outbox.empty();
    send(step, std::move(statuses), peer_has_more, now);
    state = ServerState::AwaitingPackage3;
    if (ends) end(step, EndReason::Completed, "server package without commands");
    return step;
}

ServerSession::ServerSession(ServerConfig config, base::Random& random)
    : impl_(std::make_unique<Impl>(std::move(config), random)) {}
ServerSession::~ServerSession() = default;
ServerSession::ServerSession(ServerSession&&) noexcept = default;
ServerSession& ServerSession::operator=(ServerSession&&) noexcept = default;

CommandTicket ServerSession::enqueue(syncml::Command command) {
    const std::uint64_t t = impl_->next_ticket++;
    impl_->queue.emplace_back(t, std::move(command));
    return CommandTicket{t};
}

Step ServerSession::on_message(const Inbound& in, TimePoint now) { return impl_->transition(in, now); }

Step ServerSession::on_timeout(TimePoint now) {
    Step step;
    if (impl_->state != ServerState::Ended && impl_->deadline && now >= *impl_->deadline) {
        impl_->end(step, EndReason::Timeout, "no client message before the deadline");
    }
    return step;
}

Step ServerSession::on_transport_error(std::string detail, TimePoint) {
    Step step;
    if (impl_->state != ServerState::Ended) impl_->end(step, EndReason::TransportFailure, std::move(detail));
    return step;
}

Step ServerSession::abort(TimePoint) {
    impl_->abort_requested = true;
    return {};
}

std::optional<TimePoint> ServerSession::next_deadline() const { return impl_->deadline; }
ServerState ServerSession::state() const { return impl_->state; }

}  // namespace omadm::session
