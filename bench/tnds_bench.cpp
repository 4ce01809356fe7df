// TNDS serialise + parse of a 500-node subtree, in MB/s, with a bare pugixml parse of the same bytes
// measured in the same run as the baseline. After the benchmarks, one line per case gives its time
// as a multiple of that baseline (ratio = our time / pugixml's).
#include "omadm/tree/tnds.hpp"
#include "omadm/tree/tree.hpp"
#include "recording_reporter.hpp"

#include <benchmark/benchmark.h>
#include <cstdio>
#include <pugixml.hpp>
#include <string>
#include <vector>

namespace {

using namespace omadm::tree;

/// 500 nodes: 50 interior policy-like nodes with 9 leaves each (plus the start node).
TndsDocument make_document() {
    Tree t;
    const auto boot = Principal::bootstrap();
    const omadm::base::TimePoint now{};
    for (int p = 0; p < 50; ++p) {
        const std::string base = "Bench/p" + std::to_string(p);
        (void)t.add(boot, NodeUri::parse(base).value(), NodeContent{Format::Node, "urn:example:1.0", {}},
                    now);
        for (int l = 0; l < 9; ++l) {
            const auto leaf = NodeUri::parse(base + "/Leaf" + std::to_string(l)).value();
            (void)t.add(boot, leaf,
                        NodeContent{Format::Chr, "text/plain", "value-" + std::to_string(p * 10 + l)}, now);
        }
    }
    return *t.export_tnds(boot, NodeUri::parse("Bench").value());
}

const TndsDocument& document() {
    static const TndsDocument doc = make_document();
    return doc;
}

void BM_TndsEncode(benchmark::State& state) {
    const TndsDocument& doc = document();
    std::size_t bytes = 0;
    for (auto _ : state) {
        std::string text = encode_tnds(doc);
        bytes += text.size();
        benchmark::DoNotOptimize(text);
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

void BM_TndsDecode(benchmark::State& state) {
    const std::string text = encode_tnds(document());
    for (auto _ : state) {
        auto doc = decode_tnds(text);
        benchmark::DoNotOptimize(doc);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void BM_PugixmlParseBaseline(benchmark::State& state) {
    const std::string text = encode_tnds(document());
    for (auto _ : state) {
        pugi::xml_document xml;
        auto r = xml.load_buffer(text.data(), text.size(), pugi::parse_default, pugi::encoding_utf8);
        benchmark::DoNotOptimize(r);
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}

void BM_TndsRoundTrip(benchmark::State& state) {
    const TndsDocument& doc = document();
    std::size_t bytes = 0;
    for (auto _ : state) {
        const std::string text = encode_tnds(doc);
        auto back = decode_tnds(text);
        benchmark::DoNotOptimize(back);
        bytes += text.size();
    }
    state.SetBytesProcessed(static_cast<std::int64_t>(bytes));
}

BENCHMARK(BM_TndsEncode);
BENCHMARK(BM_TndsDecode);
BENCHMARK(BM_PugixmlParseBaseline);
BENCHMARK(BM_TndsRoundTrip);

void print_ratios(const omadm::bench::RecordingReporter& reporter) {
    const double base = reporter.time("BM_PugixmlParseBaseline");
    if (base <= 0.0) return;
    const std::size_t bytes = encode_tnds(document()).size();
    std::printf("summary: time relative to a bare pugixml parse of the same %zu-byte TNDS document\n", bytes);
    for (const char* bm : {"BM_TndsDecode", "BM_TndsEncode", "BM_TndsRoundTrip"}) {
        const double t = reporter.time(bm);
        if (t > 0.0) std::printf("ratio %s vs bare pugixml parse: %.2fx\n", bm, t / base);
    }
}

} // namespace

int main(int argc, char** argv) {
    return omadm::bench::run_with_ratios(argc, argv, print_ratios);
}
