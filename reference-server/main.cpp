// omadm-ref-server: the reference OMA DM server (docs/control-api.md).
#include "omadm/shell/process.hpp"
#include "server_app.hpp"

int main(int argc, char** argv) {
    return omadm::shell::run_main(argc, argv, "omadm-ref-server", [](std::span<const std::string_view> args) {
        return omadm::server::run_server(args);
    });
}
