// omadm-ref-client: the reference device. Everything lives in omadm_client_lib.
#include "client_app.hpp"
#include "omadm/shell/process.hpp"

int main(int argc, char** argv) {
    return omadm::shell::run_main(argc, argv, "omadm-ref-client", omadm::client::run_client);
}
