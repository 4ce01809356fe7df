#pragma once
// Error codes of the shell library (category "omadm.shell"). Shell functions report recoverable
// failures as base::Result carrying one of these.

#include <system_error>

namespace omadm::shell {

enum class ShellErrc {
    ok = 0,
    bad_option,   // a command-line option is unknown, lacks its value or has a malformed value
    bad_endpoint, // HOST:PORT text does not parse (host must be an IP literal, port 0..65535)
    bad_config,   // a configuration file is unreadable or a field has the wrong type
    io_error,     // a file or socket operation failed (detail names the path or endpoint)
    tls_error,    // certificate/key loading or a TLS handshake failed
    http_error,   // an HTTP exchange failed (connect, read, write, malformed response)
    timeout,      // an operation did not finish before its deadline
    bad_json,     // a body is not JSON or not of the expected shape
    sqlite_error, // SQLite reported an error (detail has the statement and SQLite's message)
    bad_command,  // a DM command in JSON (docs/control-api.md) is not of the documented shape; the detail
                  // names the field path
};

const std::error_category& shell_category() noexcept;
std::error_code make_error_code(ShellErrc e) noexcept;

} // namespace omadm::shell

template <> struct std::is_error_code_enum<omadm::shell::ShellErrc> : std::true_type {};
