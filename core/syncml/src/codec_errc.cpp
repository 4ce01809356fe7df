#include "omadm/base/error_category.hpp"
#include "omadm/syncml/codec.hpp"

#include <string_view>

namespace omadm::syncml {
namespace {

std::string_view describe(CodecErrc e) noexcept {
    switch (e) {
    case CodecErrc::ok:
        return "success";
    case CodecErrc::too_large:
        return "message exceeds the size limit";
    case CodecErrc::too_deep:
        return "element nesting exceeds the depth limit";
    case CodecErrc::too_many_items:
        return "too many items or commands";
    case CodecErrc::not_well_formed:
        return "XML is not well-formed";
    case CodecErrc::forbidden_construct:
        return "forbidden XML construct";
    case CodecErrc::wrong_root:
        return "root element is not SyncML 1.2";
    case CodecErrc::missing_element:
        return "mandatory element missing";
    case CodecErrc::unexpected_element:
        return "unexpected element";
    case CodecErrc::bad_value:
        return "element value has the wrong shape";
    case CodecErrc::wbxml_error:
        return "WBXML rejected";
    case CodecErrc::unsupported_encoding:
        return "unsupported encoding";
    }
    return "unknown codec error";
}

constinit const base::EnumCategory<CodecErrc> category("omadm.syncml", describe);

} // namespace

const std::error_category& codec_category() noexcept {
    return category;
}

std::error_code make_error_code(CodecErrc e) noexcept {
    return category.code(e);
}

} // namespace omadm::syncml
