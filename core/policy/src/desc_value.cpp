#include "omadm/policy/desc_value.hpp"

#include <algorithm>
#include <array>

namespace omadm::policy {

const DescValue* DescValue::find(std::string_view key) const {
    const auto* object = as<DescObject>();
    if (object == nullptr) return nullptr;
    const auto it =
        std::find_if(object->begin(), object->end(), [&](const auto& m) { return m.first == key; });
    return it == object->end() ? nullptr : &it->second;
}

std::string_view DescValue::kind_name() const noexcept {
    static constexpr std::array<std::string_view, 7> kNames = {"null",   "bool",  "int",   "double",
                                                               "string", "array", "object"};
    return kNames.at(value.index());
}

} // namespace omadm::policy
