#pragma once
// The event stream of a reference binary (docs/events.md). Every event gets a monotonic seq and a
// ts from the injected clock, is appended to the JSONL file (when one is configured) and is kept in
// memory for the long-poll GET /v1/events: the newest `history` events only, so that a long run
// (or a flood of rejected requests) holds a bounded amount of memory.
//
// Threading: publish() may be called from any thread. wait() is a coroutine that must run on the
// executor given to the constructor, which is run by one thread (the shells' I/O thread).

#include "omadm/base/clock.hpp"
#include "omadm/shell/jsonl_writer.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace omadm::shell {

inline constexpr int kEventSchemaVersion = 1;
/// Events kept in memory by default (the --events file keeps all of them).
inline constexpr std::size_t kDefaultEventHistory = 20000;

struct Event {
    std::uint64_t seq = 0;
    base::TimePoint ts;
    std::string session; // DM SessionID, or "" when the event belongs to no session
    std::string kind;
    boost::json::object fields;
};

/// The JSON record of an event: {"seq","ts","session","kind", ...fields}. ts is RFC 3339 UTC with ms.
[[nodiscard]] boost::json::object event_to_json(const Event& e);
/// "2026-01-01T00:00:00.000Z".
[[nodiscard]] std::string format_rfc3339_ms(base::TimePoint t);

/// Creates the --events file with its first line {"schema":1,"producer":…,"started":…}.
[[nodiscard]] base::Result<std::unique_ptr<JsonlWriter>>
open_event_log(const std::filesystem::path& path, std::string_view producer, base::TimePoint now);

class EventBus {
public:
    /// `writer` may be null (no --events file); see open_event_log. `history` (at least 1) is how
    /// many of the newest events stay in memory.
    EventBus(boost::asio::any_io_executor executor, const base::Clock& clock,
             std::unique_ptr<JsonlWriter> writer, std::size_t history = kDefaultEventHistory);
    EventBus(const EventBus&) = delete;
    EventBus& operator=(const EventBus&) = delete;
    ~EventBus();

    /// Records an event and wakes the waiters. Returns its seq (from 1).
    std::uint64_t publish(std::string kind, std::string session, boost::json::object fields = {});

    /// Events with seq > after (and of `kind` when non-empty), at most `limit`.
    [[nodiscard]] std::vector<Event> events_after(std::uint64_t after, std::string_view kind,
                                                  std::size_t limit = 1000) const;
    [[nodiscard]] std::uint64_t last_seq() const;
    /// The seq of the oldest event still in memory (last_seq() + 1 when none is): a reader whose
    /// `after` is below oldest_seq() - 1 has missed events.
    [[nodiscard]] std::uint64_t oldest_seq() const;

    /// Answers as soon as a matching event exists, or at the deadline with an empty list, or at
    /// once with what there is after close().
    boost::asio::awaitable<std::vector<Event>> wait(std::uint64_t after, std::string kind,
                                                    std::chrono::steady_clock::time_point deadline);

    /// Wakes every waiter for good and flushes the file. Further publish() calls still record.
    void close();
    void flush();

private:
    void notify_waiters();

    boost::asio::any_io_executor executor_;
    const base::Clock& clock_;
    std::unique_ptr<JsonlWriter> writer_;
    mutable std::mutex mutex_;
    std::deque<Event> events_; // seq ascending, without gaps
    std::size_t history_;
    std::uint64_t next_seq_ = 1;
    bool closed_ = false;
    using WaiterList = std::vector<std::shared_ptr<boost::asio::steady_timer>>;
    std::shared_ptr<WaiterList> waiters_ = std::make_shared<WaiterList>(); // touched on executor_ only
};

} // namespace omadm::shell
