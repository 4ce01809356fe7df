// Reference server throughput and reference device memory.
//
// 1. Sessions per second of omadm-ref-server with N simulated devices (N = 1, 8, 32) running at
//    once on loopback. One iteration of a device = the Get and Replace queued for it through the
//    control API, then one client-initiated DM session: Package 1 (Alert 1201 + DevInfo, md5),
//    Package 2 with the Get and the Replace, Package 3 with their Status and Results, Final.
//    The devices are omadm_client_lib Devices driven by the core's ClientSession engine over the
//    shell's HTTP client. The baseline, measured in the same run with the same driver (same
//    number of concurrent devices and iterations, same coroutines, same HTTP client), is a bare
//    Beast HTTP server that answers each request with a body of the size the real server answered
//    it with: the same HTTP exchanges with the same byte counts, and no DM processing on either
//    side.
// 2. Resident memory per device: many Devices (tree bootstrapped from the DDF, policy engine,
//    SQLite store) in one process, as RSS growth per device from /proc/self/statm, next to the
//    growth per empty tree::Tree.
//
// Usage: bench_server [--iterations K] [--devices M]   (defaults 30 and 200)
#include "device.hpp"
#include "omadm/base/overloaded.hpp"
#include "omadm/shell/http_client.hpp"
#include "omadm/shell/http_server.hpp"
#include "omadm/shell/process.hpp"
#include "omadm/shell/sqlite.hpp"
#include "omadm/syncml/codec.hpp"
#include "omadm/tree/tree.hpp"

#include <algorithm>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <signal.h>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <variant>
#include <vector>

namespace {

namespace asio = boost::asio;
namespace json = boost::json;
using namespace omadm;
using Clock = std::chrono::steady_clock;

using omadm::base::Overloaded;

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench_server: %s\n", what.c_str());
    std::exit(1);
}

/// Resident set size of a process ("self": this one), from /proc/<pid>/statm.
long rss_bytes(const std::string& pid = "self") {
    std::ifstream in("/proc/" + pid + "/statm");
    long size = 0;
    long resident = 0;
    in >> size >> resident;
    return resident * sysconf(_SC_PAGESIZE);
}

double process_cpu_s(pid_t pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto close = text.rfind(')');
    if (close == std::string::npos) return 0.0;
    std::istringstream rest(text.substr(close + 2));
    std::string field;
    unsigned long utime = 0;
    unsigned long stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 14) utime = std::stoul(field);
        if (i == 15) stime = std::stoul(field);
    }
    return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// ---------------------------------------------------------------------------------------------
// The reference server as a child process.

struct ServerProcess {
    pid_t pid = -1;
    shell::Endpoint dm;
    shell::Endpoint control;
    std::string token;
};

ServerProcess start_server() {
    int fds[2];
    if (pipe(fds) != 0) die("pipe failed");
    const pid_t pid = fork();
    if (pid < 0) die("fork failed");
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl(OMADM_SERVER_BIN, OMADM_SERVER_BIN, "--listen", "127.0.0.1:0", "--control", "127.0.0.1:0",
              "--log-level", "error", static_cast<char*>(nullptr));
        _exit(127);
    }
    close(fds[1]);
    std::string line;
    char c = 0;
    while (read(fds[0], &c, 1) == 1 && c != '\n')
        line += c;
    close(fds[0]);
    if (!line.starts_with("READY ")) die("server did not print READY (got '" + line + "')");
    const auto ready = json::parse(line.substr(6)).as_object();
    ServerProcess s;
    s.pid = pid;
    s.dm = shell::Endpoint{"127.0.0.1", static_cast<std::uint16_t>(ready.at("port").as_int64())};
    s.control = shell::Endpoint{"127.0.0.1", static_cast<std::uint16_t>(ready.at("control_port").as_int64())};
    s.token = std::string(ready.at("token").as_string());
    return s;
}

shell::Request control_request(const ServerProcess& s, shell::http::verb verb, const std::string& target,
                               const std::string& body) {
    auto req = shell::make_request(verb, target, s.control, body.empty() ? "" : "application/json", body);
    req.set(shell::http::field::authorization, "Bearer " + s.token);
    return req;
}

void control_blocking(const ServerProcess& s, shell::http::verb verb, const std::string& target,
                      const std::string& body) {
    auto resp = shell::http_exchange_blocking(s.control, control_request(s, verb, target, body));
    if (!resp || resp->result_int() >= 300) die("control " + target + " failed");
}

void stop_server(const ServerProcess& s) {
    (void)shell::http_exchange_blocking(s.control,
                                        control_request(s, shell::http::verb::post, "/v1/shutdown", ""));
    int status = 0;
    for (int i = 0; i < 50; ++i) {
        if (waitpid(s.pid, &status, WNOHANG) == s.pid) return;
        std::this_thread::sleep_for(std::chrono::milliseconds(100)); // bounded wait for a child to exit
    }
    kill(s.pid, SIGKILL);
    waitpid(s.pid, &status, 0);
}

std::string url_encode(std::string_view v) {
    std::string out;
    for (const char c : v) {
        if (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.') {
            out += c;
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", static_cast<unsigned char>(c));
            out += buf;
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Simulated devices.

constexpr const char* kServerId = "omadm-ref-server";

client::ClientFileConfig device_config(const std::string& dev_id, std::uint16_t dm_port) {
    client::ClientFileConfig c;
    c.dev_info.dev_id = dev_id;
    c.dev_info.dmv = "1.3";
    c.account.server_id = kServerId;
    c.account.server_url = "http://127.0.0.1:" + std::to_string(dm_port) + "/dm";
    c.account.client_user = "user-" + dev_id;
    c.account.client_password = "secret-" + dev_id;
    c.account.server_password = "srv-secret";
    c.account.auth = session::AuthScheme::Md5;
    c.account.ver_proto = syncml::kVerProtoDm13;
    return c;
}

struct SimDevice {
    std::string id;
    std::unique_ptr<shell::sqlite::Database> db;
    std::unique_ptr<client::Device> device;
    std::uint32_t next_session = 1;
};

std::unique_ptr<SimDevice> open_device(const std::filesystem::path& dir, const std::string& id,
                                       std::uint16_t port, const base::Clock& clock) {
    auto sim = std::make_unique<SimDevice>();
    sim->id = id;
    auto db = shell::sqlite::Database::open(dir / (url_encode(id) + ".db"));
    if (!db) die("cannot open a device database: " + db.error().detail);
    sim->db = std::make_unique<shell::sqlite::Database>(std::move(*db));
    auto dev =
        client::Device::open(device_config(id, port), *sim->db, clock, [](std::string, json::object) {});
    if (!dev) die("cannot open a device: " + dev.error().detail);
    sim->device = std::move(*dev);
    return sim;
}

/// One HTTP exchange as the baseline replays it: the request body the real run sent and the size
/// of the body the real server answered.
struct Exchange {
    bool control = false;
    std::string target;
    std::string content_type;
    std::string body;
    std::size_t reply_bytes = 0;
};

struct RunStats {
    std::size_t sessions = 0;
    std::size_t completed = 0;
    std::size_t commands_executed = 0; // Get/Replace executed by the devices
    std::size_t failures = 0;
    double seconds = 0.0;
    double server_cpu_s = 0.0;
};

double rate(const RunStats& s) {
    return s.seconds > 0 ? static_cast<double>(s.sessions) / s.seconds : 0.0;
}

struct Recorder {
    bool on = false;
    std::vector<Exchange> exchanges;
};

asio::awaitable<bool> queue_batch(const ServerProcess& s, const SimDevice& d, Recorder& rec) {
    static const std::string body =
        R"({"commands":[{"cmd":"Get","target":"./DevInfo/Mod"},)"
        R"({"cmd":"Replace","target":"./DMAcc/DMAcc1/Name","data":"omadm-ref-server"}]})";
    const std::string target = "/v1/devices/" + url_encode(d.id) + "/commands";
    // A named options object: a braced temporary as a by-value coroutine argument is freed twice by
    // GCC 12.
    const shell::HttpClientOptions opts;
    auto resp =
        co_await shell::http_exchange(co_await asio::this_coro::executor, s.control,
                                      control_request(s, shell::http::verb::post, target, body), opts);
    if (!resp || resp->result_int() >= 300) co_return false;
    if (rec.on)
        rec.exchanges.push_back(Exchange{true, target, "application/json", body, resp->body().size()});
    co_return true;
}

/// One DM session of `d` through the ClientSession engine; counts executed commands.
asio::awaitable<session::EndReason> run_session(const ServerProcess& s, SimDevice& d,
                                                const base::Clock& clock, RunStats& stats, Recorder& rec) {
    char sid[16];
    std::snprintf(sid, sizeof sid, "%X", d.next_session++);
    session::ClientSession engine(d.device->session_config(d.device->config().account,
                                                           session::SessionTrigger::ClientInitiated,
                                                           base::SessionId{sid}),
                                  *d.device);
    session::Step step = engine.start(clock.now());
    const auto ex = co_await asio::this_coro::executor;
    const shell::HttpClientOptions opts;
    for (int guard = 0; guard < 64; ++guard) {
        for (const auto& e : step.events) {
            std::visit(Overloaded{
                           [&](const session::event::NonceIssued& x) {
                               d.device->store_nonce(d.device->config().account, x.role, x.nonce_b64);
                           },
                           [&](const session::event::CommandExecuted&) { ++stats.commands_executed; },
                           [](const auto&) {},
                       },
                       e);
        }
        if (step.end) co_return step.end->reason;
        if (step.send.empty()) {
            step = engine.on_timeout(clock.now());
            continue;
        }
        const auto& out = step.send.front();
        auto body = syncml::encode(out.message, syncml::Encoding::Xml);
        if (!body) die("encode failed");
        std::string target = "/dm";
        if (!out.destination.empty()) {
            const auto p = out.destination.find('/', out.destination.find("//") + 2);
            if (p != std::string::npos) target = out.destination.substr(p);
        }
        const std::string ctype(syncml::content_type(syncml::Encoding::Xml));
        auto req = shell::make_request(shell::http::verb::post, target, s.dm, ctype, *body);
        auto resp = co_await shell::http_exchange(ex, s.dm, std::move(req), opts);
        if (!resp || resp->result() != shell::http::status::ok) {
            step = engine.on_transport_error("exchange failed", clock.now());
            continue;
        }
        if (rec.on) rec.exchanges.push_back(Exchange{false, target, ctype, *body, resp->body().size()});
        auto msg = syncml::decode(resp->body(), syncml::Encoding::Xml);
        if (!msg) {
            step = engine.on_transport_error("undecodable", clock.now());
            continue;
        }
        step = engine.on_message(session::Inbound{*msg, resp->body(), std::nullopt, {}}, clock.now());
    }
    co_return session::EndReason::ProtocolError;
}

RunStats run_real(const ServerProcess& s, std::vector<std::unique_ptr<SimDevice>>& devices, int iterations,
                  const base::Clock& clock, Recorder& rec) {
    asio::io_context ioc;
    RunStats stats;
    const double cpu0 = process_cpu_s(s.pid);
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i < devices.size(); ++i) {
        asio::co_spawn(
            ioc,
            [&, i]() -> asio::awaitable<void> {
                Recorder off;
                Recorder& r = i == 0 ? rec : off;
                for (int k = 0; k < iterations; ++k) {
                    r.on = i == 0 && k == 1 && rec.exchanges.empty(); // a session with a fresh nonce
                    if (!co_await queue_batch(s, *devices[i], r)) {
                        ++stats.failures;
                        continue;
                    }
                    const auto reason = co_await run_session(s, *devices[i], clock, stats, r);
                    ++stats.sessions;
                    if (reason == session::EndReason::Completed) ++stats.completed;
                    r.on = false;
                }
            },
            asio::detached);
    }
    ioc.run();
    stats.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    stats.server_cpu_s = process_cpu_s(s.pid) - cpu0;
    return stats;
}

/// `devices` run sessions back to back for `seconds`; the server's RSS is sampled every tenth of
/// the run. The baseline is the RSS once the first fifth (warm-up: caches, the event history
/// filling to its bound) is over; the figure is how much it grew after that.
void soak(const ServerProcess& s, std::vector<std::unique_ptr<SimDevice>>& devices, int seconds,
          const base::Clock& clock) {
    asio::io_context ioc;
    RunStats stats;
    Recorder off;
    const auto end = Clock::now() + std::chrono::seconds(seconds);
    for (auto& d : devices) {
        asio::co_spawn(
            ioc,
            [&]() -> asio::awaitable<void> {
                while (Clock::now() < end) {
                    if (!co_await queue_batch(s, *d, off)) {
                        ++stats.failures;
                        continue;
                    }
                    if (co_await run_session(s, *d, clock, stats, off) == session::EndReason::Completed)
                        ++stats.completed;
                    ++stats.sessions;
                }
            },
            asio::detached);
    }
    struct Sample {
        double at_s;
        std::size_t sessions;
        long rss;
    };
    std::vector<Sample> samples;
    const auto t0 = Clock::now();
    asio::co_spawn(
        ioc,
        [&]() -> asio::awaitable<void> {
            asio::steady_timer timer(co_await asio::this_coro::executor);
            for (int i = 1; i <= 10; ++i) {
                timer.expires_at(t0 + std::chrono::milliseconds(seconds * 100 * i));
                co_await timer.async_wait(asio::use_awaitable);
                samples.push_back(Sample{std::chrono::duration<double>(Clock::now() - t0).count(),
                                         stats.sessions, rss_bytes(std::to_string(s.pid))});
            }
        },
        asio::detached);
    ioc.run();
    for (const auto& x : samples)
        std::printf("soak t=%5.1f s: %7zu sessions, server RSS %.1f MiB\n", x.at_s, x.sessions,
                    static_cast<double>(x.rss) / (1024.0 * 1024.0));
    if (samples.size() < 10) die("soak: the RSS was not sampled");
    const Sample& warm = samples[1];
    const Sample& last = samples.back();
    const double grown_kib = static_cast<double>(last.rss - warm.rss) / 1024.0;
    const auto sessions = static_cast<double>(last.sessions - warm.sessions);
    std::printf("soak: %zu devices, %d s, %zu sessions (%zu completed, %zu failed to queue)\n",
                devices.size(), seconds, stats.sessions, stats.completed, stats.failures);
    std::printf(
        "soak: server RSS after warm-up %.1f MiB, at the end %.1f MiB: ratio %.3f, %+.2f KiB per 1000 "
        "sessions\n",
        static_cast<double>(warm.rss) / (1024.0 * 1024.0), static_cast<double>(last.rss) / (1024.0 * 1024.0),
        static_cast<double>(last.rss) / static_cast<double>(warm.rss),
        sessions > 0 ? 1000.0 * grown_kib / sessions : 0.0);
}

std::vector<std::unique_ptr<SimDevice>> enrolled_devices(const ServerProcess& server, std::size_t n,
                                                         const std::string& group,
                                                         const std::filesystem::path& dir,
                                                         const base::Clock& clock) {
    std::filesystem::create_directories(dir);
    std::vector<std::unique_ptr<SimDevice>> devices;
    for (std::size_t i = 0; i < n; ++i) {
        const std::string id = "IMEI:bench-" + group + "-" + std::to_string(i);
        const auto cfg = device_config(id, server.dm.port);
        json::object acc{{"user", cfg.account.client_user},
                         {"password", cfg.account.client_password},
                         {"auth", "md5"},
                         {"server_password", cfg.account.server_password}};
        control_blocking(server, shell::http::verb::put, "/v1/devices/" + url_encode(id) + "/account",
                         json::serialize(acc));
        devices.push_back(open_device(dir, id, server.dm.port, clock));
    }
    return devices;
}

// ---------------------------------------------------------------------------------------------
// Baseline: bare Beast server answering the recorded sizes.

RunStats run_baseline(const shell::Endpoint& echo, std::size_t clients, int iterations,
                      const std::vector<Exchange>& script) {
    asio::io_context ioc;
    RunStats stats;
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i < clients; ++i) {
        asio::co_spawn(
            ioc,
            [&]() -> asio::awaitable<void> {
                const auto ex = co_await asio::this_coro::executor;
                const shell::HttpClientOptions opts;
                for (int k = 0; k < iterations; ++k) {
                    bool ok = true;
                    for (const auto& x : script) {
                        auto req = shell::make_request(shell::http::verb::post, x.target, echo,
                                                       x.content_type, x.body);
                        req.set("x-reply-bytes", std::to_string(x.reply_bytes));
                        auto resp = co_await shell::http_exchange(ex, echo, std::move(req), opts);
                        if (!resp || resp->body().size() != x.reply_bytes) ok = false;
                    }
                    ++stats.sessions;
                    if (ok) ++stats.completed;
                }
            },
            asio::detached);
    }
    ioc.run();
    stats.seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    return stats;
}

// ---------------------------------------------------------------------------------------------

void memory_figures(int count, const base::Clock& clock, const std::filesystem::path& dir) {
    std::filesystem::create_directories(dir);
    std::vector<std::unique_ptr<tree::Tree>> trees;
    const long r0 = rss_bytes();
    for (int i = 0; i < count; ++i)
        trees.push_back(std::make_unique<tree::Tree>());
    const long r1 = rss_bytes();
    std::vector<std::unique_ptr<SimDevice>> devices;
    for (int i = 0; i < count; ++i)
        devices.push_back(open_device(dir, "IMEI:mem-" + std::to_string(i), 9, clock));
    const long r2 = rss_bytes();
    const double per_tree = static_cast<double>(r1 - r0) / count;
    const double per_device = static_cast<double>(r2 - r1) / count;
    std::printf("memory: %d empty tree::Tree: RSS +%.1f KiB each\n", count, per_tree / 1024.0);
    std::printf("memory: %d client Devices (DDF tree, policy engine, SQLite store): RSS +%.1f KiB each\n",
                count, per_device / 1024.0);
    if (per_tree > 0) std::printf("ratio memory per device vs empty tree: %.0fx\n", per_device / per_tree);
}

} // namespace

int main(int argc, char** argv) {
    int iterations = 30;
    int mem_devices = 200;
    int soak_seconds = 0;
    int soak_devices = 50;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--iterations")
            iterations = std::max(2, std::atoi(argv[i + 1]));
        else if (a == "--devices")
            mem_devices = std::max(1, std::atoi(argv[i + 1]));
        else if (a == "--soak")
            soak_seconds = std::max(10, std::atoi(argv[i + 1]));
        else if (a == "--soak-devices")
            soak_devices = std::max(1, std::atoi(argv[i + 1]));
        else
            die("usage: bench_server [--iterations K] [--devices M] | --soak SECONDS [--soak-devices N]");
    }
    shell::SystemClock clock;
    auto tmp = shell::TempDir::create("omadm-bench-server-");
    if (!tmp) die("cannot create a temporary directory");

    if (soak_seconds > 0) {
        const ServerProcess server = start_server();
        auto devices = enrolled_devices(server, static_cast<std::size_t>(soak_devices), "soak",
                                        tmp->path() / "soak", clock);
        soak(server, devices, soak_seconds, clock);
        stop_server(server);
        return 0;
    }

    // Memory first, on a heap not yet grown by the throughput runs.
    memory_figures(mem_devices, clock, tmp->path() / "mem");

    const ServerProcess server = start_server();

    // The bare Beast server: each answer carries as many bytes as the request's x-reply-bytes asks.
    asio::io_context echo_ioc;
    shell::HttpServer echo(
        echo_ioc,
        [](const shell::Request& req) -> asio::awaitable<shell::Response> {
            const auto n =
                std::strtoul(std::string(shell::header_value(req, "x-reply-bytes")).c_str(), nullptr, 10);
            co_return shell::make_response(req, shell::http::status::ok, "application/vnd.syncml.dm+xml",
                                           std::string(n, 'x'));
        },
        shell::HttpServerOptions{});
    auto echo_ep = echo.listen(shell::Endpoint{"127.0.0.1", 0});
    if (!echo_ep) die("echo server cannot listen");
    echo.start();
    std::thread echo_thread([&] { echo_ioc.run(); });

    std::printf(
        "sessions: each = control-API queue (Get + Replace) + DM session (Pkg1 md5 Alert 1201 + DevInfo, "
        "Pkg2 Get+Replace, Pkg3, Final); %d per device\n",
        iterations);
    struct Row {
        std::size_t n;
        RunStats real;
        RunStats base;
    };
    std::vector<Row> rows;
    Recorder rec;
    int group = 0;
    for (const std::size_t n : {1U, 8U, 32U}) {
        ++group;
        auto devices = enrolled_devices(server, n, std::to_string(group),
                                        tmp->path() / ("run" + std::to_string(group)), clock);
        Row row{n, run_real(server, devices, iterations, clock, rec), {}};
        if (rec.exchanges.empty()) die("no session was recorded for the baseline");
        row.base = run_baseline(*echo_ep, n, iterations, rec.exchanges);
        const double cpu_ms =
            row.real.sessions ? 1000.0 * row.real.server_cpu_s / static_cast<double>(row.real.sessions) : 0.0;
        std::printf("N=%-2zu real server: %5.0f sessions/s (%zu sessions, %zu completed, %zu of %zu commands "
                    "executed, "
                    "%.2f ms server CPU per session) | bare Beast: %6.0f sessions/s | ratio %.1fx slower\n",
                    n, rate(row.real), row.real.sessions, row.real.completed, row.real.commands_executed,
                    row.real.sessions * 2, cpu_ms, rate(row.base), rate(row.base) / rate(row.real));
        std::fflush(stdout);
        rows.push_back(row);
    }
    std::size_t req_bytes = 0;
    std::size_t resp_bytes = 0;
    for (const auto& x : rec.exchanges) {
        req_bytes += x.body.size();
        resp_bytes += x.reply_bytes;
    }
    std::printf("baseline script: %zu HTTP exchanges per session, %zu bytes sent, %zu bytes answered\n",
                rec.exchanges.size(), req_bytes, resp_bytes);
    std::printf(
        "summary: reference server sessions/s relative to a bare Beast server answering the same sizes "
        "(same driver, same run)\n");
    for (const auto& r : rows) {
        std::printf("ratio N=%zu: %.0f vs %.0f sessions/s = %.2f of the bare server's rate\n", r.n,
                    rate(r.real), rate(r.base), rate(r.real) / rate(r.base));
    }

    echo.stop();
    echo_ioc.stop();
    echo_thread.join();
    stop_server(server);
    return 0;
}
