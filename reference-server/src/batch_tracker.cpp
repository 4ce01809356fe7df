#include "batch_tracker.hpp"

#include "omadm/base/requirements.hpp"
#include "omadm/shell/command_json.hpp"
#include "omadm/shell/log.hpp"

#include <boost/json/parse.hpp>

namespace omadm::server {

namespace json = boost::json;

std::string_view flow_requirement(std::string_view flow) noexcept {
    if (flow == "download") return req::MgmtPolicyMO_HLF_1.id;
    if (flow == "update") return req::MgmtPolicyMO_HLF_2.id;
    if (flow == "activate" || flow == "deactivate") return req::MgmtPolicyMO_HLF_3.id;
    if (flow == "delete") return req::MgmtPolicyMO_HLF_4.id;
    if (flow == "query") return req::MgmtPolicyMO_DMS_01.id;
    return "";
}

void BatchTracker::store_error(const base::Error& e) const {
    log::error("store: " + e.detail);
}

void BatchTracker::enqueue_queued(session::ServerSession& engine) {
    auto batches = store_.batches_in_state(device_, BatchState::Queued);
    if (!batches) return store_error(batches.error());
    for (const auto& b : *batches) {
        Tracked tracked{b.flow, {}, 0, false};
        for (std::size_t i = 0; i < b.commands_json.size(); ++i) {
            boost::system::error_code ec;
            const auto stored = json::parse(b.commands_json[i], ec);
            // Text that is not JSON reads as null, which no command is.
            auto command =
                shell::command_from_json(ec ? json::value() : stored, "commands[" + std::to_string(i) + "]");
            if (!command) {
                log::error("batch " + std::to_string(b.id) + ": stored command " + std::to_string(i) +
                           " unreadable: " + command.error().detail);
                continue;
            }
            const auto ticket = engine.enqueue(*command);
            tracked.pending.insert(ticket.value());
            tickets_.emplace(ticket.value(), Sent{b.id, static_cast<std::int64_t>(i), std::move(*command)});
        }
        batches_.emplace(b.id, std::move(tracked));
    }
}

void BatchTracker::set_state(std::int64_t batch, BatchState state, const std::string& session_id) {
    if (auto r = store_.set_batch_state(batch, state); !r) store_error(r.error());
    const auto& t = batches_.at(batch);
    json::object fields{{"device", device_}, {"batch", std::to_string(batch)}, {"flow", t.flow}};
    if (state == BatchState::Failed) {
        fields["answered"] = t.answered;
        fields["unanswered"] = t.pending.size();
        if (t.unsendable) fields["reason"] = "a command exceeds the device's MaxObjSize or MaxMsgSize";
    }
    // batch_requeued, batch_sent, batch_done, batch_failed.
    const std::string kind =
        state == BatchState::Queued ? "batch_requeued" : "batch_" + std::string(to_string(state));
    events_.publish(kind, session_id, std::move(fields));
}

void BatchTracker::on_session_started(const std::string& session_id) {
    for (auto& [id, t] : batches_) {
        if (t.sent) continue;
        t.sent = true;
        set_state(id, BatchState::Sent, session_id);
    }
}

const BatchTracker::Sent* BatchTracker::sent_for(const std::optional<session::CommandTicket>& ticket) const {
    if (!ticket) return nullptr;
    const auto it = tickets_.find(ticket->value());
    return it == tickets_.end() ? nullptr : &it->second;
}

void BatchTracker::on_status(const session::event::CommandStatusReceived& e, const std::string& session_id) {
    const auto* sent = sent_for(e.ticket);
    if (sent == nullptr) return;
    const syncml::Command* command = &sent->command;
    if (const auto* members = shell::command_members(sent->command); e.member && members != nullptr) {
        if (*e.member < members->size()) command = &(*members)[*e.member];
    }
    CommandStatus status{
        e.cmd, shell::command_target(*command), static_cast<std::int64_t>(e.code), sent->index,
        e.member ? std::optional<std::int64_t>(static_cast<std::int64_t>(*e.member)) : std::nullopt};
    if (e.code == base::StatusCode::ChunkedItemAccepted) {
        // A non-last chunk of a large object was accepted: not the command's final Status, which
        // arrives for the last chunk.
        json::object fields{{"device", device_},       {"batch", std::to_string(sent->batch)},
                            {"command", sent->index},  {"cmd", e.cmd},
                            {"target", status.target}, {"code", status.code}};
        if (status.member) fields["member"] = *status.member;
        events_.publish("chunk_accepted", session_id, std::move(fields));
        return;
    }
    const auto tracked_it = batches_.find(sent->batch);
    if (tracked_it == batches_.end() ||
        (!e.member && !tracked_it->second.pending.contains(e.ticket->value()))) {
        // The command has its final Status already (or its batch is complete): a second one is
        // never stored beside the first.
        log::warn("batch " + std::to_string(sent->batch) + ": a second final Status for command " +
                  std::to_string(sent->index) + " ignored");
        return;
    }
    if (auto r = store_.add_status(sent->batch, status); !r) store_error(r.error());
    auto& tracked = tracked_it->second;
    ++tracked.answered;
    if (!e.member) tracked.pending.erase(e.ticket->value());
    json::object fields{{"device", device_},       {"batch", std::to_string(sent->batch)},
                        {"command", sent->index},  {"cmd", e.cmd},
                        {"target", status.target}, {"code", status.code}};
    if (status.member) fields["member"] = *status.member;
    events_.publish("command_status", session_id, std::move(fields));
}

void BatchTracker::on_results(const session::event::ResultsReceived& e, const std::string& session_id) {
    const auto* sent = sent_for(e.ticket);
    if (sent == nullptr) return;
    for (const auto& item : e.items) {
        CommandResult r;
        r.source = item.source ? item.source->loc_uri : "";
        r.format = "chr";
        if (e.meta && e.meta->format) r.format = *e.meta->format;
        if (item.meta && item.meta->format) r.format = *item.meta->format;
        r.data = item.data.value_or("");
        if (auto s = store_.add_result(sent->batch, r); !s) store_error(s.error());
        events_.publish("command_results", session_id,
                        {{"device", device_},
                         {"batch", std::to_string(sent->batch)},
                         {"command", sent->index},
                         {"source", r.source},
                         {"format", r.format},
                         {"bytes", r.data.size()}});
    }
}

void BatchTracker::drop_unsendable(const session::CommandTicket& ticket, std::string_view kind,
                                   const std::string& cmd, std::uint64_t size, std::string_view limit_name,
                                   std::uint64_t limit, const std::string& session_id) {
    const auto* sent = sent_for(ticket);
    if (sent == nullptr) return;
    if (const auto it = batches_.find(sent->batch); it != batches_.end()) {
        it->second.pending.erase(ticket.value());
        it->second.unsendable = true;
    }
    events_.publish(std::string(kind), session_id,
                    {{"device", device_},
                     {"batch", std::to_string(sent->batch)},
                     {"command", sent->index},
                     {"cmd", cmd},
                     {"size", size},
                     {limit_name, limit}});
}

void BatchTracker::on_too_large(const session::event::ObjectTooLarge& e, const std::string& session_id) {
    if (e.ticket)
        drop_unsendable(*e.ticket, "object_too_large", e.cmd, e.size, "max_obj_size", e.max_obj_size,
                        session_id);
}

void BatchTracker::on_too_large(const session::event::CommandTooLarge& e, const std::string& session_id) {
    drop_unsendable(e.ticket, "command_too_large", e.cmd, e.size, "max_msg_size", e.max_msg_size, session_id);
}

void BatchTracker::complete_answered(const std::string& session_id) {
    for (auto it = batches_.begin(); it != batches_.end();) {
        auto& [id, t] = *it;
        if (!t.sent || !t.pending.empty()) {
            ++it;
            continue;
        }
        if (t.unsendable) {
            set_state(id, BatchState::Failed, session_id);
            it = batches_.erase(it);
            continue;
        }
        set_state(id, BatchState::Done, session_id);
        if (const auto label = flow_requirement(t.flow); !label.empty()) {
            events_.publish("requirement_exercised", session_id,
                            {{"label", label},
                             {"detail", "policy " + t.flow + " batch " + std::to_string(id) + " done"}});
        }
        it = batches_.erase(it);
    }
}

void BatchTracker::on_session_ended(const std::string& session_id) {
    complete_answered(session_id); // the last package may have answered everything
    for (const auto& [id, t] : batches_) {
        if (!t.sent) continue;
        // Requeued only if nothing of it happened: a command that cannot be sent never will be.
        const bool retry = t.answered == 0 && !t.unsendable;
        set_state(id, retry ? BatchState::Queued : BatchState::Failed, session_id);
    }
    batches_.clear();
    tickets_.clear();
}

} // namespace omadm::server
