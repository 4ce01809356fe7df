#include "omadm/tree/errc.hpp"

#include "omadm/base/error_category.hpp"

#include <string_view>

namespace omadm::tree {
namespace {

std::string_view describe(Errc e) noexcept {
    switch (e) {
    case Errc::InvalidUri:
        return "invalid node URI";
    case Errc::UriTooLong:
        return "node URI beyond the URI limits";
    case Errc::UnsupportedQuery:
        return "unsupported URI query";
    case Errc::InvalidAcl:
        return "invalid ACL";
    case Errc::UnknownFormat:
        return "unknown node format";
    case Errc::MalformedXml:
        return "malformed XML";
    case Errc::InvalidDdf:
        return "invalid DDF";
    case Errc::InvalidTnds:
        return "invalid TNDS";
    case Errc::LimitExceeded:
        return "decoder limit exceeded";
    case Errc::StoreFailure:
        return "tree store failure";
    case Errc::InvalidSnapshot:
        return "invalid tree snapshot";
    }
    return "unknown tree error";
}

constinit const base::EnumCategory<Errc> category("omadm.tree", describe);

} // namespace

const std::error_category& tree_category() noexcept {
    return category;
}

std::error_code make_error_code(Errc e) noexcept {
    return category.code(e);
}

base::Error make_error(Errc e, std::string detail) {
    return base::make_error(make_error_code(e), std::move(detail));
}

base::StatusCode status_for(Errc e) noexcept {
    using base::StatusCode;
    switch (e) {
    case Errc::InvalidUri:
    case Errc::InvalidAcl:
        return StatusCode::BadRequest;
    case Errc::UriTooLong:
        return StatusCode::UriTooLong;
    case Errc::UnsupportedQuery:
        return StatusCode::OptionalFeatureNotSupported;
    case Errc::UnknownFormat:
    case Errc::MalformedXml:
    case Errc::InvalidDdf:
    case Errc::InvalidTnds:
        return StatusCode::UnsupportedMediaType;
    case Errc::LimitExceeded:
        return StatusCode::RequestEntityTooLarge;
    case Errc::StoreFailure:
        return StatusCode::DataStoreFailure;
    case Errc::InvalidSnapshot:
        return StatusCode::CommandFailed;
    }
    return StatusCode::CommandFailed;
}

base::StatusCode status_for(const base::Error& e) noexcept {
    if (e.code.category() != tree_category()) return base::StatusCode::CommandFailed;
    return status_for(static_cast<Errc>(e.code.value()));
}

} // namespace omadm::tree
