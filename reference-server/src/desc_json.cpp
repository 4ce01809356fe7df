#include "desc_json.hpp"

#include <limits>

namespace omadm::server {

policy::DescValue to_desc_value(const boost::json::value& v) {
    switch (v.kind()) {
    case boost::json::kind::null:
        return policy::DescValue{nullptr};
    case boost::json::kind::bool_:
        return policy::DescValue{v.get_bool()};
    case boost::json::kind::int64:
        return policy::DescValue{v.get_int64()};
    case boost::json::kind::uint64: {
        const auto u = v.get_uint64();
        if (u <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
            return policy::DescValue{static_cast<std::int64_t>(u)};
        }
        return policy::DescValue{static_cast<double>(u)};
    }
    case boost::json::kind::double_:
        return policy::DescValue{v.get_double()};
    case boost::json::kind::string:
        return policy::DescValue{std::string(v.get_string())};
    case boost::json::kind::array: {
        policy::DescArray out;
        for (const auto& e : v.get_array())
            out.push_back(to_desc_value(e));
        return policy::DescValue{std::move(out)};
    }
    case boost::json::kind::object: {
        policy::DescObject out;
        for (const auto& m : v.get_object())
            out.emplace_back(std::string(m.key()), to_desc_value(m.value()));
        return policy::DescValue{std::move(out)};
    }
    }
    return policy::DescValue{nullptr};
}

} // namespace omadm::server
