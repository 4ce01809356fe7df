#include "omadm/tree/format.hpp"

#include "omadm/tree/errc.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdint>
#include <string>

namespace omadm::tree {
namespace {

constexpr std::array<std::pair<Format, std::string_view>, 11> kNames{{
    {Format::B64, "b64"},
    {Format::Bin, "bin"},
    {Format::Bool, "bool"},
    {Format::Chr, "chr"},
    {Format::Int, "int"},
    {Format::Node, "node"},
    {Format::Null, "null"},
    {Format::Xml, "xml"},
    {Format::Date, "date"},
    {Format::Time, "time"},
    {Format::Float, "float"},
}};

bool is_digit(char c) noexcept {
    return c >= '0' && c <= '9';
}

/// Consumes n digits from s; false if fewer are there.
bool take_digits(std::string_view& s, std::size_t n) noexcept {
    if (s.size() < n) return false;
    for (std::size_t i = 0; i < n; ++i) {
        if (!is_digit(s[i])) return false;
    }
    s.remove_prefix(n);
    return true;
}

bool take_char(std::string_view& s, char c) noexcept {
    if (s.empty() || s.front() != c) return false;
    s.remove_prefix(1);
    return true;
}

bool valid_int(std::string_view v) noexcept {
    if (v.starts_with('+')) v.remove_prefix(1);
    if (v.empty()) return false;
    std::int32_t out = 0;
    const auto res = std::from_chars(v.data(), v.data() + v.size(), out);
    return res.ec == std::errc{} && res.ptr == v.data() + v.size();
}

bool valid_float(std::string_view v) noexcept {
    if (v == "INF" || v == "-INF" || v == "NaN" || v == "+INF") return true;
    if (v.starts_with('+') || v.starts_with('-')) v.remove_prefix(1);
    std::size_t digits = 0;
    while (!v.empty() && is_digit(v.front())) {
        v.remove_prefix(1);
        ++digits;
    }
    if (take_char(v, '.')) {
        while (!v.empty() && is_digit(v.front())) {
            v.remove_prefix(1);
            ++digits;
        }
    }
    if (digits == 0) return false;
    if (take_char(v, 'e') || take_char(v, 'E')) {
        if (v.starts_with('+') || v.starts_with('-')) v.remove_prefix(1);
        if (v.empty()) return false;
        while (!v.empty() && is_digit(v.front()))
            v.remove_prefix(1);
    }
    return v.empty();
}

bool valid_date(std::string_view v) noexcept {
    if (!take_digits(v, 4)) return false;
    const bool extended = take_char(v, '-');
    if (!take_digits(v, 2)) return false;
    if (extended && !take_char(v, '-')) return false;
    if (!take_digits(v, 2)) return false;
    return v.empty();
}

bool valid_time(std::string_view v) noexcept {
    if (!take_digits(v, 2)) return false;
    const bool extended = take_char(v, ':');
    if (!take_digits(v, 2)) return false;
    if (extended && !take_char(v, ':')) return false;
    if (!take_digits(v, 2)) return false;
    if (take_char(v, '.') || take_char(v, ',')) {
        if (v.empty() || !is_digit(v.front())) return false;
        while (!v.empty() && is_digit(v.front()))
            v.remove_prefix(1);
    }
    if (take_char(v, 'Z')) return v.empty();
    if (take_char(v, '+') || take_char(v, '-')) {
        if (!take_digits(v, 2)) return false;
        take_char(v, ':');
        if (!v.empty() && !take_digits(v, 2)) return false;
    }
    return v.empty();
}

bool is_b64_char(char c) noexcept {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || is_digit(c) || c == '+' || c == '/';
}

bool valid_b64(std::string_view v) noexcept {
    std::size_t n = 0;
    std::size_t pad = 0;
    for (const char c : v) {
        if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
        if (c == '=') {
            ++pad;
        } else if (pad != 0 || !is_b64_char(c)) {
            return false;
        }
        ++n;
    }
    return n % 4 == 0 && pad <= 2;
}

} // namespace

std::string_view format_name(Format f) noexcept {
    for (const auto& [fmt, name] : kNames) {
        if (fmt == f) return name;
    }
    return "chr";
}

base::Result<Format> parse_format(std::string_view name) {
    for (const auto& [fmt, n] : kNames) {
        if (n == name) return fmt;
    }
    return make_error(Errc::UnknownFormat, "unknown format '" + std::string(name) + "'");
}

bool value_matches_format(Format f, std::string_view value) noexcept {
    switch (f) {
    case Format::Int:
        return valid_int(value);
    case Format::Bool:
        return value == "true" || value == "false";
    case Format::Float:
        return valid_float(value);
    case Format::Date:
        return valid_date(value);
    case Format::Time:
        return valid_time(value);
    case Format::B64:
        return valid_b64(value);
    case Format::Null:
    case Format::Node:
        return value.empty();
    case Format::Chr:
    case Format::Xml:
        return is_xml_text(value);
    case Format::Bin:
        return true;
    }
    return false;
}

bool is_xml_text(std::string_view value) noexcept {
    return std::none_of(value.begin(), value.end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return u < 0x20U && c != '\t' && c != '\n' && c != '\r';
    });
}

} // namespace omadm::tree
