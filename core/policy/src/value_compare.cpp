#include "omadm/policy/value_compare.hpp"

#include <charconv>
#include <chrono>
#include <compare>
#include <cstddef>

namespace omadm::policy {
namespace {

std::optional<std::int64_t> to_int64(std::string_view s) {
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

std::optional<double> to_double(std::string_view s) {
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);
    double v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || ptr != s.data() + s.size() || s.empty()) return std::nullopt;
    return v;
}

std::optional<bool> to_bool(std::string_view s) {
    if (s == "true" || s == "1") return true;
    if (s == "false" || s == "0") return false;
    return std::nullopt;
}

// Reads exactly `n` digits at `pos`.
std::optional<int> digits(std::string_view s, std::size_t& pos, std::size_t n) {
    if (pos + n > s.size()) return std::nullopt;
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const char c = s[pos + i];
        if (c < '0' || c > '9') return std::nullopt;
        v = v * 10 + (c - '0');
    }
    pos += n;
    return v;
}

bool take(std::string_view s, std::size_t& pos, char c) {
    if (pos < s.size() && s[pos] == c) {
        ++pos;
        return true;
    }
    return false;
}

// hh[:]mm[[:]ss[.fff]] then Z or +-hh[:]mm; returns milliseconds (offset applied).
std::optional<std::int64_t> time_of_day(std::string_view s, std::size_t& pos) {
    const auto hh = digits(s, pos, 2);
    const bool extended = take(s, pos, ':');
    const auto mm = digits(s, pos, 2);
    if (!hh || !mm || *hh > 24 || *mm > 59) return std::nullopt;
    int ss = 0;
    std::int64_t ms = 0;
    if (pos < s.size() && (s[pos] == ':' || (!extended && s[pos] >= '0' && s[pos] <= '9'))) {
        if (extended && !take(s, pos, ':')) return std::nullopt;
        const auto sec = digits(s, pos, 2);
        if (!sec || *sec > 60) return std::nullopt;
        ss = *sec;
        if (take(s, pos, '.') || take(s, pos, ',')) {
            std::int64_t scale = 100;
            if (pos >= s.size() || s[pos] < '0' || s[pos] > '9') return std::nullopt;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                ms += (s[pos] - '0') * scale;
                scale /= 10;
                ++pos;
            }
        }
    }
    std::int64_t total = ((std::int64_t{*hh} * 60 + *mm) * 60 + ss) * 1000 + ms;
    if (take(s, pos, 'Z')) return total;
    if (pos < s.size() && (s[pos] == '+' || s[pos] == '-')) {
        const int sign = s[pos] == '+' ? 1 : -1;
        ++pos;
        const auto oh = digits(s, pos, 2);
        take(s, pos, ':');
        const auto om = digits(s, pos, 2);
        if (!oh || !om) return std::nullopt;
        total -= sign * (std::int64_t{*oh} * 60 + *om) * 60'000;
    }
    return total;
}

std::optional<std::int64_t> date_part(std::string_view s, std::size_t& pos) {
    const auto y = digits(s, pos, 4);
    const bool extended = take(s, pos, '-');
    const auto m = digits(s, pos, 2);
    if (extended && !take(s, pos, '-')) return std::nullopt;
    const auto d = digits(s, pos, 2);
    if (!y || !m || !d) return std::nullopt;
    const std::chrono::year_month_day ymd{std::chrono::year{*y},
                                          std::chrono::month{static_cast<unsigned>(*m)},
                                          std::chrono::day{static_cast<unsigned>(*d)}};
    if (!ymd.ok()) return std::nullopt;
    const std::chrono::sys_days days{ymd};
    return std::int64_t{days.time_since_epoch().count()} * 86'400'000;
}

std::partial_ordering order_of(auto a, auto b) {
    if (a < b) return std::partial_ordering::less;
    if (b < a) return std::partial_ordering::greater;
    if (a == b) return std::partial_ordering::equivalent;
    return std::partial_ordering::unordered;
}

std::partial_ordering compare_numbers(tree::Format format, std::string_view value, std::string_view literal) {
    if (format == tree::Format::Int) {
        const auto a = to_int64(value);
        const auto b = to_int64(literal);
        if (a && b) return order_of(*a, *b);
    }
    const auto a = to_double(value);
    const auto b = to_double(literal);
    if (!a || !b) return std::partial_ordering::unordered;
    return order_of(*a, *b);
}

std::partial_ordering compare_text(std::string_view value, std::string_view literal, CompareMode mode) {
    if (mode == CompareMode::Version) return compare_versions(value, literal);
    return value <=> literal;
}

} // namespace

std::optional<std::int64_t> parse_iso8601(std::string_view text) {
    std::size_t pos = 0;
    std::optional<std::int64_t> result;
    const bool all_digits = text.find_first_not_of("0123456789") == std::string_view::npos;
    const bool time_only = take(text, pos, 'T') || (text.size() >= 3 && text[2] == ':') ||
                           (all_digits && (text.size() == 4 || text.size() == 6)); // hhmm, hhmmss
    if (time_only) {
        result = time_of_day(text, pos);
    } else {
        result = date_part(text, pos);
        if (result && take(text, pos, 'T')) {
            const auto t = time_of_day(text, pos);
            result = t ? std::optional<std::int64_t>{*result + *t} : std::nullopt;
        }
    }
    if (pos != text.size()) return std::nullopt;
    return result;
}

std::strong_ordering compare_versions(std::string_view a, std::string_view b) {
    auto next = [](std::string_view& s) {
        const auto dot = s.find_first_of(".-_");
        std::string_view seg = s.substr(0, dot);
        s = dot == std::string_view::npos ? std::string_view{} : s.substr(dot + 1);
        return seg;
    };
    while (!a.empty() || !b.empty()) {
        std::string_view sa = next(a);
        std::string_view sb = next(b);
        const auto na = sa.empty() ? std::optional<std::int64_t>{0} : to_int64(sa);
        const auto nb = sb.empty() ? std::optional<std::int64_t>{0} : to_int64(sb);
        const auto c = (na && nb) ? (*na <=> *nb) : (sa <=> sb);
        if (std::is_neq(c)) return c;
    }
    return std::strong_ordering::equal;
}

std::partial_ordering compare_typed(tree::Format format, std::string_view value, std::string_view literal,
                                    CompareMode mode) {
    switch (format) {
    case tree::Format::Int:
    case tree::Format::Float:
        return compare_numbers(format, value, literal);
    case tree::Format::Date:
    case tree::Format::Time: {
        const auto a = parse_iso8601(value);
        const auto b = parse_iso8601(literal);
        if (!a || !b) return std::partial_ordering::unordered;
        return order_of(*a, *b);
    }
    case tree::Format::Bool: {
        const auto a = to_bool(value);
        const auto b = to_bool(literal);
        if (!a || !b) return std::partial_ordering::unordered;
        return order_of(*a, *b);
    }
    case tree::Format::Chr:
    case tree::Format::B64:
    case tree::Format::Bin:
    case tree::Format::Xml:
    case tree::Format::Null:
    case tree::Format::Node:
        return compare_text(value, literal, mode);
    }
    return std::partial_ordering::unordered;
}

bool glob_match(std::string_view pattern, std::string_view text) {
    std::size_t p = 0;
    std::size_t t = 0;
    std::size_t star = std::string_view::npos;
    std::size_t resume = 0;
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            resume = t;
        } else if (star != std::string_view::npos) {
            p = star + 1;
            t = ++resume;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*')
        ++p;
    return p == pattern.size();
}

} // namespace omadm::policy
