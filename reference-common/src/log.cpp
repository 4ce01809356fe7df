#include "omadm/shell/log.hpp"

#include <memory>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace omadm::log {
namespace {

spdlog::level::level_enum to_spdlog(Level level) {
    switch (level) {
    case Level::Trace:
        return spdlog::level::trace;
    case Level::Debug:
        return spdlog::level::debug;
    case Level::Info:
        return spdlog::level::info;
    case Level::Warn:
        return spdlog::level::warn;
    case Level::Error:
        return spdlog::level::err;
    }
    return spdlog::level::info;
}

std::shared_ptr<spdlog::logger> logger() {
    // The logger sink is the one permitted global (owned by the process); created on first use.
    static const std::shared_ptr<spdlog::logger> instance = [] {
        auto sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
        auto l = std::make_shared<spdlog::logger>("omadm", std::move(sink));
        l->set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%l%$ %v");
        l->set_level(spdlog::level::info);
        l->flush_on(spdlog::level::warn);
        return l;
    }();
    return instance;
}

} // namespace

std::optional<Level> parse_level(std::string_view text) {
    if (text == "error") return Level::Error;
    if (text == "warn") return Level::Warn;
    if (text == "info") return Level::Info;
    if (text == "debug") return Level::Debug;
    if (text == "trace") return Level::Trace;
    return std::nullopt;
}

void init(Level level) {
    set_level(level);
}

void set_level(Level level) {
    logger()->set_level(to_spdlog(level));
}

void write(Level level, std::string_view message) {
    logger()->log(to_spdlog(level), spdlog::string_view_t(message.data(), message.size()));
}

void flush() {
    logger()->flush();
}

} // namespace omadm::log
