#include "omadm/shell/options.hpp"

#include "omadm/shell/process.hpp"
#include "omadm/shell/shell_errc.hpp"

#include <iostream>

namespace omadm::shell {
namespace {

base::Error bad_option(std::string detail) {
    return base::make_error(ShellErrc::bad_option, std::move(detail));
}

/// Applies one known option; false when `name` is not a common option.
base::Result<bool> apply(CommonOptions& o, std::string_view name, std::string_view value) {
    const auto endpoint = [&](Endpoint& out) -> base::Result<bool> {
        auto ep = parse_endpoint(value);
        if (!ep)
            return base::make_error(ShellErrc::bad_endpoint, std::string(name) + ": " + ep.error().detail);
        out = *ep;
        return true;
    };
    if (name == "--listen") return endpoint(o.listen);
    if (name == "--control") return endpoint(o.control);
    if (name == "--config")
        o.config = value;
    else if (name == "--token") {
        if (value.empty()) return bad_option("--token: the token must not be empty");
        o.token = std::string(value);
    } else if (name == "--state")
        o.state = value;
    else if (name == "--events")
        o.events = value;
    else if (name == "--wire-trace")
        o.wire_trace = value;
    else if (name == "--mo-profile")
        o.mo_profile = value;
    else if (name == "--tls-cert")
        o.tls_cert = value;
    else if (name == "--tls-key")
        o.tls_key = value;
    else if (name == "--log-level") {
        auto level = log::parse_level(value);
        if (!level)
            return bad_option("--log-level: '" + std::string(value) +
                              "' is not one of error, warn, info, debug, trace");
        o.log_level = *level;
    } else {
        return false;
    }
    return true;
}

bool is_known(std::string_view name) {
    for (std::string_view k : {"--listen", "--control", "--config", "--token", "--state", "--events",
                               "--wire-trace", "--mo-profile", "--tls-cert", "--tls-key", "--log-level"}) {
        if (k == name) return true;
    }
    return false;
}

} // namespace

base::Result<CommonOptions> parse_common_options(std::span<const std::string_view> args,
                                                 UnknownOptions unknown) {
    CommonOptions o;
    for (std::size_t i = 0; i < args.size(); ++i) {
        std::string_view arg = args[i];
        if (arg == "--help" || arg == "-h") {
            o.help = true;
            continue;
        }
        if (!arg.starts_with("--")) return bad_option("unexpected argument '" + std::string(arg) + "'");
        std::string_view name = arg;
        std::optional<std::string_view> value;
        if (const auto eq = arg.find('='); eq != std::string_view::npos) {
            name = arg.substr(0, eq);
            value = arg.substr(eq + 1);
        }
        if (!is_known(name)) {
            if (unknown == UnknownOptions::Reject) return bad_option("unknown option " + std::string(name));
            o.rest.emplace_back(arg);
            if (!value && i + 1 < args.size() && !args[i + 1].starts_with("--"))
                o.rest.emplace_back(args[++i]);
            continue;
        }
        if (!value) {
            if (i + 1 >= args.size() || args[i + 1].starts_with("--")) {
                return bad_option(std::string(name) + ": missing value");
            }
            value = args[++i];
        }
        auto applied = apply(o, name, *value);
        if (!applied) return applied.error();
    }
    if (o.tls_cert.has_value() != o.tls_key.has_value()) {
        return bad_option(o.tls_cert ? "--tls-key: required with --tls-cert"
                                     : "--tls-cert: required with --tls-key");
    }
    return o;
}

std::string common_usage(std::string_view program) {
    return "usage: " + std::string(program) +
           " [--config FILE] [--listen HOST:PORT] [--control HOST:PORT] [--token TEXT]\n"
           "       [--state DIR] [--events FILE] [--wire-trace DIR] [--mo-profile FILE]\n"
           "       [--tls-cert FILE --tls-key FILE] [--log-level error|warn|info|debug|trace]\n";
}

std::variant<CommonOptions, int> startup_options(std::span<const std::string_view> args,
                                                 std::string_view program) {
    auto options = parse_common_options(args);
    if (!options) {
        std::cerr << program << ": " << options.error().detail << "\n" << common_usage(program);
        return static_cast<int>(ExitCode::Usage);
    }
    if (options->help) {
        std::cout << common_usage(program);
        return 0;
    }
    log::init(options->log_level);
    return std::move(*options);
}

std::vector<std::string_view> args_of(int argc, char** argv) {
    std::vector<std::string_view> out;
    for (int i = 1; i < argc; ++i)
        out.emplace_back(argv[i]);
    return out;
}

} // namespace omadm::shell
