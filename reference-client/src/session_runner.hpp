#pragma once
// Runs client DM sessions over HTTP(S): the ClientSession engine fed with the server's responses,
// XML or WBXML per the account, x-syncml-hmac over the exact encoded bytes, queued Generic Alerts
// delivered and removed when acknowledged, retried later while the server is unreachable.

#include "device.hpp"
#include "omadm/shell/event_bus.hpp"
#include "omadm/shell/http_client.hpp"
#include "omadm/shell/system_random.hpp"
#include "omadm/shell/wire_trace.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

namespace omadm::client {

class SessionRunner {
public:
    SessionRunner(boost::asio::any_io_executor executor, Device& device, shell::EventBus& events,
                  shell::WireTrace* trace, const base::Clock& clock);

    /// Starts a session with the server of the account `server_id` (empty: the bootstrap server's),
    /// or, while one runs, another right after it. Returns its SessionID.
    std::string request(session::SessionTrigger trigger, std::optional<std::string> session_id,
                        std::string reason, std::string server_id = {});
    /// Delivers the queued Generic Alerts, each to the server of its policy's owner. Every session
    /// carries all the alerts queued for its server, so none is added for a server that already has
    /// one waiting to start: the alerts one stimulus queues go out together.
    void deliver_alerts(const std::string& reason);
    [[nodiscard]] const std::string& current_session() const noexcept { return current_; }

private:
    struct Request {
        session::SessionTrigger trigger;
        std::string session_id;
        std::string reason;
        bool alerts_only = false; ///< skipped when an earlier session delivered every alert
        std::string server_id;    ///< the account's server; empty: the bootstrap server
    };
    std::string enqueue(Request r);
    /// The account of a request's server; null for a server id the device has no account at.
    [[nodiscard]] const AccountConfig* account_of(const Request& r) const;
    boost::asio::awaitable<void> drain();
    boost::asio::awaitable<session::EndReason> run_one(const Request& r);
    boost::asio::awaitable<session::Step> exchange(session::ClientSession& s, const session::Outbound& out);
    void report(const session::Step& step, std::map<std::uint64_t, policy::AlertId>& tickets);
    void schedule_retry();

    boost::asio::any_io_executor executor_;
    Device& device_;
    shell::EventBus& events_;
    shell::WireTrace* trace_;
    const base::Clock& clock_;
    std::vector<Request> queue_;
    bool running_ = false;
    std::string current_;
    const AccountConfig* account_ = nullptr; ///< the account of the session running
    std::uint32_t next_id_ = 1;
    std::chrono::milliseconds backoff_{500};
    std::shared_ptr<boost::asio::steady_timer> retry_;
    shell::SystemRandom random_; // the nonce each session issues to the server
};

} // namespace omadm::client
