#include "omadm/shell/event_bus.hpp"

#include "omadm/shell/log.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>

namespace omadm::shell {

std::string format_rfc3339_ms(base::TimePoint t) {
    const auto days = std::chrono::floor<std::chrono::days>(t);
    const std::chrono::year_month_day ymd{days};
    const std::chrono::hh_mm_ss hms{t - days};
    char buf[40];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<int>(hms.hours().count()), static_cast<int>(hms.minutes().count()),
                  static_cast<int>(hms.seconds().count()), static_cast<int>(hms.subseconds().count()));
    return buf;
}

boost::json::object event_to_json(const Event& e) {
    boost::json::object o;
    o["seq"] = e.seq;
    o["ts"] = format_rfc3339_ms(e.ts);
    o["session"] = e.session;
    o["kind"] = e.kind;
    for (const auto& [k, v] : e.fields) {
        if (!o.contains(k)) o[k] = v;
    }
    return o;
}

base::Result<std::unique_ptr<JsonlWriter>> open_event_log(const std::filesystem::path& path,
                                                          std::string_view producer, base::TimePoint now) {
    boost::json::object first;
    first["schema"] = kEventSchemaVersion;
    first["producer"] = producer;
    first["started"] = format_rfc3339_ms(now);
    return JsonlWriter::create(path, first);
}

EventBus::EventBus(boost::asio::any_io_executor executor, const base::Clock& clock,
                   std::unique_ptr<JsonlWriter> writer, std::size_t history)
    : executor_(std::move(executor)), clock_(clock), writer_(std::move(writer)),
      history_(std::max<std::size_t>(history, 1)) {}

EventBus::~EventBus() {
    flush();
}

std::uint64_t EventBus::publish(std::string kind, std::string session, boost::json::object fields) {
    std::uint64_t seq = 0;
    {
        const std::lock_guard lock(mutex_);
        seq = next_seq_++;
        events_.push_back(Event{seq, clock_.now(), std::move(session), std::move(kind), std::move(fields)});
        if (writer_) {
            auto r = writer_->append(event_to_json(events_.back()));
            if (!r) log::error(r.error().detail);
        }
        if (events_.size() > history_) events_.pop_front();
    }
    notify_waiters();
    return seq;
}

void EventBus::notify_waiters() {
    boost::asio::post(executor_, [list = waiters_] {
        auto waiters = std::move(*list);
        list->clear();
        for (auto& t : waiters)
            t->cancel();
    });
}

std::vector<Event> EventBus::events_after(std::uint64_t after, std::string_view kind,
                                          std::size_t limit) const {
    const std::lock_guard lock(mutex_);
    std::vector<Event> out;
    if (events_.empty()) return out;
    // Seqs have no gaps: the event right after `after` is at index after + 1 - front().seq.
    const std::uint64_t first = events_.front().seq;
    const std::size_t start =
        after < first ? 0
                      : static_cast<std::size_t>(std::min<std::uint64_t>(after + 1 - first, events_.size()));
    for (std::size_t i = start; i < events_.size() && out.size() < limit; ++i) {
        if (kind.empty() || events_[i].kind == kind) out.push_back(events_[i]);
    }
    return out;
}

std::uint64_t EventBus::oldest_seq() const {
    const std::lock_guard lock(mutex_);
    return events_.empty() ? next_seq_ : events_.front().seq;
}

std::uint64_t EventBus::last_seq() const {
    const std::lock_guard lock(mutex_);
    return next_seq_ - 1;
}

boost::asio::awaitable<std::vector<Event>> EventBus::wait(std::uint64_t after, std::string kind,
                                                          std::chrono::steady_clock::time_point deadline) {
    for (;;) {
        auto found = events_after(after, kind);
        bool closed = false;
        {
            const std::lock_guard lock(mutex_);
            closed = closed_;
        }
        if (!found.empty() || closed || std::chrono::steady_clock::now() >= deadline) co_return found;
        // No suspension between registering and waiting, and notify_waiters runs on this same
        // executor: a publish after the check above always cancels this timer.
        auto timer = std::make_shared<boost::asio::steady_timer>(executor_, deadline);
        waiters_->push_back(timer);
        if (!events_after(after, kind, 1).empty()) { // published between the check and now
            std::erase(*waiters_, timer);
            continue;
        }
        (void)co_await timer->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
        std::erase(*waiters_, timer);
    }
}

void EventBus::close() {
    {
        const std::lock_guard lock(mutex_);
        closed_ = true;
    }
    notify_waiters();
    flush();
}

void EventBus::flush() {
    const std::lock_guard lock(mutex_);
    if (writer_) writer_->flush();
}

} // namespace omadm::shell
