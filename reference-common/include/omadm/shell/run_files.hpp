#pragma once
// The files a reference binary keeps while it runs, opened as its common options ask: the state
// directory (--state), the wire trace (--wire-trace) and the event log (--events).

#include "omadm/base/clock.hpp"
#include "omadm/base/result.hpp"
#include "omadm/shell/jsonl_writer.hpp"
#include "omadm/shell/options.hpp"
#include "omadm/shell/process.hpp"
#include "omadm/shell/wire_trace.hpp"

#include <filesystem>
#include <memory>
#include <optional>
#include <string_view>

namespace omadm::shell {

struct RunFiles {
    std::filesystem::path state_dir;        ///< --state (created), else temp_state's path
    std::optional<TempDir> temp_state;      ///< without --state: a fresh directory, removed with it
    std::unique_ptr<WireTrace> wire_trace;  ///< null without --wire-trace
    std::unique_ptr<JsonlWriter> event_log; ///< null without --events; its first line names `producer`
};

/// Opens what `options` ask for. Errors: io_error naming the directory or file that failed.
[[nodiscard]] base::Result<RunFiles> open_run_files(const CommonOptions& options, std::string_view producer,
                                                    base::TimePoint now);

} // namespace omadm::shell
