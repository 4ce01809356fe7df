// ClientSession: the public API and the transitions between the client states (Package 1 sent,
// Package 3 sent, ended).
#include "omadm/session/client_session.hpp"

#include "client_session_impl.hpp"
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

} // namespace

std::string_view client_state_name(ClientState s) noexcept {
    switch (s) {
    case ClientState::Idle:
        return "Idle";
    case ClientState::AwaitingPackage2:
        return "AwaitingPackage2";
    case ClientState::AwaitingPackage4:
        return "AwaitingPackage4";
    case ClientState::Ended:
        return "Ended";
    }
    return "Unknown";
}

void ClientSession::Impl::end(Step& step, EndReason reason, std::string detail) {
    state = ClientState::Ended;
    deadline.reset();
    SessionEnd e{reason, std::move(detail)};
    step.events.emplace_back(event::SessionEnded{e});
    step.end = std::move(e);
    handler->end_batch(input_time);
}

Step ClientSession::Impl::transition_start(TimePoint now) {
    Step step;
    switch (state) {
    case ClientState::Idle:
        break;
    case ClientState::AwaitingPackage2:
    case ClientState::AwaitingPackage4:
    case ClientState::Ended:
        return step; // start() twice is a no-op
    }
    destination = cfg.account.server_uri;
    (void)auth.begin_attempt();
    queue_package1();
    send(step, {}, false, now);
    state = ClientState::AwaitingPackage2;
    return step;
}

bool ClientSession::Impl::on_header_verdict(const syncml::Message& m, StatusCode my_hdr_status, Step& step,
                                            TimePoint now) {
    switch (auth.on_header_status(detail::header_status(m), m.hdr.msg_id, step)) {
    case detail::ClientAuth::Verdict::Proceed:
        return false;
    case detail::ClientAuth::Verdict::Retry:
        // Challenged (also in the middle of a session): back to Package 1 (OMA-TS-DM_Protocol-V1_2_1 §9).
        if (!auth.begin_attempt()) {
            end(step, EndReason::AuthFailed, "authentication attempts exhausted");
            return true;
        }
        assembler = detail::ChunkAssembler{};
        queue_package1();
        send(step, {detail::status_for_header(m.hdr, my_hdr_status)}, false, now);
        state = ClientState::AwaitingPackage2;
        return true;
    case detail::ClientAuth::Verdict::Fail:
        end(step, EndReason::AuthFailed, "server refused the credentials");
        return true;
    case detail::ClientAuth::Verdict::VersionRefused:
        if (!version_retried && !cfg.fallback_ver_proto.empty() && cfg.ver_proto != cfg.fallback_ver_proto) {
            restart_with_fallback_version(step, now);
            return true;
        }
        end(step, EndReason::VersionNotSupported, "server answered 513 on the SyncHdr");
        return true;
    case detail::ClientAuth::Verdict::Error:
        end(step, EndReason::ProtocolError, "server refused the SyncHdr");
        return true;
    }
    return true;
}

void ClientSession::Impl::reply(const syncml::Message& m, std::vector<syncml::Command> statuses, Step& step,
                                TimePoint now) {
    const bool peer_has_more = !m.final && !contains_alert(m, syncml::alert_code::kNextMessage);
    if (m.final) {
        if (!package_had_commands && outbox.empty() && unsent.empty()) {
            end(step, EndReason::Completed, "server package without commands");
            return;
        }
        if (auto broken = assembler.interrupt()) outbox.push(std::move(*broken));
        queue_unsent_alerts();
    }
    // The SyncHdr Status leads every message; the other statuses split across messages if needed.
    syncml::Command hdr_status = std::move(statuses.front());
    challenge_server(hdr_status, false, step);
    statuses.erase(statuses.begin());
    outbox.push_front(std::move(statuses));
    send(step, {std::move(hdr_status)}, peer_has_more, now);
    state = ClientState::AwaitingPackage4;
}

void ClientSession::Impl::close_server_package(std::vector<syncml::Command>& statuses) {
    const std::size_t before = std::exchange(package_handled, 0);
    for (auto& refusal : handler->end_package(input_time)) {
        if (refusal.command < before || refusal.command - before >= message_handled.size()) continue;
        auto& st = std::get<syncml::Status>(statuses[message_handled[refusal.command - before]].variant());
        st.code = refusal.code;
        syncml::Item reason;
        reason.data = std::move(refusal.reason);
        st.items.push_back(std::move(reason));
    }
}

void ClientSession::Impl::challenge_server(syncml::Command& hdr_status, bool refused, Step& step) {
    // Only on a message that goes out: the device never keeps a nonce the server was not sent.
    if (auto chal = auth.server_challenge(refused, step))
        std::get<syncml::Status>(hdr_status.variant()).chal = std::move(chal);
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
    case ClientState::AwaitingPackage4:
        break;
    }
    const syncml::Message& m = in.message;
    check_header(m, step);
    check_wire(in, step);
    if (contains_alert(m, syncml::alert_code::kSessionAbort)) {
        end(step, EndReason::AbortedByPeer, "server sent Alert 1223");
        return step;
    }
    const StatusCode my_hdr_status =
        auth.verify_server(in, step) ? StatusCode::Ok : StatusCode::InvalidCredentials;
    if (on_header_verdict(m, my_hdr_status, step, now)) return step;

    std::vector<syncml::Command> statuses{detail::status_for_header(m.hdr, my_hdr_status)};
    message_handled.clear();
    for (const auto& c : m.body)
        on_command(c, m.hdr.msg_id, my_hdr_status, statuses, step);
    if (my_hdr_status == StatusCode::Ok && m.final) {
        close_server_package(statuses);
    } else {
        package_handled += message_handled.size();
    }
    if (my_hdr_status != StatusCode::Ok) {
        // The refusal ends the session on both sides: Alert 1223 tells the server not to wait for a
        // client message that will not come (OMA-TS-DM_Protocol-V1_2 §8.6, Session Abort).
        outbox.clear();
        outbox.push(detail::make_alert(syncml::alert_code::kSessionAbort));
        challenge_server(statuses.front(), true, step);
        send(step, std::move(statuses), false, now);
        end(step, EndReason::AuthFailed, "server credentials refused");
        return step;
    }
    reply(m, std::move(statuses), step, now);
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

Step ClientSession::start(TimePoint now) {
    impl_->input_time = now;
    return impl_->transition_start(now);
}
Step ClientSession::on_message(const Inbound& in, TimePoint now) {
    impl_->input_time = now;
    return impl_->transition_message(in, now);
}

Step ClientSession::on_timeout(TimePoint now) {
    impl_->input_time = now;
    Step step;
    if (impl_->state != ClientState::Ended && impl_->deadline && now >= *impl_->deadline) {
        impl_->end(step, EndReason::Timeout, "no server response before the deadline");
    }
    return step;
}

Step ClientSession::on_transport_error(std::string detail, TimePoint now) {
    impl_->input_time = now;
    Step step;
    if (impl_->state != ClientState::Ended) impl_->end(step, EndReason::TransportFailure, std::move(detail));
    return step;
}

Step ClientSession::abort(TimePoint now) {
    impl_->input_time = now;
    Step step;
    if (impl_->state == ClientState::Ended) return step;
    impl_->outbox.clear();
    impl_->outbox.push(detail::make_alert(syncml::alert_code::kSessionAbort));
    impl_->send(step, {}, false, now);
    impl_->end(step, EndReason::AbortedLocally, "client sent Alert 1223");
    return step;
}

std::optional<TimePoint> ClientSession::next_deadline() const {
    return impl_->deadline;
}
ClientState ClientSession::state() const {
    return impl_->state;
}

} // namespace omadm::session
