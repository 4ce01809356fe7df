#include "omadm/tree/format.hpp"

#include <gtest/gtest.h>

namespace {
using namespace omadm::tree;

TEST(Format, NamesRoundTrip) {
    for (const char* n :
         {"b64", "bin", "bool", "chr", "int", "node", "null", "xml", "date", "time", "float"}) {
        EXPECT_EQ(format_name(parse_format(n).value()), n);
    }
    EXPECT_FALSE(parse_format("string"));
}

TEST(Format, ValidatesValuesByFormat) {
    struct Case {
        Format f;
        const char* v;
        bool ok;
    };
    const Case cases[] = {
        {Format::Int, "42", true},
        {Format::Int, "-2147483648", true},
        {Format::Int, "2147483648", false},
        {Format::Int, "abc", false},
        {Format::Int, "", false},
        {Format::Int, "1.5", false},
        {Format::Bool, "true", true},
        {Format::Bool, "TRUE", false},
        {Format::Float, "1.5e3", true},
        {Format::Float, "INF", true},
        {Format::Float, "1.", true},
        {Format::Float, "e3", false},
        {Format::Date, "2024-02-29", true},
        {Format::Date, "20240229", true},
        {Format::Date, "2024-0229", false},
        {Format::Time, "16:38:17Z", true},
        {Format::Time, "163817", true},
        {Format::Time, "16:38", false},
        {Format::Time, "16:38:17+02:00", true},
        {Format::B64, "QUJD", true},
        {Format::B64, "QUI=", true},
        {Format::B64, "QU=I", false},
        {Format::Null, "", true},
        {Format::Null, "x", false},
        {Format::Chr, "anything", true},
    };
    for (const auto& c : cases)
        EXPECT_EQ(value_matches_format(c.f, c.v), c.ok) << format_name(c.f) << " " << c.v;
}

} // namespace
