#pragma once
// Access to the value of a Result already checked for success. boost::system::result's operator*
// goes through a pointer that is null on error, which GCC 12 at -O3 reports as a potential null
// dereference (-Wnull-dereference) even after the check; the explicit check here settles it.

#include "omadm/base/result.hpp"

namespace omadm::policy::detail {

template <class T> [[nodiscard]] T& value_of(base::Result<T>& r) {
    T* v = r.operator->();
    OMADM_CHECK(v != nullptr);
    return *v;
}

} // namespace omadm::policy::detail
