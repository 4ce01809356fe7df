#include "digest.hpp"
#include "omadm/auth/credentials.hpp"

#include <array>

namespace omadm::auth {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::uint8_t kInvalid = 0xFF;

constexpr std::array<std::uint8_t, 256> make_reverse_table() {
    std::array<std::uint8_t, 256> table{};
    table.fill(kInvalid);
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
        table[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::uint8_t>(i);
    }
    return table;
}
constexpr std::array<std::uint8_t, 256> kReverse = make_reverse_table();

constexpr bool is_space(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

base::Error bad_base64(std::string detail) {
    return base::make_error(AuthErrc::bad_base64, std::move(detail));
}

/// Strips whitespace and checks length and padding placement; returns the significant characters
/// and the number of '=' at the end.
base::Result<std::string> significant_chars(std::string_view text, std::size_t& padding) {
    std::string chars;
    chars.reserve(text.size());
    padding = 0;
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (is_space(c)) continue;
        if (c == '=') {
            ++padding;
        } else if (padding > 0 || kReverse[static_cast<unsigned char>(c)] == kInvalid) {
            return bad_base64(
                (padding > 0 ? "data after padding at offset " : "invalid character at offset ") +
                std::to_string(i));
        }
        chars.push_back(c);
    }
    if (chars.size() % 4 != 0)
        return bad_base64("length " + std::to_string(chars.size()) + " is not a multiple of 4");
    if (padding > 2) return bad_base64("more than two padding characters");
    return chars;
}

} // namespace

std::string base64_encode(std::span<const std::uint8_t> data) {
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    std::size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        const std::uint32_t v =
            (std::uint32_t{data[i]} << 16U) | (std::uint32_t{data[i + 1]} << 8U) | data[i + 2];
        out.push_back(kAlphabet[(v >> 18U) & 0x3FU]);
        out.push_back(kAlphabet[(v >> 12U) & 0x3FU]);
        out.push_back(kAlphabet[(v >> 6U) & 0x3FU]);
        out.push_back(kAlphabet[v & 0x3FU]);
    }
    const std::size_t rest = data.size() - i;
    if (rest > 0) {
        std::uint32_t v = std::uint32_t{data[i]} << 16U;
        if (rest == 2) v |= std::uint32_t{data[i + 1]} << 8U;
        out.push_back(kAlphabet[(v >> 18U) & 0x3FU]);
        out.push_back(kAlphabet[(v >> 12U) & 0x3FU]);
        out.push_back(rest == 2 ? kAlphabet[(v >> 6U) & 0x3FU] : '=');
        out.push_back('=');
    }
    return out;
}

std::string base64_encode(std::string_view data) {
    return base64_encode(detail::as_bytes(data));
}

std::string hex_encode(std::span<const std::uint8_t> data) {
    constexpr std::string_view kHex = "0123456789abcdef";
    std::string out;
    out.reserve(data.size() * 2);
    for (const auto b : data) {
        out.push_back(kHex[b >> 4U]);
        out.push_back(kHex[b & 0x0FU]);
    }
    return out;
}

base::Result<Bytes> base64_decode(std::string_view text) {
    std::size_t padding = 0;
    auto chars = significant_chars(text, padding);
    if (!chars) return chars.error();
    const std::string& s = *chars;
    Bytes out;
    out.reserve(s.size() / 4 * 3);
    for (std::size_t i = 0; i < s.size(); i += 4) {
        const bool last = i + 4 == s.size();
        const std::size_t pad_here = last ? padding : 0;
        std::uint32_t v = 0;
        for (std::size_t k = 0; k < 4; ++k) {
            const std::uint8_t sextet = s[i + k] == '=' ? 0 : kReverse[static_cast<unsigned char>(s[i + k])];
            v = (v << 6U) | sextet;
        }
        const std::uint32_t unused_mask = pad_here == 2 ? 0xFFFFU : (pad_here == 1 ? 0xFFU : 0U);
        if ((v & unused_mask) != 0) return bad_base64("non-zero pad bits in the last quantum");
        out.push_back(static_cast<std::uint8_t>(v >> 16U));
        if (pad_here < 2) out.push_back(static_cast<std::uint8_t>((v >> 8U) & 0xFFU));
        if (pad_here < 1) out.push_back(static_cast<std::uint8_t>(v & 0xFFU));
    }
    return out;
}

} // namespace omadm::auth
