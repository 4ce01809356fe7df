#pragma once
// Append-only JSON Lines file: one compact JSON object per line, flushed per line so that a reader
// tailing the file (or a crash) never sees half a record.

#include "omadm/base/result.hpp"

#include <boost/json/object.hpp>
#include <cstdio>
#include <filesystem>
#include <memory>

namespace omadm::shell {

class JsonlWriter {
public:
    /// Creates (truncates) the file and writes `first_line` as its first record.
    [[nodiscard]] static base::Result<std::unique_ptr<JsonlWriter>>
    create(const std::filesystem::path& path, const boost::json::object& first_line);
    JsonlWriter(const JsonlWriter&) = delete;
    JsonlWriter& operator=(const JsonlWriter&) = delete;
    ~JsonlWriter();

    /// Writes one record and flushes it.
    [[nodiscard]] base::Result<void> append(const boost::json::object& record);
    void flush();

private:
    explicit JsonlWriter(std::FILE* file) : file_(file) {}
    std::FILE* file_;
};

} // namespace omadm::shell
