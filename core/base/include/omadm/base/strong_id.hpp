#pragma once
// Strong identifier types: no raw int or std::string stands for an identifier.

#include <compare>
#include <cstdint>
#include <string>
#include <utility>

namespace omadm::base {

template <class Tag, class T> class StrongId {
public:
    using value_type = T;
    constexpr StrongId() = default;
    constexpr explicit StrongId(T v) : value_(std::move(v)) {}
    [[nodiscard]] constexpr const T& value() const noexcept { return value_; }
    // NOLINTNEXTLINE(modernize-use-nullptr): clang-tidy 14 mistakes the 0 of the generated comparison
    constexpr auto operator<=>(const StrongId&) const = default;

private:
    T value_{};
};

struct MsgIdTag {};
struct CmdIdTag {};
struct SessionIdTag {};
struct ServerIdTag {};

/// MsgID of a SyncML message: per sender, from 1, +1 per message.
using MsgId = StrongId<MsgIdTag, std::uint32_t>;
/// CmdID of a command: unique within one message; 0 refers to the SyncHdr in a CmdRef.
using CmdId = StrongId<CmdIdTag, std::uint32_t>;
/// SessionID as it travels (hex from Package 0, or client-chosen); kept as text, parsed leniently.
using SessionId = StrongId<SessionIdTag, std::string>;
/// A DM server's identifier (DMAcc ServerID), the principal of ACL entries.
using ServerId = StrongId<ServerIdTag, std::string>;

} // namespace omadm::base
