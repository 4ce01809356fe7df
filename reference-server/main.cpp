// omadm-ref-server: the reference OMA DM server (docs/control-api.md).
#include "omadm/shell/options.hpp"
#include "omadm/shell/process.hpp"
#include "server_app.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    // Before anything else: an early SIGTERM stays pending until the signal handler exists.
    omadm::shell::block_termination_signals();
    try {
        const auto args = omadm::shell::args_of(argc, argv);
        return omadm::server::run_server(args);
    } catch (const std::exception& e) {
        std::cerr << "omadm-ref-server: fatal: " << e.what() << "\n";
        return 3;
    }
}
