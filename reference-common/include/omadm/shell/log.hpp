#pragma once
// The omadm::log facade: human-readable lines on stderr. spdlog stays behind it.
// Levels: error = harness or internal fault, warn = SUT deviation, info = session lifecycle,
// debug = message summaries, trace = bytes.

#include <optional>
#include <string_view>

namespace omadm::log {

enum class Level { Trace, Debug, Info, Warn, Error };

/// "error", "warn", "info", "debug", "trace"; nullopt for anything else.
[[nodiscard]] std::optional<Level> parse_level(std::string_view text);

/// Sets up the stderr sink (owned by main, the one permitted global) and its level.
void init(Level level);
void set_level(Level level);
void write(Level level, std::string_view message);
void flush();

inline void error(std::string_view m) {
    write(Level::Error, m);
}
inline void warn(std::string_view m) {
    write(Level::Warn, m);
}
inline void info(std::string_view m) {
    write(Level::Info, m);
}
inline void debug(std::string_view m) {
    write(Level::Debug, m);
}
inline void trace(std::string_view m) {
    write(Level::Trace, m);
}

} // namespace omadm::log
