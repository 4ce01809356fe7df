#include "digest.hpp"

#include "omadm/base/result.hpp"

#include <memory>
#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace omadm::auth {
namespace detail {
namespace {

struct MdCtxDeleter {
    void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

} // namespace

Md5Digest md5_of(std::initializer_list<std::span<const std::uint8_t>> parts) {
    const std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
    OMADM_CHECK(ctx != nullptr);
    OMADM_CHECK(EVP_DigestInit_ex(ctx.get(), EVP_md5(), nullptr) == 1);
    for (const auto part : parts) {
        if (!part.empty()) OMADM_CHECK(EVP_DigestUpdate(ctx.get(), part.data(), part.size()) == 1);
    }
    Md5Digest out{};
    unsigned int len = 0;
    OMADM_CHECK(EVP_DigestFinal_ex(ctx.get(), out.data(), &len) == 1);
    OMADM_CHECK(len == out.size());
    return out;
}

std::string b64_md5_secret(std::string_view name, std::string_view password) {
    constexpr std::string_view kColon = ":";
    return base64_encode(md5_of({as_bytes(name), as_bytes(kColon), as_bytes(password)}));
}

bool digests_equal(std::span<const std::uint8_t> received, const Md5Digest& expected) noexcept {
    return received.size() == expected.size() &&
           CRYPTO_memcmp(received.data(), expected.data(), expected.size()) == 0;
}

} // namespace detail

Md5Digest md5(std::span<const std::uint8_t> data) {
    return detail::md5_of({data});
}

Md5Digest md5(std::string_view data) {
    return detail::md5_of({detail::as_bytes(data)});
}

} // namespace omadm::auth
