#include "omadm/policy/errc.hpp"
#include "omadm/policy/expression.hpp"
#include "omadm/testing/covers.hpp"

#include <array>
#include <gtest/gtest.h>
#include <string>
#include <vector>

namespace omadm::policy {
namespace {

using omadm::testing::covers;

const std::vector<std::string> kNames{"a", "b", "c"};

bool eval(std::string_view text, bool a, bool b, bool c) {
    auto e = Expression::parse(text, kNames);
    EXPECT_TRUE(e) << text << ": " << (e ? "" : e.error().detail);
    const std::array<bool, 3> values{a, b, c};
    return e && e->evaluate(values);
}

TEST(Expression, NotBindsTighterThanAndTighterThanOrAndParenthesesOverride) {
    covers(req::MgmtPolicyMO_MP_03);
    struct Case {
        std::string_view text;
        std::array<bool, 3> abc;
        bool value;
    };
    const Case cases[] = {
        // a or b and c  ==  a or (b and c)
        {"a or b and c", {true, false, false}, true},
        {"a or b and c", {false, true, false}, false},
        // not a and b  ==  (not a) and b
        {"not a and b", {false, true, false}, true},
        {"not a and b", {true, true, false}, false},
        // not a or b and not c
        {"not a or b and not c", {true, true, false}, true},
        // parentheses first
        {"(a or b) and c", {true, false, false}, false},
        {"(a or b) and c", {false, true, true}, true},
        {"not (a and b)", {true, false, false}, true},
        {"((a))", {true, false, false}, true},
    };
    for (const auto& c : cases)
        EXPECT_EQ(eval(c.text, c.abc[0], c.abc[1], c.abc[2]), c.value) << c.text;
}

TEST(Expression, FullTruthTableOfMixedExpression) {
    covers(req::MgmtPolicyMO_MP_03);
    for (int bits = 0; bits < 8; ++bits) {
        const bool a = (bits & 1) != 0;
        const bool b = (bits & 2) != 0;
        const bool c = (bits & 4) != 0;
        EXPECT_EQ(eval("a and (b or not c)", a, b, c), a && (b || !c)) << bits;
        EXPECT_EQ(eval("a && !b || c", a, b, c), (a && !b) || c) << bits;
    }
}

TEST(Expression, KeywordsAreCaseInsensitive) {
    covers(req::MgmtPolicyMO_MP_03);
    EXPECT_TRUE(eval("a AND NOT b Or c", true, false, false));
}

TEST(Expression, EmptyIsAlwaysTrue) {
    covers(req::MgmtPolicyMO_MP_03);
    auto e = Expression::parse("   ", kNames);
    ASSERT_TRUE(e);
    EXPECT_TRUE(e->always_true());
}

TEST(Expression, SyntaxErrorsAreRejectedWithReason) {
    covers(req::MgmtPolicyMO_MP_03);
    const char* bad[] = {"a and", "(a or b", "a or b)", "and a", "a b", "not", "a && || b", "a # b", "()"};
    for (const auto* text : bad) {
        auto e = Expression::parse(text, kNames);
        ASSERT_FALSE(e) << text;
        EXPECT_EQ(e.error().code, make_error_code(Errc::ExpressionSyntax)) << text;
        EXPECT_NE(e.error().detail.find("offset"), std::string::npos) << e.error().detail;
    }
}

TEST(Expression, UnknownConditionIsRejectedWithItsName) {
    covers(req::MgmtPolicyMO_MP_03);
    auto e = Expression::parse("a and d", kNames);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, make_error_code(Errc::UnknownCondition));
    EXPECT_NE(e.error().detail.find("'d'"), std::string::npos);
}

TEST(Expression, NestingIsBounded) {
    covers(req::MgmtPolicyMO_MP_03);
    const std::string deep = std::string(100, '(') + "a" + std::string(100, ')');
    auto e = Expression::parse(deep, kNames);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().code, make_error_code(Errc::ExpressionSyntax));
    std::string many_not;
    for (int i = 0; i < 100; ++i)
        many_not += "not ";
    EXPECT_FALSE(Expression::parse(many_not + "a", kNames));
}

TEST(Expression, IdentityNegationLeavesTheOperandAsItIs) {
    covers(req::MgmtPolicyMO_MP_03);
    auto e = Expression::parse("a and not (b or c)", kNames);
    ASSERT_TRUE(e);
    const std::array<bool, 3> values{true, false, false};
    EXPECT_TRUE(e->evaluate(values));
    EXPECT_FALSE(e->evaluate(values, Negation::Identity)); // a deliberately faulty device
}

} // namespace
} // namespace omadm::policy
