#include "test_support.hpp"

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <cstdio>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdexcept>

namespace omadm::shell::testing {

std::string raw_exchange(std::uint16_t port, const std::string& bytes) {
    boost::asio::io_context ioc;
    boost::asio::ip::tcp::socket socket(ioc);
    socket.connect({boost::asio::ip::make_address("127.0.0.1"), port});
    boost::asio::write(socket, boost::asio::buffer(bytes));
    std::string out;
    boost::system::error_code ec;
    boost::asio::read(socket, boost::asio::dynamic_buffer(out), ec); // until EOF
    return out;
}

void write_self_signed(const std::filesystem::path& dir, std::filesystem::path& cert,
                       std::filesystem::path& key) {
    EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
    if (pkey == nullptr) throw std::runtime_error("key generation failed");
    X509* x = X509_new();
    X509_set_version(x, 2);
    ASN1_INTEGER_set(X509_get_serialNumber(x), 1);
    X509_gmtime_adj(X509_getm_notBefore(x), -60);
    X509_gmtime_adj(X509_getm_notAfter(x), 3600);
    X509_set_pubkey(x, pkey);
    X509_NAME* name = X509_get_subject_name(x);
    const std::string cn = "localhost";
    X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(cn.c_str()),
                               -1, -1, 0);
    X509_set_issuer_name(x, name);
    X509_sign(x, pkey, EVP_sha256());
    cert = dir / "cert.pem";
    key = dir / "key.pem";
    std::FILE* fc = std::fopen(cert.c_str(), "w");
    PEM_write_X509(fc, x);
    std::fclose(fc);
    std::FILE* fk = std::fopen(key.c_str(), "w");
    PEM_write_PrivateKey(fk, pkey, nullptr, nullptr, 0, nullptr, nullptr);
    std::fclose(fk);
    X509_free(x);
    EVP_PKEY_free(pkey);
}

} // namespace omadm::shell::testing
