#include "omadm/policy/expression.hpp"

#include "omadm/policy/errc.hpp"

#include <algorithm>
#include <cctype>
#include <string>

namespace omadm::policy {
namespace {

enum class Tok { Name, And, Or, Not, Open, Close, End, Bad };

struct Token {
    Tok kind = Tok::End;
    std::string_view text;
    std::size_t offset = 0;
};

bool name_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-' || c == '.';
}

bool iequals(std::string_view a, std::string_view b) {
    return std::equal(a.begin(), a.end(), b.begin(), b.end(), [](char x, char y) {
        return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
    });
}

std::string_view describe(const Token& t) {
    switch (t.kind) {
    case Tok::End:
        return "end of expression";
    case Tok::Open:
        return "'('";
    case Tok::Close:
        return "')'";
    case Tok::And:
        return "'and'";
    case Tok::Or:
        return "'or'";
    case Tok::Not:
        return "'not'";
    case Tok::Name:
    case Tok::Bad:
        break;
    }
    return t.text;
}

} // namespace

class ExpressionParser {
public:
    ExpressionParser(std::string_view text, std::span<const std::string> known) : text_(text), known_(known) {
        advance();
    }

    base::Result<Expression> run() {
        Expression e;
        if (cur_.kind == Tok::End) return e;
        if (!or_expr(e)) return error_;
        if (cur_.kind != Tok::End) {
            fail(Errc::ExpressionSyntax, "unexpected " + std::string(describe(cur_)));
            return error_;
        }
        return e;
    }

private:
    void advance() {
        while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_])) != 0)
            ++pos_;
        cur_ = Token{Tok::End, {}, pos_};
        if (pos_ >= text_.size()) return;
        const char c = text_[pos_];
        const auto two = text_.substr(pos_, 2);
        if (c == '(' || c == ')' || c == '!') {
            cur_ = Token{c == '('   ? Tok::Open
                         : c == ')' ? Tok::Close
                                    : Tok::Not,
                         text_.substr(pos_, 1), pos_};
            ++pos_;
        } else if (two == "&&" || two == "||") {
            cur_ = Token{two == "&&" ? Tok::And : Tok::Or, two, pos_};
            pos_ += 2;
        } else if (name_char(c)) {
            std::size_t end = pos_;
            while (end < text_.size() && name_char(text_[end]))
                ++end;
            const auto word = text_.substr(pos_, end - pos_);
            Tok kind = Tok::Name;
            if (iequals(word, "and")) kind = Tok::And;
            if (iequals(word, "or")) kind = Tok::Or;
            if (iequals(word, "not")) kind = Tok::Not;
            cur_ = Token{kind, word, pos_};
            pos_ = end;
        } else {
            cur_ = Token{Tok::Bad, text_.substr(pos_, 1), pos_};
            ++pos_;
        }
    }

    bool fail(Errc code, const std::string& what) {
        error_ = base::make_error(code, what + " at offset " + std::to_string(cur_.offset));
        return false;
    }

    bool or_expr(Expression& e) {
        if (!and_expr(e)) return false;
        while (cur_.kind == Tok::Or) {
            advance();
            if (!and_expr(e)) return false;
            e.code_.push_back({Expression::Op::Or, 0});
        }
        return true;
    }

    bool and_expr(Expression& e) {
        if (!unary(e)) return false;
        while (cur_.kind == Tok::And) {
            advance();
            if (!unary(e)) return false;
            e.code_.push_back({Expression::Op::And, 0});
        }
        return true;
    }

    bool unary(Expression& e) {
        if (++depth_ > Expression::kMaxDepth)
            return fail(Errc::ExpressionSyntax, "expression nested too deeply");
        bool ok = false;
        if (cur_.kind == Tok::Not) {
            advance();
            ok = unary(e);
            if (ok) e.code_.push_back({Expression::Op::Not, 0});
        } else {
            ok = primary(e);
        }
        --depth_;
        return ok;
    }

    bool primary(Expression& e) {
        if (cur_.kind == Tok::Open) {
            advance();
            if (!or_expr(e)) return false;
            if (cur_.kind != Tok::Close) {
                return fail(Errc::ExpressionSyntax, "expected ')' but found " + std::string(describe(cur_)));
            }
            advance();
            return true;
        }
        if (cur_.kind != Tok::Name) {
            return fail(Errc::ExpressionSyntax,
                        "expected a condition name but found " + std::string(describe(cur_)));
        }
        const auto it = std::find(known_.begin(), known_.end(), cur_.text);
        if (it == known_.end()) {
            return fail(Errc::UnknownCondition, "unknown condition '" + std::string(cur_.text) + "'");
        }
        e.code_.push_back({Expression::Op::Push, static_cast<std::uint32_t>(it - known_.begin())});
        advance();
        return true;
    }

    std::string_view text_;
    std::span<const std::string> known_;
    std::size_t pos_ = 0;
    std::size_t depth_ = 0;
    Token cur_;
    base::Error error_;
};

base::Result<Expression> Expression::parse(std::string_view text, std::span<const std::string> known) {
    return ExpressionParser(text, known).run();
}

bool Expression::evaluate(std::span<const bool> values, Negation negation) const {
    if (code_.empty()) return true;
    std::vector<bool> stack;
    stack.reserve(code_.size());
    for (const auto& ins : code_) {
        switch (ins.op) {
        case Op::Push:
            stack.push_back(ins.index < values.size() && values[ins.index]);
            break;
        case Op::Not:
            if (negation == Negation::Invert) stack.back() = !stack.back();
            break;
        case Op::And:
        case Op::Or: {
            const bool rhs = stack.back();
            stack.pop_back();
            stack.back() = ins.op == Op::And ? (stack.back() && rhs) : (stack.back() || rhs);
            break;
        }
        }
    }
    return stack.back();
}

} // namespace omadm::policy
