#include "omadm/shell/process.hpp"

#include "omadm/shell/options.hpp"
#include "omadm/shell/shell_errc.hpp"

#include <array>
#include <boost/json/serialize.hpp>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <openssl/rand.h>
#include <pthread.h>
#include <string>
#include <system_error>

namespace omadm::shell {

void print_ready(const boost::json::object& fields) {
    const std::string line = "READY " + boost::json::serialize(fields) + "\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fflush(stdout);
}

std::string generate_token() {
    std::array<unsigned char, 16> bytes{};
    OMADM_CHECK(RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) == 1);
    constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    for (const unsigned char b : bytes) {
        out.push_back(kHex[b >> 4U]);
        out.push_back(kHex[b & 0x0FU]);
    }
    return out;
}

int run_main(int argc, char** argv, std::string_view program,
             const std::function<int(std::span<const std::string_view>)>& run) {
    block_termination_signals();
    try {
        const auto args = args_of(argc, argv);
        return run(args);
    } catch (const std::exception& e) {
        std::cerr << program << ": fatal: " << e.what() << "\n";
        return static_cast<int>(ExitCode::Runtime);
    }
}

base::TimePoint SystemClock::now() const {
    return std::chrono::time_point_cast<base::Duration>(std::chrono::system_clock::now());
}

namespace {

void mask_termination_signals(int how) {
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    OMADM_CHECK(pthread_sigmask(how, &set, nullptr) == 0);
}

} // namespace

void block_termination_signals() {
    mask_termination_signals(SIG_BLOCK);
}

TerminationSignals::TerminationSignals(boost::asio::io_context& ioc, std::function<void(int)> on_signal)
    : signals_(ioc, SIGTERM, SIGINT) {
    signals_.async_wait([cb = std::move(on_signal)](const boost::system::error_code& ec, int signo) {
        if (!ec) cb(signo);
    });
    mask_termination_signals(SIG_UNBLOCK);
}

TerminationSignals::~TerminationSignals() {
    mask_termination_signals(SIG_BLOCK);
}

void TerminationSignals::cancel() {
    boost::system::error_code ignored;
    signals_.cancel(ignored);
}

base::Result<TempDir> TempDir::create(std::string_view prefix) {
    std::error_code ec;
    auto base_dir = std::filesystem::temp_directory_path(ec);
    if (ec) return base::make_error(ShellErrc::io_error, "no temporary directory: " + ec.message());
    std::string pattern = (base_dir / (std::string(prefix) + "XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
        return base::make_error(ShellErrc::io_error,
                                "cannot create a temporary directory under " + base_dir.string());
    }
    return TempDir(std::filesystem::path(pattern));
}

TempDir::TempDir(TempDir&& other) noexcept : path_(std::move(other.path_)) {
    other.path_.clear();
}

TempDir::~TempDir() {
    if (path_.empty()) return;
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
}

} // namespace omadm::shell
