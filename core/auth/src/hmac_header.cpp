#include "omadm/auth/credentials.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace omadm::auth {
namespace {

constexpr bool is_ows(char c) noexcept {
    return c == ' ' || c == '\t';
}

constexpr char to_lower(char c) noexcept {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        if (to_lower(a[i]) != to_lower(b[i])) return false;
    }
    return true;
}

base::Error bad_header(std::string detail) {
    return base::make_error(AuthErrc::bad_hmac_header, std::move(detail));
}

/// A cursor over the header value: `name = value` pairs separated by commas.
class ParamReader {
public:
    explicit ParamReader(std::string_view text) : text_(text) {}

    /// Skips separators; false at the end of the text.
    bool next() {
        while (pos_ < text_.size() && (is_ows(text_[pos_]) || text_[pos_] == ','))
            ++pos_;
        return pos_ < text_.size();
    }

    base::Result<std::string> name() {
        const std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != '=' && text_[pos_] != ',' && !is_ows(text_[pos_]))
            ++pos_;
        std::string n(text_.substr(start, pos_ - start));
        skip_ows();
        if (pos_ >= text_.size() || text_[pos_] != '=') {
            return bad_header("parameter '" + n + "' has no '=' at offset " + std::to_string(pos_));
        }
        ++pos_;
        if (n.empty()) return bad_header("empty parameter name at offset " + std::to_string(start));
        for (char& c : n)
            c = to_lower(c);
        return n;
    }

    base::Result<std::string> value() {
        skip_ows();
        if (pos_ < text_.size() && text_[pos_] == '"') return quoted();
        const std::size_t start = pos_;
        while (pos_ < text_.size() && text_[pos_] != ',')
            ++pos_;
        std::size_t end = pos_;
        while (end > start && is_ows(text_[end - 1]))
            --end;
        return std::string(text_.substr(start, end - start));
    }

private:
    void skip_ows() {
        while (pos_ < text_.size() && is_ows(text_[pos_]))
            ++pos_;
    }

    base::Result<std::string> quoted() {
        const std::size_t open = pos_++;
        std::string v;
        while (pos_ < text_.size() && text_[pos_] != '"') {
            if (text_[pos_] == '\\' && pos_ + 1 < text_.size()) ++pos_;
            v.push_back(text_[pos_++]);
        }
        if (pos_ >= text_.size())
            return bad_header("unterminated quoted string at offset " + std::to_string(open));
        ++pos_;
        skip_ows();
        if (pos_ < text_.size() && text_[pos_] != ',') {
            return bad_header("text after quoted string at offset " + std::to_string(pos_));
        }
        return v;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

struct RawParams {
    std::optional<std::string> algorithm;
    std::optional<std::string> username;
    std::optional<std::string> mac;
};

base::Result<RawParams> read_params(std::string_view value) {
    RawParams raw;
    ParamReader reader(value);
    while (reader.next()) {
        auto name = reader.name();
        if (!name) return name.error();
        auto v = reader.value();
        if (!v) return v.error();
        std::optional<std::string>* slot = *name == "algorithm"  ? &raw.algorithm
                                           : *name == "username" ? &raw.username
                                           : *name == "mac"      ? &raw.mac
                                                                 : nullptr;
        if (slot == nullptr) continue; // unknown parameters are tolerated
        if (slot->has_value()) return bad_header("parameter '" + *name + "' repeated");
        *slot = std::move(*v);
    }
    return raw;
}

} // namespace

namespace {

void append_quoted(std::string& out, std::string_view value) {
    out.push_back('"');
    for (const char c : value) {
        if (c == '"' || c == '\\') out.push_back('\\');
        out.push_back(c);
    }
    out.push_back('"');
}

/// A base64 mac goes bare, as deployed clients write it; anything else a parser would split on
/// (a comma, a quote, a space) is quoted.
bool plain_token(std::string_view value) {
    return std::all_of(value.begin(), value.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '+' || c == '/' || c == '=';
    });
}

} // namespace

std::string format_hmac_header(const HmacHeader& h) {
    std::string out = "algorithm=" + h.algorithm + ", username=";
    append_quoted(out, h.username);
    out += ", mac=";
    if (plain_token(h.mac)) {
        out += h.mac;
    } else {
        append_quoted(out, h.mac);
    }
    return out;
}

base::Result<HmacHeader> parse_hmac_header(std::string_view value) {
    auto raw = read_params(value);
    if (!raw) return raw.error();
    if (raw->algorithm && !iequals(*raw->algorithm, "MD5")) {
        return base::make_error(AuthErrc::unsupported_algorithm, "algorithm '" + *raw->algorithm + "'");
    }
    if (!raw->username || raw->username->empty()) return bad_header("username missing or empty");
    if (!raw->mac || raw->mac->empty()) return bad_header("mac missing or empty");
    HmacHeader h;
    h.username = std::move(*raw->username);
    h.mac = std::move(*raw->mac);
    return h;
}

} // namespace omadm::auth
