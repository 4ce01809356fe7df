#include "server_app.hpp"

#include "control_routes.hpp"
#include "dm_endpoint.hpp"
#include "engine_session.hpp"
#include "omadm/shell/control_api.hpp"
#include "omadm/shell/http_server.hpp"
#include "omadm/shell/log.hpp"
#include "omadm/shell/mo_profile.hpp"
#include "omadm/shell/options.hpp"
#include "omadm/shell/process.hpp"
#include "omadm/shell/run_files.hpp"
#include "omadm/shell/shell_errc.hpp"
#include "omadm/shell/system_random.hpp"
#include "server_config.hpp"
#include "server_faults.hpp"

#include <algorithm>
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <cstdio>
#include <exception>
#include <iostream>
#include <openssl/rand.h>
#include <unistd.h>

namespace omadm::server {

namespace {

using shell::ExitCode;

int usage_error(const std::string& detail) {
    std::cerr << "omadm-ref-server: " << detail << "\n" << shell::common_usage("omadm-ref-server");
    return static_cast<int>(ExitCode::Usage);
}

int runtime_error(const std::string& detail) {
    log::error(detail);
    log::flush();
    return static_cast<int>(ExitCode::Runtime);
}

/// A Package 0 SessionID, written in the client's SyncHdr as 1 to 4 hex digits without leading
/// zeros (OMA-TS-DM_Notification-V1_2_1 §6). Drawn from 0x1000..0xFFFF so that it always takes
/// four: the size of every message of the session, and so where a large object is split, does not
/// vary from one run to the next.
std::uint16_t random_session_id() {
    std::uint16_t v = 0;
    while (v < 0x1000U) {
        std::array<unsigned char, 2> b{};
        OMADM_CHECK(RAND_bytes(b.data(), 2) == 1);
        v = static_cast<std::uint16_t>((b[0] << 8U) | b[1]);
    }
    return v;
}

/// The arguments without `--faults LIST` / `--faults=LIST` (the server's own option), and the faults
/// it names (docs/control-api.md, Command line).
struct SplitArgs {
    std::vector<std::string_view> common;
    std::optional<std::string_view> faults;
};

base::Result<SplitArgs> split_faults_option(std::span<const std::string_view> args) {
    SplitArgs out;
    for (std::size_t i = 0; i < args.size(); ++i) {
        if (args[i].starts_with("--faults=")) {
            out.faults = args[i].substr(9);
        } else if (args[i] == "--faults") {
            if (i + 1 >= args.size()) {
                return base::make_error(shell::ShellErrc::bad_option, "--faults: missing value");
            }
            out.faults = args[++i];
        } else {
            out.common.push_back(args[i]);
        }
    }
    return out;
}

/// Everything that lives as long as the process serves.
struct Runtime {
    boost::asio::io_context ioc{1};
    shell::SystemClock clock;
    std::optional<shell::TempDir> temp_state;
    std::unique_ptr<ServerStore> store;
    std::unique_ptr<shell::WireTrace> wire_trace;
    std::unique_ptr<shell::EventBus> events;
    shell::SystemRandom random;
    std::unique_ptr<EngineSessionFactory> engine;
    ServerFaults faults;
};

/// Runs the io_context until stop; once stop is asked, gives connections at most `grace` to end.
void run_until_stopped(boost::asio::io_context& ioc, const bool& stop_requested) {
    constexpr auto kGrace = std::chrono::milliseconds(1500);
    std::optional<std::chrono::steady_clock::time_point> hard_stop;
    for (;;) {
        const auto n = ioc.run_one_for(std::chrono::milliseconds(100));
        if (n == 0 && ioc.stopped()) return;
        if (stop_requested && !hard_stop) hard_stop = std::chrono::steady_clock::now() + kGrace;
        if (hard_stop && std::chrono::steady_clock::now() > *hard_stop) {
            ioc.stop();
            return;
        }
    }
}

/// Ends abandoned DM sessions: wakes at the earliest session deadline (at least every second, so
/// that sessions begun meanwhile are seen) until the timer is cancelled at stop.
boost::asio::awaitable<void> expire_sessions(boost::asio::steady_timer& timer, DmEndpoint& dm,
                                             const base::Clock& clock, const bool& stop_requested) {
    constexpr auto kMaxWait = std::chrono::milliseconds(1000);
    while (!stop_requested) {
        auto wait = kMaxWait;
        if (const auto deadline = dm.next_deadline()) {
            const auto until = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - clock.now());
            wait = std::clamp(until + std::chrono::milliseconds(1), std::chrono::milliseconds(0), kMaxWait);
        }
        timer.expires_after(wait);
        auto [ec] = co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
        if (ec || stop_requested) co_return;
        dm.expire(clock.now());
    }
}

base::Result<void> open_state(Runtime& rt, const shell::CommonOptions& o) {
    auto files = shell::open_run_files(o, "omadm-ref-server", rt.clock.now());
    if (!files) return files.error();
    if (files->temp_state) rt.temp_state.emplace(std::move(*files->temp_state));
    auto store = ServerStore::open(files->state_dir);
    if (!store) return store.error();
    rt.store = std::move(*store);
    rt.wire_trace = std::move(files->wire_trace);
    rt.events =
        std::make_unique<shell::EventBus>(rt.ioc.get_executor(), rt.clock, std::move(files->event_log));
    auto recovered = rt.store->recover();
    if (!recovered) return recovered.error();
    if (*recovered != ServerStore::Recovery{}) {
        rt.events->publish("store_recovered", "",
                           {{"sessions_aborted", recovered->sessions_aborted},
                            {"batches_requeued", recovered->batches_requeued},
                            {"batches_failed", recovered->batches_failed}});
    }
    return {};
}

} // namespace

int run_server(std::span<const std::string_view> all_args, DmSessionHandlerFactory* factory) {
    auto args = split_faults_option(all_args);
    if (!args) return usage_error(args.error().detail);
    auto started = shell::startup_options(args->common, "omadm-ref-server");
    const auto* options = std::get_if<shell::CommonOptions>(&started);
    if (options == nullptr) return std::get<int>(started);
    ServerFaults faults;
    if (args->faults) {
        auto parsed = parse_fault_list(*args->faults);
        if (!parsed) return usage_error(parsed.error().detail);
        faults = *parsed;
    }
    ServerConfig config;
    if (options->config) {
        auto c = load_server_config(*options->config);
        if (!c) return usage_error(c.error().detail);
        config = std::move(*c);
    }
    if (options->mo_profile) {
        auto profile = shell::load_mo_profile(*options->mo_profile);
        if (!profile) return usage_error(profile.error().detail);
        config.layout = std::move(profile->layout);
    }
    std::shared_ptr<shell::TlsContext> tls;
    if (options->tls_cert) {
        auto ctx = shell::make_server_tls_context(*options->tls_cert, *options->tls_key);
        if (!ctx) return usage_error(ctx.error().detail);
        tls = std::move(*ctx);
    }
    Runtime rt;
    rt.faults = faults;
    if (auto r = open_state(rt, *options); !r) return usage_error(r.error().detail);

    bool stop_requested = false;
    std::unique_ptr<shell::HttpServer> dm_server;
    std::unique_ptr<shell::HttpServer> control_server;
    std::optional<shell::TerminationSignals> signals;
    boost::asio::steady_timer expiry(rt.ioc);
    const auto request_stop = [&] {
        boost::asio::post(rt.ioc, [&] {
            if (stop_requested) return;
            stop_requested = true;
            log::info("stopping");
            rt.events->publish("stopping", "");
            rt.events->close();
            control_server->stop();
            dm_server->stop();
            signals->cancel();
            expiry.cancel();
        });
    };

    shell::ControlApi control(options->token.value_or(shell::generate_token()));
    add_control_routes(control.router(), ControlDeps{*rt.store, *rt.events, config, rt.wire_trace.get(),
                                                     request_stop, random_session_id, rt.faults});
    rt.engine = std::make_unique<EngineSessionFactory>(
        EngineDeps{*rt.store, *rt.events, rt.random, config, &rt.faults});
    DmEndpoint dm(DmEndpointDeps{*rt.store,
                                 *rt.events,
                                 rt.clock,
                                 rt.wire_trace.get(),
                                 {},
                                 tls ? "https" : "http",
                                 {},
                                 &rt.faults,
                                 config.require_account},
                  factory != nullptr ? *factory : *rt.engine);

    shell::HttpServerOptions dm_options;
    dm_options.name = "dm";
    dm_options.max_body_bytes = config.dm_max_body_bytes;
    dm_options.on_rejected = [&dm](const shell::TransportRejection& r) { dm.on_transport_rejected(r); };
    dm_server = std::make_unique<shell::HttpServer>(
        rt.ioc,
        [&dm](const shell::Request& req) -> boost::asio::awaitable<shell::Response> {
            co_return dm.handle(req);
        },
        dm_options, tls);
    shell::HttpServerOptions control_options;
    control_options.name = "control";
    control_server = std::make_unique<shell::HttpServer>(
        rt.ioc, [&control](const shell::Request& req) { return control.handle(req); }, control_options);

    auto dm_bound = dm_server->listen(options->listen);
    if (!dm_bound) return runtime_error("--listen: " + dm_bound.error().detail);
    auto control_bound = control_server->listen(options->control);
    if (!control_bound) return runtime_error("--control: " + control_bound.error().detail);
    dm_server->start();
    control_server->start();
    boost::asio::co_spawn(rt.ioc, expire_sessions(expiry, dm, rt.clock, stop_requested),
                          [](std::exception_ptr e) {
                              if (!e) return;
                              try {
                                  std::rethrow_exception(e);
                              } catch (const std::exception& ex) {
                                  log::error(std::string("session expiry: ") + ex.what());
                              }
                          });
    signals.emplace(rt.ioc, [&](int signo) {
        log::info("signal " + std::to_string(signo));
        request_stop();
    });

    if (rt.faults != ServerFaults{}) rt.events->publish("faults_set", "", faults_json(rt.faults));
    rt.events->publish("started", "",
                       {{"port", dm_bound->port},
                        {"control_port", control_bound->port},
                        {"scheme", shell::scheme_name(dm_server->scheme())},
                        {"server_id", config.server_id}});
    shell::print_ready({{"pid", ::getpid()},
                        {"port", dm_bound->port},
                        {"control_port", control_bound->port},
                        {"token", control.token()},
                        {"scheme", shell::scheme_name(dm_server->scheme())}});
    log::info("serving DM on " + shell::to_string(*dm_bound) + ", control on " +
              shell::to_string(*control_bound));

    run_until_stopped(rt.ioc, stop_requested);
    rt.events->flush();
    log::flush();
    return 0;
}

} // namespace omadm::server
