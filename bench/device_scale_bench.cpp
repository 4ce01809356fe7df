// The reference device as it holds more policies (MgmtPolicyMO-Device-03): installing 10,000
// policies through the DM command path (one Atomic of Adds per policy, as the reference server
// downloads it, handed to the device the way its session engine does, then the batch end), then
// restarting the device, then reading its policy list.
//
// Baseline: the install rate over the first policies, measured in the same run. Targets: the rate
// at the 10,000th policy is at least half the rate at the 10th; a restart holding 10,000 policies
// takes under 2 s.
#include "device.hpp"
#include "omadm/policy/spec_writer.hpp"
#include "omadm/shell/process.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

namespace {

using namespace omadm;
using Clock = std::chrono::steady_clock;

[[noreturn]] void die(const std::string& what) {
    std::fprintf(stderr, "bench_device_scale: %s\n", what.c_str());
    std::exit(1);
}

double seconds_since(Clock::time_point start) {
    return std::chrono::duration<double>(Clock::now() - start).count();
}

syncml::Command add(const policy::NodeWrite& w) {
    syncml::Add a;
    syncml::Item i;
    i.target = syncml::Location{w.uri.str(), std::nullopt};
    if (!w.interior()) i.data = w.value;
    syncml::Meta m;
    m.format = std::string(tree::format_name(w.format));
    if (!w.type.empty()) m.type = w.type;
    i.meta = m;
    a.items.push_back(std::move(i));
    return a;
}

/// Policy `i`: when its own node under ./Bench passes a threshold, Replace another, notifying.
syncml::Command download(int i) {
    policy::PolicySpec s;
    s.id = "p" + std::to_string(i);
    s.version = "1";
    policy::SimpleCondition c;
    c.name = "c1";
    c.uri = "./DevDetail/Ext/SysProps/Battery";
    c.op = policy::Operator::Lt;
    c.value = std::to_string(i % 100);
    s.conditions.push_back(c);
    policy::SimpleAction a;
    a.name = "a1";
    a.order = 1;
    a.command = policy::CommandKind::Replace;
    a.target = "./DevDetail/Ext/SysProps/Battery";
    a.data = "50";
    s.actions.push_back(a);
    syncml::Atomic atomic;
    const policy::PolicyLayout layout;
    for (const auto& w : policy::download_writes(s, layout, layout.root / s.id))
        atomic.commands.push_back(add(w));
    return atomic;
}

client::ClientFileConfig config() {
    client::ClientFileConfig c;
    c.dev_info.dev_id = "IMEI:bench";
    c.account.server_id = "srv";
    c.account.server_url = "http://127.0.0.1:1/dm";
    c.account.auth = session::AuthScheme::None;
    c.properties = {{"battery", "80"}};
    return c;
}

struct Opened {
    std::unique_ptr<shell::sqlite::Database> db;
    std::unique_ptr<client::Device> device;
};

Opened open_device(const std::filesystem::path& file, const base::Clock& clock) {
    auto db = shell::sqlite::Database::open(file);
    if (!db) die("cannot open the database: " + db.error().detail);
    Opened o;
    o.db = std::make_unique<shell::sqlite::Database>(std::move(*db));
    auto d = client::Device::open(config(), *o.db, clock, [](std::string, boost::json::object) {});
    if (!d) die("cannot open the device: " + d.error().detail);
    o.device = std::move(*d);
    return o;
}

} // namespace

int main(int argc, char** argv) {
    const int total = argc > 1 ? std::atoi(argv[1]) : 10000;
    constexpr int kWindow = 20; // policies timed around each sample point
    if (total < 2 * kWindow) die("at least 40 policies");
    auto dir = shell::TempDir::create("omadm-bench-device-");
    if (!dir) die("no temporary directory");
    const auto file = dir->path() / "device.db";
    shell::SystemClock clock;

    auto o = open_device(file, clock);
    session::CommandContext ctx;
    ctx.server_id = base::ServerId{"srv"};
    ctx.ver_proto = "DM/1.3";

    // Seconds per install of policy 1..total, each one batch as one session delivers it.
    std::vector<double> took(static_cast<std::size_t>(total) + 1, 0.0);
    const auto all = Clock::now();
    for (int i = 1; i <= total; ++i) {
        const auto cmd = download(i);
        const auto t0 = Clock::now();
        ctx.session_id = session::SessionId{std::to_string(i)};
        const auto out = o.device->handle(cmd, ctx);
        o.device->end_batch(clock.now());
        took[static_cast<std::size_t>(i)] = seconds_since(t0);
        if (out.code != base::StatusCode::Ok) die("policy " + std::to_string(i) + " refused");
    }
    const double install_s = seconds_since(all);

    // The rate at the n-th policy: the mean over the window of policies ending at n.
    auto rate_at = [&](int n) {
        double sum = 0;
        for (int i = n - kWindow + 1; i <= n; ++i)
            sum += took[static_cast<std::size_t>(i)];
        return kWindow / sum;
    };
    const double first = rate_at(kWindow);
    const double last = rate_at(total);

    const auto l0 = Clock::now();
    const auto listed = o.device->policies_json();
    const double list_s = seconds_since(l0);
    if (listed.size() != static_cast<std::size_t>(total)) die("policy list incomplete");

    o.device.reset();
    o.db.reset();
    const auto r0 = Clock::now();
    auto again = open_device(file, clock);
    const double restart_s = seconds_since(r0);
    if (again.device->policies_json().size() != static_cast<std::size_t>(total))
        die("policies lost on restart");

    std::printf("install %d policies: %.1f s (%.0f/s overall)\n", total, install_s, total / install_s);
    std::printf("rate at the %dth: %.0f/s   rate at the %dth: %.0f/s   ratio %.2f (target >= 0.5)\n", kWindow,
                first, total, last, last / first);
    std::printf("restart holding %d policies: %.2f s (target < 2)\n", total, restart_s);
    std::printf("policy list of %d policies: %.3f s\n", total, list_s);
    return 0;
}
