#pragma once
// --wire-trace DIR: every DM message in and out, numbered in order of occurrence:
// NNNN-in.xml / NNNN-out.wbxml (raw bytes exactly as on the wire), NNNN-in.decoded.xml (the XML
// form of a WBXML message, when the codec produced one), NNNN-out.bin (other payloads, e.g. Package 0).

#include "omadm/base/result.hpp"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string_view>

namespace omadm::shell {

enum class WireDirection { In, Out };
enum class WireFormat { Xml, Wbxml, Binary };

class WireTrace {
public:
    /// Creates the directory when needed.
    [[nodiscard]] static base::Result<std::unique_ptr<WireTrace>> open(const std::filesystem::path& dir);

    /// Writes one message; returns the path of the raw file.
    base::Result<std::filesystem::path> record(WireDirection dir, WireFormat format, std::string_view bytes,
                                               std::optional<std::string_view> decoded_xml = std::nullopt);

    [[nodiscard]] const std::filesystem::path& dir() const noexcept { return dir_; }

private:
    explicit WireTrace(std::filesystem::path dir) : dir_(std::move(dir)) {}
    std::filesystem::path dir_;
    std::mutex mutex_;
    std::uint32_t next_ = 1;
};

} // namespace omadm::shell
