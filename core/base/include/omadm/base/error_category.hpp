#pragma once
// The one std::error_category of the modules' error enums (tree::Errc, policy::Errc,
// syncml::CodecErrc, auth::AuthErrc, ...): each module gives its category's name and the text of
// each value, and this class does the rest.

#include <string>
#include <string_view>
#include <system_error>

namespace omadm::base {

/// An error category over the enum `E`. `describe` is a switch over E, so that a value added without
/// a text is a compiler warning; it returns its fallback text for a value outside the enum.
template <class E> class EnumCategory final : public std::error_category {
public:
    using Describe = std::string_view (*)(E) noexcept;

    constexpr EnumCategory(const char* name, Describe describe) noexcept : name_(name), describe_(describe) {}

    [[nodiscard]] const char* name() const noexcept override { return name_; }
    [[nodiscard]] std::string message(int ev) const override {
        return std::string(describe_(static_cast<E>(ev)));
    }

    /// The error code of `e` in this category.
    [[nodiscard]] std::error_code code(E e) const noexcept { return {static_cast<int>(e), *this}; }

private:
    const char* name_;
    Describe describe_;
};

} // namespace omadm::base
