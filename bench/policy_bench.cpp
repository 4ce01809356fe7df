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

using omadm::tree::NodeUri;

NodeUri node(std::string_view text) {
    return NodeUri::parse(text).value();
}

class BenchHost final : public PolicyHost {
public:
    std::optional<NodeValue> get(const NodeUri& uri) override {
        const auto it = nodes_.find(uri);
        if (it == nodes_.end()) return std::nullopt;
        return it->second;
    }
    std::vector<std::string> children(const NodeUri& uri) override {
        std::vector<std::string> out;
        for (auto it = nodes_.upper_bound(uri); it != nodes_.end() && it->first.is_within(uri); ++it) {
            if (it->first.depth() == uri.depth() + 1) out.push_back(it->first.name());
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
        if (auto target = NodeUri::parse(action_target(c)))
            nodes_[*target] = NodeValue{item->data.value_or(""), format};
        return {};
    }
    AtomicOutcome execute_atomic(std::span<const omadm::syncml::Command> commands,
                                 const ServerId& s) override {
        AtomicOutcome out;
        for (const auto& c : commands)
            out.items.push_back(execute(c, s));
        return out;
    }
    StatusCode set_internal(const NodeUri& uri, const NodeValue& v) override {
        nodes_.insert_or_assign(uri, v);
        return StatusCode::Ok;
    }
    StatusCode remove_internal(const NodeUri& uri) override {
        nodes_.erase(uri);
        return StatusCode::Ok;
    }
    void apply(const std::vector<NodeWrite>& writes) {
        for (const auto& w : writes)
            nodes_.insert_or_assign(w.uri, NodeValue{w.value, w.format});
    }

private:
    std::map<NodeUri, NodeValue> nodes_;
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
            host.set_internal(node(watched(i)), NodeValue{"10", omadm::tree::Format::Int});
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
            const auto uri = engine.layout().root / s.id;
            host.apply(download_writes(s, engine.layout(), uri));
            if (!omadm::base::is_success(engine.download(uri, owner, TimePoint{}).status) ||
                !omadm::base::is_success(
                    engine.exec(engine.layout().operation_uri(uri, true), owner, std::nullopt, TimePoint{})
                        .status)) {
                std::fprintf(stderr, "setup failed for %s\n", uri.str().c_str());
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
    const auto uri = node(watched(0));
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
