#pragma once
// What the benchmarks that print ratios share: a console reporter that keeps each run's CPU time,
// and the main() that runs the benchmarks through it and then prints the ratio lines.

#include <benchmark/benchmark.h>
#include <cstdio>
#include <functional>
#include <map>
#include <string>
#include <vector>

namespace omadm::bench {

/// Console output as usual, plus the CPU time of each run kept for the ratio lines.
class RecordingReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const auto& run : runs)
            times_[run.benchmark_name()] = run.GetAdjustedCPUTime();
    }
    /// The CPU time of the run named `name`; 0 when it did not run.
    [[nodiscard]] double time(const std::string& name) const {
        const auto it = times_.find(name);
        return it == times_.end() ? 0.0 : it->second;
    }

private:
    std::map<std::string, double> times_;
};

/// Runs the benchmarks the command line selects, then `print_ratios` on their times.
inline int run_with_ratios(int argc, char** argv,
                           const std::function<void(const RecordingReporter&)>& print_ratios) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
    RecordingReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    std::fflush(stdout);
    print_ratios(reporter);
    benchmark::Shutdown();
    return 0;
}

} // namespace omadm::bench
