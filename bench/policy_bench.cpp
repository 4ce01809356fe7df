// Cost of one tree change as the number of installed policies grows (MgmtPolicyMO-Device-03):
// N active policies, each watching its own node; the changed node is watched by exactly one of
// them. With the change index the cost should not depend on N: the figure printed at the end is
// time(N = 10000) / time(N = 10), target under 2.
#include "omadm/policy/policy_engine.hpp"
#include "omadm/policy/spec_writer.hpp"

#include <benchmark/benchmark.h>
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace {

using namespace omadm::policy;
using omadm::base::ServerId;
using omadm::base::StatusCode;
using omadm::base::TimePoint;

class BenchHost final : public PolicyHost {
public:
    std::optional<NodeValue> get(std::string_view uri) override {
        const auto it = nodes_.find(uri);
        if (it == nodes_.end()) return std::nullopt;
        return it->second;
    }
    std::vector<std::string> children(std::string_view uri) override {
        std::vector<std::string> out;
        const std::string prefix = std::string(uri) + "/";
        for (auto it = nodes_.lower_bound(prefix); it != nodes_.end() && it->first.starts_with(prefix);
             ++it) {
            const auto rest = std::string_view(it->first).substr(prefix.size());
            if (rest.find('/') == std::string_view::npos) out.emplace_back(rest);
        }
        return out;
    }
    ActionOutcome execute(const omadm::syncml::Command& c, const ServerId&) override {
        const omadm::syncml::Item* item = action_item(c);
        if (item == nullptr) return {};
        omadm::tree::Format format = omadm::tree::Format::Chr;
        if (item->meta && item->meta->format) {
            if (const auto parsed = omadm::tree::parse_format(*item->meta->format)) format = *parsed;
        }
        nodes_[std::string(action_target(c))] = NodeValue{item->data.value_or(""), format};
        return {};
    }
    AtomicOutcome execute_atomic(std::span<const omadm::syncml::Command> commands,
                                 const ServerId& s) override {
        AtomicOutcome out;
        for (const auto& c : commands)
            out.items.push_back(execute(c, s));
        return out;
    }
    StatusCode set_internal(std::string_view uri, const NodeValue& v) override {
        nodes_.insert_or_assign(std::string(uri), v);
        return StatusCode::Ok;
    }
    StatusCode remove_internal(std::string_view uri) override {
        nodes_.erase(std::string(uri));
        return StatusCode::Ok;
    }
    void apply(const std::vector<NodeWrite>& writes) {
        for (const auto& w : writes)
            nodes_.insert_or_assign(w.uri, NodeValue{w.value, w.format});
    }

private:
    std::map<std::string, NodeValue, std::less<>> nodes_;
};

class NullStore final : public AlertStore {
public:
    omadm::base::Result<void> save(const QueuedAlert&) override { return {}; }
    omadm::base::Result<void> erase(AlertId) override { return {}; }
    omadm::base::Result<std::vector<QueuedAlert>> load() override { return std::vector<QueuedAlert>{}; }
};

std::string watched(int i) {
    return "./Bench/N" + std::to_string(i) + "/Value";
}

struct World {
    explicit World(int policies) : engine(host, outbox) {
        const ServerId owner{"srvA"};
        for (int i = 0; i < policies; ++i) {
            host.set_internal(watched(i), NodeValue{"10", omadm::tree::Format::Int});
            PolicySpec s;
            s.id = "p" + std::to_string(i);
            s.version = "1";
            SimpleCondition c;
            c.name = "high";
            c.uri = watched(i);
            c.op = Operator::Gt;
            c.value = "50";
            s.conditions = {c};
            SimpleAction a;
            a.name = "set";
            a.command = CommandKind::Replace;
            a.target = "./Bench/Out/" + std::to_string(i);
            a.data = "on";
            s.actions = {a};
            const auto uri = engine.layout().root + "/p" + std::to_string(i);
            host.apply(download_writes(s, engine.layout(), uri));
            if (!omadm::base::is_success(engine.download(uri, owner, TimePoint{}).status) ||
                !omadm::base::is_success(
                    engine.exec(uri + "/Operations/Activate", owner, std::nullopt, TimePoint{}).status)) {
                std::fprintf(stderr, "setup failed for %s\n", uri.c_str());
                std::abort();
            }
        }
    }
    BenchHost host;
    NullStore store;
    Outbox outbox{store};
    PolicyEngine engine;
};

// One change of the node watched by policy 0; the condition stays false, so this is evaluation.
void BM_TreeChange(benchmark::State& state) {
    World world(static_cast<int>(state.range(0)));
    const auto uri = watched(0);
    int v = 0;
    for (auto _ : state) {
        world.host.set_internal(uri, NodeValue{(v++ & 1) != 0 ? "20" : "30", omadm::tree::Format::Int});
        auto step = world.engine.on_tree_changed(uri, TimePoint{});
        benchmark::DoNotOptimize(step);
    }
}
BENCHMARK(BM_TreeChange)->Arg(10)->Arg(10000);

// Prints each run, then the ratio of the largest to the smallest installation.
class RatioReporter final : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const auto& r : runs)
            times_.push_back(r.GetAdjustedRealTime());
    }
    void Finalize() override {
        ConsoleReporter::Finalize();
        if (times_.size() >= 2 && times_.front() > 0) {
            std::printf("ratio time(10000 policies) / time(10 policies) per change: %.2f (target < 2)\n",
                        times_.back() / times_.front());
        }
    }

private:
    std::vector<double> times_;
};

} // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    benchmark::Shutdown();
    return 0;
}
