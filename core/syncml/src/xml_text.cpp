#include "xml_internal.hpp"

#include <algorithm>
#include <cstddef>

namespace omadm::syncml::detail {
namespace {

class StringWriter final : public pugi::xml_writer {
public:
    explicit StringWriter(std::string& out) : out_(out) {}
    void write(const void* data, std::size_t size) override {
        out_.append(static_cast<const char*>(data), size);
    }

private:
    std::string& out_;
};

} // namespace

void append_serialized(std::string& out, pugi::xml_node node) {
    StringWriter writer(out);
    node.print(writer, "", pugi::format_raw, pugi::encoding_utf8);
}

bool is_embedded_xml(std::string_view data) {
    if (data.empty() || data.front() != '<' || data.find("xmlns") == std::string_view::npos) {
        return false;
    }
    pugi::xml_document doc;
    const auto parsed = doc.load_buffer(data.data(), data.size(), kParseFlags, pugi::encoding_utf8);
    if (!parsed) {
        return false;
    }
    const auto root = doc.first_child();
    if (root.type() != pugi::node_element || root.next_sibling() || !root.attribute("xmlns")) {
        return false;
    }
    std::string canonical;
    canonical.reserve(data.size());
    append_serialized(canonical, root);
    return canonical == data;
}

std::string line_column(std::string_view source, std::ptrdiff_t offset) {
    if (offset < 0) {
        return "line ?";
    }
    const auto end = std::min(source.size(), static_cast<std::size_t>(offset));
    std::size_t line = 1;
    std::size_t line_start = 0;
    for (std::size_t i = 0; i < end; ++i) {
        if (source[i] == '\n') {
            ++line;
            line_start = i + 1;
        }
    }
    return "line " + std::to_string(line) + ":" + std::to_string(end - line_start + 1);
}

base::Error codec_error(CodecErrc code, std::string detail) {
    return base::make_error(make_error_code(code), std::move(detail));
}

} // namespace omadm::syncml::detail
