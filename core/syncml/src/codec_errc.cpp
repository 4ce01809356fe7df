#include "omadm/syncml/codec.hpp"

#include <string>

namespace omadm::syncml {
namespace {

class CodecCategory final : public std::error_category {
public:
    [[nodiscard]] const char* name() const noexcept override { return "omadm.syncml"; }
    [[nodiscard]] std::string message(int ev) const override {
        switch (static_cast<CodecErrc>(ev)) {
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
};

} // namespace

const std::error_category& codec_category() noexcept {
    static const CodecCategory category;
    return category;
}

std::error_code make_error_code(CodecErrc e) noexcept {
    return {static_cast<int>(e), codec_category()};
}

} // namespace omadm::syncml
