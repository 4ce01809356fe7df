#include "omadm/policy/value_compare.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>

namespace omadm::policy {
namespace {

using omadm::testing::covers;

TEST(CompareTyped, IntIsNumericNotLexical) {
    covers(req::MgmtPolicyMO_MP_01);
    EXPECT_TRUE(compare_typed(tree::Format::Int, "10", "9", CompareMode::Text) > 0);
    EXPECT_TRUE(compare_typed(tree::Format::Int, "-3", "2", CompareMode::Text) < 0);
    EXPECT_TRUE(compare_typed(tree::Format::Int, "+7", "7", CompareMode::Text) == 0);
}

TEST(CompareTyped, FloatIsNumeric) {
    covers(req::MgmtPolicyMO_MP_01);
    EXPECT_TRUE(compare_typed(tree::Format::Float, "2.5", "10", CompareMode::Text) < 0);
    EXPECT_TRUE(compare_typed(tree::Format::Float, "1e2", "100.0", CompareMode::Text) == 0);
    EXPECT_TRUE(compare_typed(tree::Format::Int, "3", "2.5", CompareMode::Text) > 0);
}

TEST(CompareTyped, UnparsableNumberIsUnordered) {
    covers(req::MgmtPolicyMO_MP_01);
    EXPECT_EQ(compare_typed(tree::Format::Int, "abc", "1", CompareMode::Text),
              std::partial_ordering::unordered);
    EXPECT_EQ(compare_typed(tree::Format::Float, "1", "", CompareMode::Text),
              std::partial_ordering::unordered);
}

TEST(CompareTyped, DateIsChronological) {
    covers(req::MgmtPolicyMO_MP_01, req::MgmtPolicyMO_IOP_01);
    EXPECT_TRUE(
        compare_typed(tree::Format::Date, "2025-03-01T10:00:00Z", "20250301T095959Z", CompareMode::Text) > 0);
    EXPECT_TRUE(compare_typed(tree::Format::Date, "2024-12-31", "2025-01-01", CompareMode::Text) < 0);
    EXPECT_TRUE(compare_typed(tree::Format::Date, "2025-03-01T12:00:00+02:00", "2025-03-01T10:00:00Z",
                              CompareMode::Text) == 0);
}

TEST(CompareTyped, TimeOfDayIsChronological) {
    covers(req::MgmtPolicyMO_MP_01, req::MgmtPolicyMO_IOP_01);
    EXPECT_TRUE(compare_typed(tree::Format::Time, "T16:38:17Z", "09:00", CompareMode::Text) > 0);
    EXPECT_TRUE(compare_typed(tree::Format::Time, "0830", "08:30:00", CompareMode::Text) == 0);
}

TEST(CompareTyped, BoolComparesTruth) {
    covers(req::MgmtPolicyMO_MP_01);
    EXPECT_TRUE(compare_typed(tree::Format::Bool, "true", "1", CompareMode::Text) == 0);
    EXPECT_TRUE(compare_typed(tree::Format::Bool, "false", "true", CompareMode::Text) != 0);
    EXPECT_EQ(compare_typed(tree::Format::Bool, "yes", "true", CompareMode::Text),
              std::partial_ordering::unordered);
}

TEST(CompareTyped, ChrIsTextUnlessVersionAsked) {
    covers(req::MgmtPolicyMO_MP_01);
    EXPECT_TRUE(compare_typed(tree::Format::Chr, "1.10", "1.9", CompareMode::Text) < 0);
    EXPECT_TRUE(compare_typed(tree::Format::Chr, "1.10", "1.9", CompareMode::Version) > 0);
}

TEST(CompareVersions, SegmentsNumericMissingIsZero) {
    covers(req::MgmtPolicyMO_MP_01);
    EXPECT_EQ(compare_versions("1.2", "1.2.0"), std::strong_ordering::equal);
    EXPECT_EQ(compare_versions("2.0", "10.0"), std::strong_ordering::less);
    EXPECT_EQ(compare_versions("1.0-beta", "1.0-alpha"), std::strong_ordering::greater);
}

TEST(ParseIso8601, RejectsMalformed) {
    covers(req::MgmtPolicyMO_MP_01);
    EXPECT_FALSE(parse_iso8601("2025-13-01"));
    EXPECT_FALSE(parse_iso8601("2025-02-30"));
    EXPECT_FALSE(parse_iso8601("yesterday"));
    EXPECT_FALSE(parse_iso8601("2025-03-01T25:00"));
    EXPECT_TRUE(parse_iso8601("20250301T101500Z"));
}

TEST(GlobMatch, StarAndQuestionMark) {
    covers(req::MgmtPolicyMO_MP_01);
    EXPECT_TRUE(glob_match("LTE*", "LTE-Advanced"));
    EXPECT_TRUE(glob_match("*5G?", "NR 5GX"));
    EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
    EXPECT_FALSE(glob_match("a*b*c", "aXXbYY"));
    EXPECT_TRUE(glob_match("*", ""));
    EXPECT_FALSE(glob_match("?", ""));
}

TEST(GlobMatch, PathologicalPatternStaysBounded) {
    covers(req::MgmtPolicyMO_MP_01);
    const std::string text(5000, 'a');
    const std::string pattern = std::string(50, '*') + "b";
    EXPECT_FALSE(glob_match(pattern, text));
}

} // namespace
} // namespace omadm::policy
