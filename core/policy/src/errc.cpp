#include "omadm/policy/errc.hpp"

#include "omadm/base/error_category.hpp"

#include <string_view>

namespace omadm::policy {
namespace {

std::string_view describe(Errc e) noexcept {
    switch (e) {
    case Errc::MissingNode:
        return "mandatory policy node missing";
    case Errc::BadValue:
        return "policy node value malformed";
    case Errc::ExpressionSyntax:
        return "condition expression syntax error";
    case Errc::UnknownCondition:
        return "expression names an unknown condition";
    case Errc::UnknownOperator:
        return "unknown condition operator";
    case Errc::UnknownCommand:
        return "unknown action command";
    case Errc::UnboundPlaceholder:
        return "binding placeholder without bindings";
    case Errc::Inconsistent:
        return "inconsistent policy";
    case Errc::UnknownPolicy:
        return "no such policy";
    case Errc::AlreadyInstalled:
        return "policy already installed";
    case Errc::StoreFailure:
        return "alert store failure";
    case Errc::UnknownAlert:
        return "no such alert";
    }
    return "unknown policy error";
}

constinit const base::EnumCategory<Errc> category("omadm.policy", describe);

} // namespace

const std::error_category& policy_category() noexcept {
    return category;
}

std::error_code make_error_code(Errc e) noexcept {
    return category.code(e);
}

base::StatusCode status_for(Errc e) noexcept {
    using base::StatusCode;
    switch (e) {
    case Errc::UnknownOperator:
    case Errc::UnknownCommand:
        return StatusCode::OptionalFeatureNotSupported;
    case Errc::UnknownPolicy:
        return StatusCode::NotFound;
    case Errc::AlreadyInstalled:
        return StatusCode::AlreadyExists;
    case Errc::StoreFailure:
        return StatusCode::CommandFailed;
    case Errc::MissingNode:
    case Errc::BadValue:
    case Errc::ExpressionSyntax:
    case Errc::UnknownCondition:
    case Errc::UnboundPlaceholder:
    case Errc::Inconsistent:
    case Errc::UnknownAlert:
        return StatusCode::BadRequest;
    }
    return StatusCode::BadRequest;
}

} // namespace omadm::policy
