// Golden files under testcases/codec/: every valid file round-trips through XML and WBXML; every
// invalid file yields the error its sidecar NAME.expect.yaml names.
#include "omadm/syncml/codec.hpp"
#include "omadm/testing/covers.hpp"
#include "test_support.hpp"

#include <algorithm>
#include <gtest/gtest.h>
#include <map>
#include <set>
#include <sstream>
#include <vector>

namespace omadm::syncml {
namespace {

using test::codec_case_dir;
using test::read_file;

std::vector<std::string> stems(const char* kind) {
    std::vector<std::string> out;
    for (const auto& entry : std::filesystem::directory_iterator(codec_case_dir(kind))) {
        if (entry.path().extension() == ".xml") out.push_back(entry.path().stem().string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

/// The two keys of a sidecar file: "error: <errc name>" and "location: <substring of the detail>".
std::map<std::string, std::string> read_expect(const std::filesystem::path& p) {
    std::map<std::string, std::string> out;
    std::istringstream in(read_file(p));
    for (std::string line; std::getline(in, line);) {
        const auto colon = line.find(':');
        if (colon == std::string::npos || line.starts_with('#')) continue;
        auto value = line.substr(colon + 1);
        value.erase(0, value.find_first_not_of(' '));
        if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
            value = value.substr(1, value.size() - 2);
        out[line.substr(0, colon)] = value;
    }
    return out;
}

const std::map<std::string, CodecErrc>& errc_names() {
    static const std::map<std::string, CodecErrc> names = {
        {"too_large", CodecErrc::too_large},
        {"too_deep", CodecErrc::too_deep},
        {"too_many_items", CodecErrc::too_many_items},
        {"not_well_formed", CodecErrc::not_well_formed},
        {"forbidden_construct", CodecErrc::forbidden_construct},
        {"wrong_root", CodecErrc::wrong_root},
        {"missing_element", CodecErrc::missing_element},
        {"unexpected_element", CodecErrc::unexpected_element},
        {"bad_value", CodecErrc::bad_value},
        {"wbxml_error", CodecErrc::wbxml_error},
        {"unsupported_encoding", CodecErrc::unsupported_encoding},
    };
    return names;
}

class ValidGolden : public ::testing::TestWithParam<std::string> {
protected:
    std::string bytes() const { return read_file(codec_case_dir("valid") / (GetParam() + ".xml")); }
};

TEST_P(ValidGolden, RoundTripsThroughXml) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    const auto first = decode_xml(bytes());
    ASSERT_TRUE(first) << first.error().message();
    const auto encoded = encode_xml(*first);
    const auto second = decode_xml(encoded);
    ASSERT_TRUE(second) << second.error().message() << "\n" << encoded;
    EXPECT_EQ(*first, *second) << encoded;
    EXPECT_EQ(encode_xml(*second), encoded);
}

TEST_P(ValidGolden, RoundTripsThroughWbxml) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    const auto first = decode_xml(bytes());
    ASSERT_TRUE(first) << first.error().message();
    const auto wbxml = encode_wbxml(*first);
    ASSERT_TRUE(wbxml) << wbxml.error().message();
    const auto second = decode_wbxml(test::as_bytes(*wbxml));
    ASSERT_TRUE(second) << second.error().message();
    EXPECT_EQ(*first, *second) << encode_xml(*second);
}

INSTANTIATE_TEST_SUITE_P(CodecGolden, ValidGolden, ::testing::ValuesIn(stems("valid")),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

class InvalidGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(InvalidGolden, YieldsTheExpectedError) {
    const auto dir = codec_case_dir("invalid");
    const auto expect = read_expect(dir / (GetParam() + ".expect.yaml"));
    ASSERT_TRUE(expect.contains("error")) << "sidecar without error key";
    const auto code = errc_names().find(expect.at("error"));
    ASSERT_NE(code, errc_names().end()) << "unknown error name " << expect.at("error");

    const auto result = decode_xml(read_file(dir / (GetParam() + ".xml")));

    ASSERT_FALSE(result) << "decoded although invalid";
    EXPECT_EQ(result.error().code, make_error_code(code->second)) << result.error().detail;
    if (expect.contains("location")) {
        EXPECT_NE(result.error().detail.find(expect.at("location")), std::string::npos)
            << result.error().detail;
    }
}

INSTANTIATE_TEST_SUITE_P(CodecGolden, InvalidGolden, ::testing::ValuesIn(stems("invalid")),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

TEST(CodecGolden, CoversEveryCommandType) {
    std::set<std::string> seen;
    for (const auto& stem : stems("valid")) {
        const auto msg = decode_xml(read_file(codec_case_dir("valid") / (stem + ".xml")));
        ASSERT_TRUE(msg) << stem;
        std::vector<const Command*> todo;
        for (const auto& c : msg->body)
            todo.push_back(&c);
        while (!todo.empty()) {
            const Command* c = todo.back();
            todo.pop_back();
            seen.insert(command_name(*c));
            if (const auto* a = std::get_if<Atomic>(&c->variant()))
                for (const auto& i : a->commands)
                    todo.push_back(&i);
            if (const auto* s = std::get_if<Sequence>(&c->variant()))
                for (const auto& i : s->commands)
                    todo.push_back(&i);
        }
    }
    EXPECT_EQ(seen, (std::set<std::string>{"Add", "Alert", "Atomic", "Copy", "Delete", "Exec", "Get",
                                           "Replace", "Results", "Sequence", "Status"}));
}

} // namespace
} // namespace omadm::syncml
