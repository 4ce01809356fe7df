#include "omadm/policy/simple_condition.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>

namespace omadm::policy {
namespace {

using omadm::testing::covers;

struct Case {
    Operator op;
    tree::Format format;
    const char* node;
    const char* literal;
    bool expected;
};

bool eval(Operator op, std::optional<NodeValue> node, std::string literal,
          CompareMode mode = CompareMode::Text) {
    SimpleCondition c;
    c.name = "c";
    c.uri = "./X";
    c.op = op;
    c.value = std::move(literal);
    c.compare = mode;
    return evaluate(c, node, std::nullopt, ExtensionRegistry{});
}

TEST(SimpleCondition, EveryOrderingOperatorOnEveryFormat) {
    covers(req::MgmtPolicyMO_MP_01);
    const Case cases[] = {
        {Operator::Eq, tree::Format::Int, "42", "42", true},
        {Operator::Ne, tree::Format::Int, "42", "41", true},
        {Operator::Lt, tree::Format::Int, "9", "10", true},
        {Operator::Le, tree::Format::Int, "10", "10", true},
        {Operator::Gt, tree::Format::Int, "9", "10", false},
        {Operator::Ge, tree::Format::Int, "10", "10", true},
        {Operator::Lt, tree::Format::Float, "0.5", "0.75", true},
        {Operator::Gt, tree::Format::Float, "20.5", "20.25", true},
        {Operator::Eq, tree::Format::Float, "1.0", "1", true},
        {Operator::Gt, tree::Format::Date, "2025-03-02", "2025-03-01T23:00:00Z", true},
        {Operator::Le, tree::Format::Date, "20250301T000000Z", "2025-03-01", true},
        {Operator::Lt, tree::Format::Time, "07:59", "08:00", true},
        {Operator::Ge, tree::Format::Time, "T08:00:00Z", "08:00", true},
        {Operator::Eq, tree::Format::Bool, "true", "true", true},
        {Operator::Ne, tree::Format::Bool, "false", "true", true},
        {Operator::Eq, tree::Format::Chr, "LTE", "LTE", true},
        {Operator::Lt, tree::Format::Chr, "apple", "banana", true},
        {Operator::Ne, tree::Format::Int, "x", "1", false},
        {Operator::Eq, tree::Format::Int, "x", "x", false},
    };
    for (const auto& c : cases) {
        EXPECT_EQ(eval(c.op, NodeValue{c.node, c.format}, c.literal), c.expected)
            << operator_name(c.op) << " " << format_name(c.format) << " " << c.node << " vs " << c.literal;
    }
}

TEST(SimpleCondition, VersionAwareWhenAsked) {
    covers(req::MgmtPolicyMO_MP_01);
    EXPECT_TRUE(eval(Operator::Gt, NodeValue{"1.10", tree::Format::Chr}, "1.9", CompareMode::Version));
    EXPECT_FALSE(eval(Operator::Gt, NodeValue{"1.10", tree::Format::Chr}, "1.9", CompareMode::Text));
}

TEST(SimpleCondition, ExistsAndAbsent) {
    covers(req::MgmtPolicyMO_MP_01);
    EXPECT_TRUE(eval(Operator::Exists, NodeValue{"", tree::Format::Node}, ""));
    EXPECT_FALSE(eval(Operator::Exists, std::nullopt, ""));
    EXPECT_TRUE(eval(Operator::Absent, std::nullopt, ""));
    EXPECT_FALSE(eval(Operator::Absent, NodeValue{"1", tree::Format::Int}, ""));
}

TEST(SimpleCondition, ComparisonsOnAbsentNodeAreFalse) {
    covers(req::MgmtPolicyMO_MP_01);
    for (const auto op :
         {Operator::Eq, Operator::Ne, Operator::Lt, Operator::Ge, Operator::Contains, Operator::Matches}) {
        EXPECT_FALSE(eval(op, std::nullopt, "1")) << operator_name(op);
    }
}

TEST(SimpleCondition, ContainsAndMatches) {
    covers(req::MgmtPolicyMO_MP_01);
    EXPECT_TRUE(eval(Operator::Contains, NodeValue{"roaming:LTE", tree::Format::Chr}, "LTE"));
    EXPECT_FALSE(eval(Operator::Contains, NodeValue{"WLAN", tree::Format::Chr}, "LTE"));
    EXPECT_TRUE(eval(Operator::Matches, NodeValue{"Lab-Building-7", tree::Format::Chr}, "Lab-*-?"));
    EXPECT_FALSE(eval(Operator::Matches, NodeValue{"Home", tree::Format::Chr}, "Lab-*"));
}

TEST(SimpleCondition, ChangedComparesWithPreviousEvaluation) {
    covers(req::MgmtPolicyMO_MP_01);
    SimpleCondition c;
    c.op = Operator::Changed;
    const ExtensionRegistry none;
    const NodeValue a{"1", tree::Format::Int};
    const NodeValue b{"2", tree::Format::Int};
    EXPECT_FALSE(evaluate(c, a, a, none));
    EXPECT_TRUE(evaluate(c, b, a, none));
    EXPECT_TRUE(evaluate(c, std::nullopt, a, none));
    EXPECT_TRUE(evaluate(c, a, std::nullopt, none));
}

TEST(SimpleCondition, OperatorNamesRoundTrip) {
    covers(req::MgmtPolicyMO_MP_01);
    for (const auto* name :
         {"eq", "ne", "lt", "le", "gt", "ge", "exists", "absent", "contains", "matches", "changed"}) {
        const auto op = parse_operator(name);
        ASSERT_TRUE(op) << name;
        EXPECT_EQ(operator_name(*op), name);
    }
    EXPECT_FALSE(parse_operator("EQ"));
    EXPECT_FALSE(parse_operator("between"));
}

TEST(SimpleCondition, DeviationsMakeTheOrderOperatorsWrong) {
    covers(req::MgmtPolicyMO_MP_01);
    SimpleCondition c;
    c.uri = "./X";
    c.op = Operator::Le;
    c.value = "10";
    const NodeValue ten{"10", tree::Format::Int};
    const NodeValue hundred{"100", tree::Format::Int};
    Deviations boundary;
    boundary.boundary_off_by_one = true;
    Deviations lexical;
    lexical.lexical_int_compare = true;
    EXPECT_TRUE(evaluate(c, ten, std::nullopt, ExtensionRegistry{}));
    EXPECT_FALSE(evaluate(c, ten, std::nullopt, ExtensionRegistry{}, boundary)); // le as lt
    c.op = Operator::Gt;
    c.value = "20";
    EXPECT_TRUE(evaluate(c, hundred, std::nullopt, ExtensionRegistry{}));
    EXPECT_FALSE(evaluate(c, hundred, std::nullopt, ExtensionRegistry{}, lexical)); // "100" < "20"
}

} // namespace
} // namespace omadm::policy
