#include "omadm/shell/jsonl_writer.hpp"

#include "omadm/shell/shell_errc.hpp"

#include <boost/json/serialize.hpp>
#include <cerrno>
#include <cstring>

namespace omadm::shell {

base::Result<std::unique_ptr<JsonlWriter>> JsonlWriter::create(const std::filesystem::path& path,
                                                               const boost::json::object& first_line) {
    std::FILE* f = std::fopen(path.c_str(), "w");
    if (f == nullptr) {
        return base::make_error(ShellErrc::io_error,
                                "cannot create " + path.string() + ": " + std::strerror(errno));
    }
    std::unique_ptr<JsonlWriter> w(new JsonlWriter(f));
    auto r = w->append(first_line);
    if (!r) return r.error();
    return w;
}

JsonlWriter::~JsonlWriter() {
    if (file_ != nullptr) std::fclose(file_);
}

base::Result<void> JsonlWriter::append(const boost::json::object& record) {
    std::string line = boost::json::serialize(record);
    line.push_back('\n');
    if (std::fwrite(line.data(), 1, line.size(), file_) != line.size() || std::fflush(file_) != 0) {
        return base::make_error(ShellErrc::io_error,
                                std::string("cannot append an event line: ") + std::strerror(errno));
    }
    return {};
}

void JsonlWriter::flush() {
    std::fflush(file_);
}

} // namespace omadm::shell
