#pragma once
// A compound condition (MgmtPolicyMO-MP-03): `c1 and (c2 or not c3)` over named simple conditions.
// Precedence not > and > or; parentheses group. Keywords are case-insensitive and may also be
// written !, && and ||. An empty expression is always true.

#include "omadm/base/result.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace omadm::policy {

/// How `not` is evaluated: as negation, or (a deliberately faulty device, policy::Deviations) as the
/// identity.
enum class Negation { Invert, Identity };

class Expression {
public:
    /// Parses `text`; every name must be one of `known` (index i of `known` = condition i). A
    /// syntax error or unknown name fails with Errc::ExpressionSyntax / Errc::UnknownCondition and a
    /// detail naming the offset.
    [[nodiscard]] static base::Result<Expression> parse(std::string_view text,
                                                        std::span<const std::string> known);

    /// The value of the expression given each condition's value (indexed as `known` at parse).
    [[nodiscard]] bool evaluate(std::span<const bool> values, Negation negation = Negation::Invert) const;
    [[nodiscard]] bool always_true() const noexcept { return code_.empty(); }

    /// Maximum nesting of parentheses accepted (bounds the parser's recursion).
    static constexpr std::size_t kMaxDepth = 32;

private:
    enum class Op : std::uint8_t { Push, Not, And, Or };
    struct Instr {
        Op op;
        std::uint32_t index;
    };
    std::vector<Instr> code_; // reverse Polish
    friend class ExpressionParser;
};

} // namespace omadm::policy
