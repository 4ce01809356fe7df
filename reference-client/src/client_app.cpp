#include "client_app.hpp"

#include "client_routes.hpp"
#include "omadm/shell/control_api.hpp"
#include "omadm/shell/http_server.hpp"
#include "omadm/shell/log.hpp"
#include "omadm/shell/mo_profile.hpp"
#include "omadm/shell/options.hpp"
#include "omadm/shell/process.hpp"
#include "omadm/shell/run_files.hpp"
#include "omadm/shell/shell_errc.hpp"
#include "omadm/shell/udp.hpp"
#include "package0_check.hpp"
#include "package0_replay_guard.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <iostream>
#include <unistd.h>

namespace omadm::client {

namespace {

using shell::ExitCode;

int usage_error(const std::string& detail) {
    std::cerr << "omadm-ref-client: " << detail << "\n";
    return static_cast<int>(ExitCode::Usage);
}

int runtime_error(const std::string& detail) {
    log::error(detail);
    log::flush();
    return static_cast<int>(ExitCode::Runtime);
}

struct Runtime {
    boost::asio::io_context ioc{1};
    shell::SystemClock wall;
    DeviceClock clock{wall};
    std::optional<shell::TempDir> temp_state;
    std::optional<shell::sqlite::Database> db;
    std::unique_ptr<shell::WireTrace> trace;
    std::unique_ptr<shell::EventBus> events;
    std::unique_ptr<Device> device;
    std::unique_ptr<SessionRunner> sessions;
    std::unique_ptr<boost::asio::steady_timer> timer;
    Package0ReplayGuard replay_guard;
};

base::Result<void> open_state(Runtime& rt, const shell::CommonOptions& o, const ClientFileConfig& config) {
    auto files = shell::open_run_files(o, "omadm-ref-client", rt.clock.now());
    if (!files) return files.error();
    if (files->temp_state) rt.temp_state.emplace(std::move(*files->temp_state));
    auto db = shell::sqlite::Database::open(files->state_dir / "device.db");
    if (!db) return db.error();
    rt.db.emplace(std::move(*db));
    rt.trace = std::move(files->wire_trace);
    if (config.start_time) {
        auto t = parse_rfc3339_utc(*config.start_time);
        if (!t)
            return base::make_error(shell::ShellErrc::bad_config,
                                    "config: field 'start_time' is not RFC 3339 UTC");
        rt.clock.set(*t);
    }
    rt.events =
        std::make_unique<shell::EventBus>(rt.ioc.get_executor(), rt.clock, std::move(files->event_log));
    return {};
}

/// Keeps one real timer on the device's next policy deadline.
void arm_timer(Runtime& rt) {
    rt.timer->cancel();
    const auto due = rt.device->next_deadline();
    if (!due) return;
    const auto wait = std::max(base::Duration{0}, *due - rt.clock.now());
    rt.timer->expires_after(wait);
    rt.timer->async_wait([&rt](const boost::system::error_code& ec) {
        if (ec) return;
        rt.device->on_time();
        arm_timer(rt);
    });
}

/// Judges a received Package 0, reports it, and starts the session it announces when accepted.
Package0Verdict on_package0(Runtime& rt, std::span<const std::uint8_t> bytes, const std::string& via) {
    // The account the notification names by its server id (the bootstrap server's when none does,
    // which the check then refuses as an unknown server).
    const ClientFileConfig& config = rt.device->config();
    const AccountConfig* account = &config.account;
    if (const auto decoded = auth::decode_package0(bytes)) {
        if (const AccountConfig* named = config.account_of(decoded->server_id)) account = named;
    }
    auto check = check_package0(bytes, *account, rt.device->server_nonce_b64(*account));
    if (check.verdict == Package0Verdict::BadDigest && rt.device->faults().accept_bad_pkg0_digest) {
        check.verdict = Package0Verdict::Accepted;
        rt.events->publish("fault_applied", "",
                           {{"fault", "accept_bad_pkg0_digest"}, {"target", "Package 0 digest"}});
    }
    if (check.verdict == Package0Verdict::Accepted &&
        rt.replay_guard.admit(*check.message) == ReplayVerdict::Replay) {
        check.verdict = Package0Verdict::Replayed;
    }
    boost::json::object f{
        {"verdict", package0_verdict_name(check.verdict)}, {"via", via}, {"bytes", bytes.size()}};
    if (check.message) {
        f["server_id"] = check.message->server_id;
        f["session_id"] = auth::session_id_hex(check.message->session_id);
        f["ui_mode"] = static_cast<int>(check.message->ui_mode);
    }
    if (check.verdict != Package0Verdict::Accepted) {
        rt.events->publish("pkg0_rejected", "", std::move(f));
        return check.verdict;
    }
    rt.events->publish("pkg0_received", "", std::move(f));
    (void)rt.sessions->request(session::SessionTrigger::ServerInitiated,
                               auth::session_id_hex(check.message->session_id), "package0",
                               account->server_id);
    return check.verdict;
}

shell::Response pkg0_response(const shell::Request& req, Package0Verdict verdict) {
    const auto status = static_cast<shell::http::status>(package0_http_status(verdict));
    if (verdict == Package0Verdict::Accepted) return shell::make_response(req, status, "text/plain", "");
    return shell::error_response(req, status, package0_verdict_name(verdict),
                                 package0_verdict_detail(verdict));
}

} // namespace

int run_client(std::span<const std::string_view> args) {
    auto started = shell::startup_options(args, "omadm-ref-client");
    const auto* options = std::get_if<shell::CommonOptions>(&started);
    if (options == nullptr) return std::get<int>(started);
    if (!options->config) return usage_error("--config FILE is required");
    auto config = load_client_config(*options->config);
    if (!config) return usage_error(config.error().detail);
    if (options->mo_profile) {
        auto profile = shell::load_mo_profile(*options->mo_profile);
        if (!profile) return usage_error(profile.error().detail);
        config->layout = std::move(profile->layout);
        config->props = std::move(profile->props);
        config->mo_schema = std::move(profile->schema);
    }

    Runtime rt;
    if (auto r = open_state(rt, *options, *config); !r) return usage_error(r.error().detail);
    auto device =
        Device::open(*config, *rt.db, rt.clock, [&rt](std::string kind, boost::json::object fields) {
            rt.events->publish(std::move(kind), rt.sessions ? rt.sessions->current_session() : std::string(),
                               std::move(fields));
        });
    if (!device) return usage_error(device.error().detail);
    rt.device = std::move(*device);
    rt.sessions = std::make_unique<SessionRunner>(rt.ioc.get_executor(), *rt.device, *rt.events,
                                                  rt.trace.get(), rt.clock);
    rt.timer = std::make_unique<boost::asio::steady_timer>(rt.ioc);
    rt.device->on_alert_queued(
        [&rt] { boost::asio::post(rt.ioc, [&rt] { rt.sessions->deliver_alerts("generic_alert"); }); });
    if (!rt.device->alerts_to_send().empty()) {
        // Alerts queued before a restart and not yet acknowledged: delivered in a session of their own.
        boost::asio::post(rt.ioc, [&rt] { rt.sessions->deliver_alerts("pending_alerts"); });
    }

    bool stop_requested = false;
    std::unique_ptr<shell::HttpServer> control_server;
    std::unique_ptr<shell::HttpServer> dm_server;
    std::unique_ptr<shell::UdpReceiver> udp;
    std::optional<shell::TerminationSignals> signals;
    const auto request_stop = [&] {
        boost::asio::post(rt.ioc, [&] {
            if (stop_requested) return;
            stop_requested = true;
            rt.events->publish("stopping", "");
            rt.events->close();
            control_server->stop();
            dm_server->stop();
            udp->stop();
            rt.timer->cancel();
            signals->cancel();
        });
    };

    shell::ControlApi control(options->token.value_or(shell::generate_token()));
    add_client_routes(control.router(), ClientRouteDeps{*rt.device, rt.clock, *rt.events, *rt.sessions,
                                                        [&rt] { arm_timer(rt); }, request_stop});
    control_server = std::make_unique<shell::HttpServer>(
        rt.ioc, [&control](const shell::Request& req) { return control.handle(req); },
        shell::HttpServerOptions{"control"});
    shell::Router dm_router;
    dm_router.route(
        shell::http::verb::post, "/pkg0", [&rt](const shell::Request& req, const shell::RouteMatch&) {
            const auto& b = req.body();
            const auto verdict = on_package0(
                rt, std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(b.data()), b.size()),
                "http");
            return pkg0_response(req, verdict);
        });
    dm_server = std::make_unique<shell::HttpServer>(
        rt.ioc, [&dm_router](const shell::Request& req) { return dm_router.dispatch(req); },
        shell::HttpServerOptions{"dm"});

    auto control_ep = control_server->listen(options->control);
    if (!control_ep) return runtime_error(control_ep.error().detail);
    auto dm_ep = dm_server->listen(options->listen);
    if (!dm_ep) return runtime_error(dm_ep.error().detail);
    auto receiver = shell::UdpReceiver::open(rt.ioc.get_executor(), shell::Endpoint{options->listen.host, 0});
    if (!receiver) return runtime_error(receiver.error().detail);
    udp = std::move(*receiver);
    udp->start([&rt](std::vector<std::uint8_t> bytes, const shell::Endpoint&) {
        (void)on_package0(rt, bytes, "udp");
    });
    control_server->start();
    dm_server->start();
    signals.emplace(rt.ioc, [&](int) { request_stop(); });
    arm_timer(rt);
    rt.events->publish("ready", "",
                       {{"port", dm_ep->port},
                        {"control_port", control_ep->port},
                        {"pkg0_udp_port", udp->local_endpoint().port}});
    shell::print_ready({{"pid", ::getpid()},
                        {"port", dm_ep->port},
                        {"control_port", control_ep->port},
                        {"token", control.token()},
                        {"scheme", "http"},
                        {"pkg0_udp_port", udp->local_endpoint().port}});
    rt.ioc.run();
    rt.device->on_stop();
    rt.events->flush();
    log::flush();
    return static_cast<int>(ExitCode::Ok);
}

} // namespace omadm::client
