#pragma once
// Helpers shared by the shell library's tests: an io_context on a background thread, running a
// coroutine to completion, raw HTTP over a blocking socket, a throw-away TLS certificate.

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_future.hpp>
#include <filesystem>
#include <string>
#include <thread>

namespace omadm::shell::testing {

/// Runs an io_context on its own thread until stop_and_join().
class IoThread {
public:
    IoThread() : work_(boost::asio::make_work_guard(ioc_)), thread_([this] { ioc_.run(); }) {}
    IoThread(const IoThread&) = delete;
    IoThread& operator=(const IoThread&) = delete;
    ~IoThread() { stop_and_join(); }
    boost::asio::io_context& ioc() { return ioc_; }
    /// Lets run() return once the remaining work is done, and joins.
    void release_and_join() {
        work_.reset();
        if (thread_.joinable()) thread_.join();
    }
    void stop_and_join() {
        work_.reset();
        ioc_.stop();
        if (thread_.joinable()) thread_.join();
    }

private:
    boost::asio::io_context ioc_;
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> work_;
    std::thread thread_;
};

/// Runs one awaitable on a fresh io_context and returns its value.
template <class T> T run_sync(boost::asio::awaitable<T> op) {
    boost::asio::io_context ioc;
    auto future = boost::asio::co_spawn(ioc, std::move(op), boost::asio::use_future);
    ioc.run();
    return future.get();
}

/// Sends raw bytes on a new connection and reads until the server closes it.
std::string raw_exchange(std::uint16_t port, const std::string& bytes);

/// Writes a self-signed certificate for CN=localhost and its key as PEM files in `dir`.
void write_self_signed(const std::filesystem::path& dir, std::filesystem::path& cert,
                       std::filesystem::path& key);

} // namespace omadm::shell::testing
