// ServerSession: the public API and the transition on each client message (version check, abort,
// authentication, then the package itself).
#include "omadm/session/server_session.hpp"

#include "server_session_impl.hpp"
#include "wire.hpp"

#include <algorithm>
#include <utility>
#include <variant>

namespace omadm::session {
namespace {

bool contains_alert(const syncml::Message& m, std::uint16_t code) {
    return std::any_of(m.body.begin(), m.body.end(),
                       [code](const auto& c) { return detail::is_alert(c, code); });
}

bool has_management(const syncml::Message& m) {
    return std::any_of(m.body.begin(), m.body.end(), [](const auto& c) { return detail::is_management(c); });
}

/// Only Status commands, one per received command; nothing is executed (OMA-TS-DM_Protocol-V1_2_1 §9.1).
void refuse_each(const syncml::Message& m, StatusCode code, std::vector<syncml::Command>& statuses) {
    for (const auto& c : m.body) {
        if (!syncml::is_response(syncml::kind_of(c))) {
            statuses.emplace_back(detail::status_for(m.hdr.msg_id, c, code));
        }
    }
}

} // namespace

std::string_view server_state_name(ServerState s) noexcept {
    switch (s) {
    case ServerState::AwaitingPackage1:
        return "AwaitingPackage1";
    case ServerState::AwaitingPackage3:
        return "AwaitingPackage3";
    case ServerState::Ended:
        return "Ended";
    }
    return "Unknown";
}

void ServerSession::Impl::end(Step& step, EndReason reason, std::string detail) {
    state = ServerState::Ended;
    deadline.reset();
    SessionEnd e{reason, std::move(detail)};
    step.events.emplace_back(event::SessionEnded{e});
    step.end = std::move(e);
}

bool ServerSession::Impl::ends_early(const syncml::Message& m, Step& step, TimePoint now) {
    if (std::find(cfg.accepted_versions.begin(), cfg.accepted_versions.end(), m.hdr.ver_proto) ==
        cfg.accepted_versions.end()) {
        (void)send(step, {detail::status_for_header(m.hdr, StatusCode::ProtocolVersionNotSupported)}, false,
                   now);
        end(step, EndReason::VersionNotSupported, "VerProto " + m.hdr.ver_proto);
        return true;
    }
    if (contains_alert(m, syncml::alert_code::kSessionAbort)) {
        // A client that refuses the server's credentials aborts with its verdict on the server's
        // SyncHdr: its Chal names the nonce of the server's next credentials (ServerAuth).
        if (started) {
            for (const auto& c : m.body) {
                const auto* s = std::get_if<syncml::Status>(&c.variant());
                if (s != nullptr && s->cmd_ref.value() == 0)
                    (void)auth.on_client_verdict(*s, m.hdr.msg_id, step);
            }
        }
        std::vector<syncml::Command> reply{detail::status_for_header(m.hdr, StatusCode::Ok)};
        for (const auto& c : m.body) {
            if (detail::is_alert(c, syncml::alert_code::kSessionAbort)) {
                reply.emplace_back(detail::status_for(m.hdr.msg_id, c, StatusCode::Ok));
            }
        }
        outbox.clear();
        (void)send(step, std::move(reply), false, now);
        end(step, EndReason::AbortedByPeer, "client sent Alert 1223");
        return true;
    }
    if (abort_requested) {
        outbox.clear();
        outbox.push(detail::make_alert(syncml::alert_code::kSessionAbort));
        (void)send(step, {detail::status_for_header(m.hdr, StatusCode::Ok)}, false, now);
        end(step, EndReason::AbortedLocally, "server sent Alert 1223");
        return true;
    }
    return false;
}

void ServerSession::Impl::refuse(const syncml::Message& m, std::vector<syncml::Command> statuses,
                                 StatusCode code, Step& step, TimePoint now) {
    refuse_each(m, code, statuses);
    // The client returns to Package 1: statuses it sent are void, unsent commands wait for the
    // next package.
    sent.clear();
    auto unsent = outbox.take_unsent();
    queue.insert(queue.begin(), std::make_move_iterator(unsent.begin()),
                 std::make_move_iterator(unsent.end()));
    assembler = detail::ChunkAssembler{};
    (void)send(step, std::move(statuses), false, now);
    state = ServerState::AwaitingPackage1;
    if (auth.exhausted()) end(step, EndReason::AuthFailed, "authentication attempts exhausted");
}

void ServerSession::Impl::answer_foreign(const Inbound& in, Step& step) {
    const syncml::Message& m = in.message;
    const auto decision = auth.refuse_foreign(in, step);
    Outbound out;
    auto& h = out.message.hdr;
    h.ver_proto = m.hdr.ver_proto;
    h.session_id = m.hdr.session_id;
    h.msg_id = MsgId{next_msg}; // not taken from the session: its own numbering goes on
    h.target.loc_uri = m.hdr.source.loc_uri;
    h.source.loc_uri = cfg.server_uri;
    syncml::Status hdr_status = detail::status_for_header(m.hdr, decision.code);
    hdr_status.chal = decision.chal;
    out.message.body.emplace_back(std::move(hdr_status));
    refuse_each(m, decision.code, out.message.body);
    std::uint32_t next_id = 1;
    for (auto& c : out.message.body)
        (void)detail::assign_ids(c, next_id);
    out.message.final = true;
    step.send.push_back(std::move(out));
}

void ServerSession::Impl::accept(const syncml::Message& m, std::vector<syncml::Command> statuses, Step& step,
                                 TimePoint now) {
    const bool starting = !started;
    if (starting) session_started(m, step);
    server_refused = false;
    for (const auto& c : m.body)
        on_command(c, m.hdr.msg_id, statuses, step);
    if (server_refused && auth.server_refused_for_good()) {
        outbox.clear();
        (void)send(step, {std::move(statuses.front())}, false, now);
        end(step, EndReason::AuthFailed, "the client kept refusing the server's credentials");
        return;
    }
    // Commands refused for the server's credentials go first in the next package, in their order.
    queue.insert(queue.begin(), std::make_move_iterator(refused_for_credentials.begin()),
                 std::make_move_iterator(refused_for_credentials.end()));
    refused_for_credentials.clear();
    Held answer_to{std::move(statuses), !m.final && !contains_alert(m, syncml::alert_code::kNextMessage),
                   m.final, m.hdr.msg_id};
    if (starting && cfg.claim_at_start) {
        held = std::move(answer_to);
        step.awaiting_commands = true;
        deadline = now + cfg.response_timeout;
        return;
    }
    answer(std::move(answer_to), step, now);
}

void ServerSession::Impl::answer(Held h, Step& step, TimePoint now) {
    if (h.final) close_package(h.msg_id, step);
    // The SyncHdr Status leads every message; the other statuses split across messages if needed.
    syncml::Command hdr_status = std::move(h.statuses.front());
    h.statuses.erase(h.statuses.begin());
    outbox.push_front(std::move(h.statuses));
    const syncml::Message& sent_msg = send(step, {std::move(hdr_status)}, h.peer_has_more, now);
    state = ServerState::AwaitingPackage3;
    // A final package without management commands closes the session: the client will not answer.
    if (sent_msg.final && !has_management(sent_msg))
        end(step, EndReason::Completed, "server package without commands");
}

Step ServerSession::Impl::transition(const Inbound& in, TimePoint now) {
    Step step;
    switch (state) {
    case ServerState::Ended:
        step.findings.push_back(Finding{req::MgmtPolicyMO_OSR_01, "message after the session ended",
                                        Evidence{in.message.hdr.msg_id, std::nullopt, "SyncHdr"}});
        return step;
    case ServerState::AwaitingPackage1:
    case ServerState::AwaitingPackage3:
        break;
    }
    const syncml::Message& m = in.message;
    if (auth.foreign(in)) {
        answer_foreign(in, step);
        return step;
    }
    check_header(m, step);
    if (ends_early(m, step, now)) return step;
    const auto decision = auth.check(in, step);
    syncml::Status hdr_status = detail::status_for_header(m.hdr, decision.code);
    hdr_status.chal = decision.chal;
    std::vector<syncml::Command> statuses{std::move(hdr_status)};
    if (decision.accepted) {
        accept(m, std::move(statuses), step, now);
    } else {
        refuse(m, std::move(statuses), decision.code, step, now);
    }
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

Step ServerSession::on_message(const Inbound& in, TimePoint now) {
    return impl_->transition(in, now);
}

Step ServerSession::commands_claimed(TimePoint now) {
    Step step;
    if (!impl_->held || impl_->state == ServerState::Ended) return step;
    auto held = std::move(*impl_->held);
    impl_->held.reset();
    impl_->answer(std::move(held), step, now);
    return step;
}

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

bool ServerSession::addressed_by(std::string_view target, std::string_view body,
                                 std::optional<std::string_view> hmac_header) const {
    return impl_->auth.addressed_by(target, body, hmac_header);
}

Step ServerSession::on_undecodable(std::string detail, TimePoint) {
    Step step;
    if (impl_->state == ServerState::Ended) return step;
    step.findings.push_back(Finding{req::MgmtPolicyMO_OSR_01,
                                    "the client sent a message that cannot be decoded: " + detail,
                                    Evidence{std::nullopt, std::nullopt, "SyncML"}});
    impl_->end(step, EndReason::ProtocolError, "undecodable message: " + std::move(detail));
    return step;
}

Step ServerSession::abort(TimePoint) {
    impl_->abort_requested = true;
    return {};
}

std::optional<TimePoint> ServerSession::next_deadline() const {
    return impl_->deadline;
}
ServerState ServerSession::state() const {
    return impl_->state;
}

} // namespace omadm::session
