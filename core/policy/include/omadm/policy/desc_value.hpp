#pragma once
// A generic value tree as JSON or YAML parsers produce it, so that a server can hand a parsed
// body to the policy module without either side knowing the other's parser.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace omadm::policy {

struct DescValue;
using DescArray = std::vector<DescValue>;
/// An object's members in document order.
using DescObject = std::vector<std::pair<std::string, DescValue>>;

/// A generic value as JSON or YAML parsers produce it: null, bool, int64, double, string, array,
/// object.
struct DescValue {
    using Storage =
        std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, DescArray, DescObject>;
    Storage value;

    DescValue() = default;
    DescValue(std::nullptr_t) {}
    DescValue(bool b) : value(b) {}
    DescValue(std::int64_t i) : value(i) {}
    DescValue(int i) : value(std::int64_t{i}) {}
    DescValue(double d) : value(d) {}
    DescValue(std::string s) : value(std::move(s)) {}
    DescValue(const char* s) : value(std::string(s)) {}
    DescValue(DescArray a) : value(std::move(a)) {}
    DescValue(DescObject o) : value(std::move(o)) {}

    [[nodiscard]] bool is_null() const noexcept { return std::holds_alternative<std::nullptr_t>(value); }
    template <class T> [[nodiscard]] const T* as() const noexcept { return std::get_if<T>(&value); }
    /// The member `key` of an object; nullptr when absent or when this is not an object.
    [[nodiscard]] const DescValue* find(std::string_view key) const;
    /// "null", "bool", "int", "double", "string", "array" or "object", for error messages.
    [[nodiscard]] std::string_view kind_name() const noexcept;
};

} // namespace omadm::policy
