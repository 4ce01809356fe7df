#pragma once
// Result<T>: the project's channel for recoverable failures. Protocol outcomes are
// StatusCode values, never errors; broken invariants are OMADM_CHECK.

#include <boost/system/result.hpp>
#include <string>
#include <system_error>
#include <utility>

namespace omadm::base {

/// A recoverable failure: a module's error code plus a human-readable detail naming what failed
/// and where (element path, byte offset, file and line).
struct Error {
    std::error_code code;
    std::string detail;

    [[nodiscard]] std::string message() const;
    bool operator==(const Error&) const = default;
};

[[nodiscard]] inline Error make_error(std::error_code code, std::string detail) {
    return Error{code, std::move(detail)};
}

/// Called by boost::system::result when value() is used on an error; raises a std::system_error.
[[noreturn]] void throw_exception_from_error(Error const& e, boost::source_location const& loc);

template <class T> using Result = boost::system::result<T, Error>;

} // namespace omadm::base

/// Always-on invariant check: a failure is a bug in this project, never a peer's fault.
#define OMADM_CHECK(cond)                                                                                    \
    do {                                                                                                     \
        if (!(cond)) ::omadm::base::detail::check_failed(#cond, __FILE__, __LINE__);                         \
    } while (false)

namespace omadm::base::detail {
[[noreturn]] void check_failed(const char* expr, const char* file, int line) noexcept;
}
