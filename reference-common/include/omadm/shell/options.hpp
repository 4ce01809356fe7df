#pragma once
// The common command-line options of both reference binaries (docs/control-api.md). Bad usage is
// an Error (bad_option / bad_endpoint) whose detail names the option; main exits 2 with it.

#include "omadm/base/result.hpp"
#include "omadm/shell/endpoint.hpp"
#include "omadm/shell/log.hpp"

#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace omadm::shell {

struct CommonOptions {
    std::optional<std::filesystem::path> config;
    Endpoint listen;                  // DM endpoint, default 127.0.0.1:0
    Endpoint control;                 // control API, default 127.0.0.1:0
    std::optional<std::string> token; // absent: generated and printed in READY
    std::optional<std::filesystem::path> state;
    std::optional<std::filesystem::path> events;
    std::optional<std::filesystem::path> wire_trace;
    /// The MgmtPolicy MO's layout (omadm/shell/mo_profile.hpp); absent: the reference MO.
    std::optional<std::filesystem::path> mo_profile;
    std::optional<std::filesystem::path> tls_cert;
    std::optional<std::filesystem::path> tls_key;
    log::Level log_level = log::Level::Info;
    bool help = false;
    /// Options this parser does not know, in order, "--name" followed by its value when it was given
    /// as "--name=value" or followed by a non-option word. The binary handles or rejects them.
    std::vector<std::string> rest;
};

enum class UnknownOptions { Reject, Collect };

/// Parses argv[1..]. Accepts "--opt value" and "--opt=value". --tls-cert and --tls-key go together.
[[nodiscard]] base::Result<CommonOptions>
parse_common_options(std::span<const std::string_view> args, UnknownOptions unknown = UnknownOptions::Reject);

/// Usage text for the common options.
[[nodiscard]] std::string common_usage(std::string_view program);

/// What a binary does with its arguments first: the parsed options, logging initialised at their
/// level; or the exit code to leave with at once: 0 after printing the usage for --help on stdout,
/// ExitCode::Usage after writing "<program>: <what is wrong>" and the usage on stderr.
[[nodiscard]] std::variant<CommonOptions, int> startup_options(std::span<const std::string_view> args,
                                                               std::string_view program);

/// Converts main()'s argv.
[[nodiscard]] std::vector<std::string_view> args_of(int argc, char** argv);

} // namespace omadm::shell
