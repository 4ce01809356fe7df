#include "chunk_assembler.hpp"

#include "outbox.hpp"
#include "wire.hpp"

#include <utility>
#include <variant>

namespace omadm::session::detail {
namespace {

std::string key_of(const syncml::Command& c) {
    const auto& item = items_of(c)->front();
    std::string key = syncml::command_name(c);
    key += '|';
    if (item.target) key += item.target->loc_uri;
    key += '|';
    if (item.source) key += item.source->loc_uri;
    return key;
}

std::optional<std::uint64_t> declared_size(const syncml::Command& c) {
    const auto& item = items_of(c)->front();
    if (item.meta && item.meta->size) return item.meta->size;
    return std::visit(
        [](const auto& x) -> std::optional<std::uint64_t> {
            using T = std::decay_t<decltype(x)>;
            if constexpr (std::is_base_of_v<syncml::ItemCommand, T> || std::is_same_v<T, syncml::Results>) {
                if (x.meta) return x.meta->size;
            }
            return std::nullopt;
        },
        c.variant());
}

bool is_chunk(const syncml::Command& c) {
    return chunkable(c) && items_of(c)->front().more_data;
}

} // namespace

std::optional<syncml::Alert> ChunkAssembler::interrupt() {
    if (!open_) return std::nullopt;
    syncml::Alert alert = make_alert(syncml::alert_code::kNoEndOfData);
    syncml::Item item;
    const auto& first = items_of(open_->first)->front();
    item.target = first.target;
    item.source = first.source;
    alert.items.push_back(std::move(item));
    open_.reset();
    return alert;
}

ChunkAssembler::Outcome ChunkAssembler::feed(const syncml::Command& c) {
    Outcome out;
    out.command = c;
    if (open_) {
        if (chunkable(c) && key_of(c) == open_->key) {
            auto& item = items_of(open_->first)->front();
            *item.data += *items_of(c)->front().data;
            if (items_of(c)->front().more_data) {
                out.kind = Kind::Buffered;
                return out;
            }
            item.more_data = false;
            out.command = std::move(open_->first);
            const auto declared = open_->declared_size;
            const std::size_t got = items_of(out.command)->front().data->size();
            open_.reset();
            out.kind = (declared && *declared != got) ? Kind::SizeMismatch : Kind::Complete;
            return out;
        }
        out.interrupted = interrupt();
    }
    if (is_chunk(c)) {
        open_ = Open{c, key_of(c), declared_size(c)};
        out.kind = Kind::Buffered;
        return out;
    }
    out.kind = Kind::Whole;
    return out;
}

} // namespace omadm::session::detail
