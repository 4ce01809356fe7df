#pragma once
// Process-level pieces of the command-line contract (docs/control-api.md): the READY line, the
// control token, SIGTERM/SIGINT handling, the exit codes, a temporary state directory.

#include "omadm/base/clock.hpp"
#include "omadm/base/result.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/json/object.hpp>
#include <filesystem>
#include <functional>
#include <span>
#include <string>
#include <string_view>

namespace omadm::shell {

enum class ExitCode : int { Ok = 0, Usage = 2, Runtime = 3 };

/// Prints `READY <json>` on stdout as exactly one line and flushes it.
void print_ready(const boost::json::object& fields);

/// 32 hex characters from the system's cryptographic generator.
[[nodiscard]] std::string generate_token();

/// The wall clock, for the shells (the core only ever sees base::Clock&).
class SystemClock final : public base::Clock {
public:
    [[nodiscard]] base::TimePoint now() const override;
};

/// Blocks SIGTERM and SIGINT in the calling thread (and the threads it creates later). Call it first
/// thing in main(): a signal that arrives before TerminationSignals exists then stays pending
/// instead of killing the process with the default action (exit status 143).
void block_termination_signals();

/// The whole main() of a reference binary: blocks the termination signals first, then runs `run` on
/// the arguments; an exception escaping it is written as "<program>: fatal: <what>" on stderr and
/// exits Runtime.
[[nodiscard]] int run_main(int argc, char** argv, std::string_view program,
                           const std::function<int(std::span<const std::string_view>)>& run);

/// Calls `on_signal` once on the io_context's thread at the first SIGTERM or SIGINT. Once its
/// handler is registered it unblocks both signals in the constructing thread (delivering any that
/// arrived earlier); its destructor blocks them again, so a signal during the final teardown is
/// discarded instead of ending a graceful stop with the default action.
class TerminationSignals {
public:
    TerminationSignals(boost::asio::io_context& ioc, std::function<void(int)> on_signal);
    ~TerminationSignals();
    TerminationSignals(const TerminationSignals&) = delete;
    TerminationSignals& operator=(const TerminationSignals&) = delete;
    /// Stops listening (so that io_context::run can return); later signals are still caught.
    void cancel();

private:
    boost::asio::signal_set signals_;
};

/// A directory removed (recursively) when the object dies.
class TempDir {
public:
    [[nodiscard]] static base::Result<TempDir> create(std::string_view prefix);
    TempDir(TempDir&& other) noexcept;
    TempDir& operator=(TempDir&&) = delete;
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir();
    [[nodiscard]] const std::filesystem::path& path() const noexcept { return path_; }

private:
    explicit TempDir(std::filesystem::path p) : path_(std::move(p)) {}
    std::filesystem::path path_;
};

} // namespace omadm::shell
