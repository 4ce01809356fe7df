// Codec throughput: decode+encode of a typical Package 1 and of a Package 2 with 50 commands, in
// XML and WBXML, next to a bare pugixml parse of the same XML bytes measured in the same run.
// After the benchmarks, one line per case gives the codec time as a multiple of that baseline.
#include "omadm/syncml/builder.hpp"
#include "omadm/syncml/codec.hpp"
#include "recording_reporter.hpp"

#include <benchmark/benchmark.h>
#include <cstdio>
#include <fstream>
#include <map>
#include <pugixml.hpp>
#include <sstream>
#include <string>
#include <vector>

namespace {

using namespace omadm::syncml;

std::string package1_xml() {
    std::ifstream in(std::string(OMADM_SOURCE_DIR) + "/testcases/codec/valid/package1_client_initiated.xml",
                     std::ios::binary);
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
}

std::string package2_xml() {
    const auto peer = make_hdr(omadm::base::SessionId{"1"}, MsgId{1}, "https://dm.example.com/dm", "IMEI:1");
    MessageBuilder b(make_hdr(omadm::base::SessionId{"1"}, MsgId{1}, "IMEI:1", "https://dm.example.com/dm"));
    b.status_for_hdr(peer, StatusCode::AuthenticationAccepted);
    Meta chr;
    chr.format = "chr";
    for (int i = 1; b.build().body.size() < 50; ++i) {
        const std::string uri = "./MgmtPolicy/Policies/P" + std::to_string(i);
        b.status(MsgId{1}, CmdId{static_cast<std::uint32_t>(i)}, "Replace", StatusCode::Ok, {uri});
        b.add(uri + "/Name", "policy number " + std::to_string(i), chr);
        b.replace(uri + "/Enabled", "true");
        b.get(uri + "/State");
        b.exec(uri + "/Operations/Activate", "corr-" + std::to_string(i));
    }
    return encode_xml(b.build());
}

struct Input {
    std::string xml;
    std::string wbxml;
};

const Input& input(int which) {
    static const std::map<int, Input> inputs = [] {
        std::map<int, Input> m;
        for (int w : {1, 2}) {
            const std::string xml = w == 1 ? package1_xml() : package2_xml();
            m[w] = Input{xml, encode_wbxml(decode_xml(xml).value()).value()};
        }
        return m;
    }();
    return inputs.at(which);
}

void BM_PugixmlParse(benchmark::State& state) {
    const auto& xml = input(static_cast<int>(state.range(0))).xml;
    for (auto _ : state) {
        pugi::xml_document doc;
        benchmark::DoNotOptimize(doc.load_buffer(xml.data(), xml.size()));
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(xml.size()));
}

void BM_XmlDecodeEncode(benchmark::State& state) {
    const auto& xml = input(static_cast<int>(state.range(0))).xml;
    for (auto _ : state) {
        auto msg = decode_xml(xml);
        benchmark::DoNotOptimize(encode_xml(msg.value()));
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(xml.size()));
}

void BM_WbxmlDecodeEncode(benchmark::State& state) {
    const auto& wbxml = input(static_cast<int>(state.range(0))).wbxml;
    const auto bytes = std::as_bytes(std::span<const char>(wbxml.data(), wbxml.size()));
    for (auto _ : state) {
        auto msg = decode_wbxml(bytes);
        benchmark::DoNotOptimize(encode_wbxml(msg.value()));
    }
    state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(wbxml.size()));
}

BENCHMARK(BM_PugixmlParse)->Arg(1)->Arg(2);
BENCHMARK(BM_XmlDecodeEncode)->Arg(1)->Arg(2);
BENCHMARK(BM_WbxmlDecodeEncode)->Arg(1)->Arg(2);

void print_ratios(const omadm::bench::RecordingReporter& reporter) {
    std::printf("summary: codec time relative to a bare pugixml parse of the same XML (same run)\n");
    const char* names[] = {"", "Package1", "Package2x50"};
    for (int w : {1, 2}) {
        const double base = reporter.time("BM_PugixmlParse/" + std::to_string(w));
        if (base <= 0.0) continue;
        for (const char* bm : {"BM_XmlDecodeEncode", "BM_WbxmlDecodeEncode"}) {
            const double t = reporter.time(std::string(bm) + "/" + std::to_string(w));
            if (t > 0.0) {
                std::printf("ratio %s %s vs bare pugixml parse: %.1fx (xml %zu bytes, wbxml %zu bytes)\n",
                            names[w], bm, t / base, input(w).xml.size(), input(w).wbxml.size());
            }
        }
    }
}

} // namespace

int main(int argc, char** argv) {
    return omadm::bench::run_with_ratios(argc, argv, print_ratios);
}
