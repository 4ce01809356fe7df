#include "omadm/base/result.hpp"

#include <cstdio>
#include <cstdlib>
#include <system_error>

namespace omadm::base {

std::string Error::message() const {
    std::string m = code ? code.message() : std::string("error");
    if (!detail.empty()) {
        m += ": ";
        m += detail;
    }
    return m;
}

void throw_exception_from_error(Error const& e, boost::source_location const& /*loc*/) {
    throw std::system_error(e.code, e.detail);
}

namespace detail {
void check_failed(const char* expr, const char* file, int line) noexcept {
    std::fprintf(stderr, "OMADM_CHECK failed: %s at %s:%d\n", expr, file, line);
    std::abort();
}
} // namespace detail

} // namespace omadm::base
