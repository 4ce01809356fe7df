// omadm-ref-client: the reference device. Everything lives in omadm_client_lib.
#include "client_app.hpp"
#include "omadm/shell/options.hpp"
#include "omadm/shell/process.hpp"

#include <exception>
#include <iostream>

int main(int argc, char** argv) {
    // Before anything else: an early SIGTERM stays pending until the signal handler exists.
    omadm::shell::block_termination_signals();
    try {
        const auto args = omadm::shell::args_of(argc, argv);
        return omadm::client::run_client(args);
    } catch (const std::exception& e) {
        std::cerr << "omadm-ref-client: " << e.what() << "\n";
        return 3;
    }
}
