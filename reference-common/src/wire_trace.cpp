#include "omadm/shell/wire_trace.hpp"

#include "omadm/shell/shell_errc.hpp"

#include <cstdio>
#include <fstream>

namespace omadm::shell {
namespace {

const char* extension(WireFormat f) {
    switch (f) {
    case WireFormat::Xml:
        return ".xml";
    case WireFormat::Wbxml:
        return ".wbxml";
    case WireFormat::Binary:
        return ".bin";
    }
    return ".bin";
}

base::Result<void> write_file(const std::filesystem::path& path, std::string_view bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    out.close();
    if (!out) return base::make_error(ShellErrc::io_error, "cannot write " + path.string());
    return {};
}

} // namespace

base::Result<std::unique_ptr<WireTrace>> WireTrace::open(const std::filesystem::path& dir) {
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec)
        return base::make_error(ShellErrc::io_error, "--wire-trace " + dir.string() + ": " + ec.message());
    return std::unique_ptr<WireTrace>(new WireTrace(dir));
}

base::Result<std::filesystem::path> WireTrace::record(WireDirection dir, WireFormat format,
                                                      std::string_view bytes,
                                                      std::optional<std::string_view> decoded_xml) {
    std::uint32_t n = 0;
    {
        const std::lock_guard lock(mutex_);
        n = next_++;
    }
    char stem[32];
    std::snprintf(stem, sizeof stem, "%04u-%s", n, dir == WireDirection::In ? "in" : "out");
    const auto raw = dir_ / (std::string(stem) + extension(format));
    if (auto r = write_file(raw, bytes); !r) return r.error();
    if (decoded_xml) {
        if (auto r = write_file(dir_ / (std::string(stem) + ".decoded.xml"), *decoded_xml); !r)
            return r.error();
    }
    return raw;
}

} // namespace omadm::shell
