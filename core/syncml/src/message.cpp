#include "omadm/syncml/message.hpp"

#include <type_traits>

namespace omadm::syncml {
namespace {

template <class T> constexpr const char* name_of() noexcept {
    if constexpr (std::is_same_v<T, Add>)
        return "Add";
    else if constexpr (std::is_same_v<T, Alert>)
        return "Alert";
    else if constexpr (std::is_same_v<T, Atomic>)
        return "Atomic";
    else if constexpr (std::is_same_v<T, Copy>)
        return "Copy";
    else if constexpr (std::is_same_v<T, Delete>)
        return "Delete";
    else if constexpr (std::is_same_v<T, Exec>)
        return "Exec";
    else if constexpr (std::is_same_v<T, Get>)
        return "Get";
    else if constexpr (std::is_same_v<T, Replace>)
        return "Replace";
    else if constexpr (std::is_same_v<T, Results>)
        return "Results";
    else if constexpr (std::is_same_v<T, Sequence>)
        return "Sequence";
    else {
        static_assert(std::is_same_v<T, Status>);
        return "Status";
    }
}

} // namespace

const char* command_name(const Command& c) noexcept {
    return std::visit([](const auto& cmd) { return name_of<std::decay_t<decltype(cmd)>>(); }, c.variant());
}

CmdId command_id(const Command& c) noexcept {
    return std::visit([](const auto& cmd) { return cmd.cmd_id; }, c.variant());
}

} // namespace omadm::syncml
