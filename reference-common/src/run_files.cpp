#include "omadm/shell/run_files.hpp"

#include "omadm/shell/event_bus.hpp"

#include <string>

namespace omadm::shell {

base::Result<RunFiles> open_run_files(const CommonOptions& options, std::string_view producer,
                                      base::TimePoint now) {
    RunFiles files;
    if (options.state) {
        files.state_dir = *options.state;
        std::error_code ec;
        std::filesystem::create_directories(files.state_dir, ec);
    } else {
        auto tmp = TempDir::create(std::string(producer) + "-");
        if (!tmp) return tmp.error();
        files.temp_state.emplace(std::move(*tmp));
        files.state_dir = files.temp_state->path();
    }
    if (options.wire_trace) {
        auto trace = WireTrace::open(*options.wire_trace);
        if (!trace) return trace.error();
        files.wire_trace = std::move(*trace);
    }
    if (options.events) {
        auto log = open_event_log(*options.events, producer, now);
        if (!log) return log.error();
        files.event_log = std::move(*log);
    }
    return files;
}

} // namespace omadm::shell
