#pragma once
// Recoverable failures of the tree module. Protocol outcomes of tree operations are
// StatusCode values; these codes are for inputs that cannot be turned into typed values at all.

#include "omadm/base/result.hpp"
#include "omadm/base/status_code.hpp"

#include <system_error>

namespace omadm::tree {

enum class Errc {
    InvalidUri = 1, ///< NodeUri::parse: empty URI, trailing '/', '..', './' not at the start, empty segment,
                    ///< bad escape
    UriTooLong,     ///< NodeUri::parse: depth, total length or segment length beyond the UriLimits
                    ///< (DevDetail/URI)
    UnsupportedQuery, ///< TargetUri::parse: a query other than ?list=Struct|StructData|TNDS[...] or
                      ///< ?prop=<known>
    InvalidAcl,       ///< Acl::parse: text not matching the ACL grammar of OMA-TS-DM_TND-V1_2_1 §7.7.1
    UnknownFormat,    ///< parse_format: a name outside b64|bin|bool|chr|int|node|null|xml|date|time|float
    MalformedXml,     ///< load_ddf / decode_tnds: the text is not well-formed XML
    InvalidDdf,       ///< load_ddf: well-formed XML that does not follow the DDF DTD
    InvalidTnds,      ///< decode_tnds: well-formed XML that does not follow OMA-TS-DM_TNDS-V1_2
    LimitExceeded,    ///< decode_tnds / load_ddf: nesting depth or node count beyond the decoder's limits
    StoreFailure,     ///< TreeStore: the snapshot could not be loaded or a change set not persisted
    InvalidSnapshot,  ///< Tree::restore: the snapshot has no root, an orphan node or a bad path
};

[[nodiscard]] const std::error_category& tree_category() noexcept;
[[nodiscard]] std::error_code make_error_code(Errc e) noexcept;
[[nodiscard]] base::Error make_error(Errc e, std::string detail);

/// The status an executor reports when a command's target or data fails to parse with this error:
/// InvalidUri/InvalidAcl -> 400, UriTooLong -> 414, UnsupportedQuery -> 406,
/// UnknownFormat/MalformedXml/InvalidTnds/InvalidDdf -> 415, LimitExceeded -> 413,
/// StoreFailure -> 510, InvalidSnapshot -> 500.
[[nodiscard]] base::StatusCode status_for(Errc e) noexcept;
/// status_for() of an Error from this module; 500 for an error of another category.
[[nodiscard]] base::StatusCode status_for(const base::Error& e) noexcept;

} // namespace omadm::tree

template <> struct std::is_error_code_enum<omadm::tree::Errc> : std::true_type {};
