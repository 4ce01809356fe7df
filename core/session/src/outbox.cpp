#include "outbox.hpp"

#include "wire.hpp"

#include <algorithm>
#include <utility>
#include <variant>

namespace omadm::session::detail {
namespace {

constexpr std::size_t kMinChunk = 64;

bool is_continuation_byte(char c) noexcept {
    return (static_cast<unsigned char>(c) & 0xC0U) == 0x80U;
}

/// Moves n back so that data[offset + n] does not split a UTF-8 sequence.
std::size_t utf8_floor(const std::string& data, std::size_t offset, std::size_t n) {
    while (n > 0 && offset + n < data.size() && is_continuation_byte(data[offset + n]))
        --n;
    return n;
}

void set_first_chunk_size(syncml::Item& item, std::uint64_t total) {
    if (!item.meta) item.meta = syncml::Meta{};
    item.meta->size = total;
}

} // namespace

bool chunkable(const syncml::Command& c) noexcept {
    bool kind = false; // the commands whose one Item may carry a large object
    switch (syncml::kind_of(c)) {
    case syncml::CommandKind::Add:
    case syncml::CommandKind::Replace:
    case syncml::CommandKind::Copy:
    case syncml::CommandKind::Results:
        kind = true;
        break;
    case syncml::CommandKind::Alert:
    case syncml::CommandKind::Atomic:
    case syncml::CommandKind::Delete:
    case syncml::CommandKind::Exec:
    case syncml::CommandKind::Get:
    case syncml::CommandKind::Sequence:
    case syncml::CommandKind::Status:
        break;
    }
    const auto* items = items_of(c);
    return kind && items != nullptr && items->size() == 1 && items->front().data.has_value();
}

void Outbox::push(syncml::Command command, std::uint64_t tag) {
    queue_.push_back(Queued{std::move(command), tag, 0});
}

void Outbox::push_front(std::vector<syncml::Command> commands) {
    for (auto it = commands.rbegin(); it != commands.rend(); ++it)
        queue_.push_front(Queued{std::move(*it), 0, 0});
}

std::vector<std::pair<std::uint64_t, syncml::Command>> Outbox::take_unsent() {
    std::vector<std::pair<std::uint64_t, syncml::Command>> out;
    for (auto& q : queue_) {
        if (q.tag != 0 && q.offset == 0) out.emplace_back(q.tag, std::move(q.command));
    }
    queue_.clear();
    return out;
}

void Outbox::drop_started(std::uint64_t tag) {
    std::erase_if(queue_, [tag](const Queued& q) { return q.tag == tag && q.offset != 0; });
}

bool Outbox::has_management() const noexcept {
    return std::any_of(queue_.begin(), queue_.end(),
                       [](const Queued& q) { return is_management(q.command); });
}

std::vector<Placed> Outbox::fill(syncml::Message& msg, std::uint32_t& next_id,
                                 std::optional<std::uint64_t> limit, const MessageSizer& sizer) {
    std::vector<Placed> placed;
    while (!queue_.empty()) {
        Queued& front = queue_.front();
        const bool chunk_capable = chunkable(front.command);
        if (front.offset == 0) {
            syncml::Command c = front.command;
            std::uint32_t id = next_id;
            auto members = assign_ids(c, id);
            msg.body.push_back(std::move(c));
            const bool fits = !limit || sizer(msg) <= *limit;
            if (fits || (placed.empty() && !chunk_capable)) {
                placed.push_back(Placed{front.tag, CmdId{next_id}, std::move(members), false});
                next_id = id;
                queue_.pop_front();
                continue;
            }
            msg.body.pop_back();
            if (!chunk_capable) break;
        }
        if (!place_chunk(msg, next_id, *limit, sizer, placed.empty(), placed)) break;
        if (placed.back().more_data) break; // the next chunk goes in the next message
        queue_.pop_front();
    }
    return placed;
}

std::vector<Placed> Outbox::fill_after(std::vector<syncml::Command> prelude, syncml::Message& msg,
                                       std::uint32_t& next_id, std::optional<std::uint64_t> limit,
                                       const MessageSizer& sizer) {
    next_id = 1;
    for (auto& c : prelude) {
        (void)assign_ids(c, next_id);
        msg.body.push_back(std::move(c));
    }
    return fill(msg, next_id, limit, sizer);
}

bool Outbox::place_chunk(syncml::Message& msg, std::uint32_t& next_id, std::uint64_t limit,
                         const MessageSizer& sizer, bool force, std::vector<Placed>& placed) {
    Queued& front = queue_.front();
    const std::string& data = *items_of(front.command)->front().data;
    const std::size_t remaining = data.size() - front.offset;

    syncml::Command piece = front.command;
    std::uint32_t id = next_id;
    (void)assign_ids(piece, id);
    syncml::Item& item = items_of(piece)->front();
    if (front.offset == 0)
        set_first_chunk_size(item, data.size());
    else if (item.meta)
        item.meta->size.reset();

    const auto measure = [&](std::size_t n, bool more) {
        item.data = data.substr(front.offset, n);
        item.more_data = more;
        msg.body.push_back(piece);
        const std::size_t size = sizer(msg);
        msg.body.pop_back();
        return size;
    };
    // The last chunk, if the rest fits.
    if (front.offset > 0 && measure(remaining, false) <= limit) {
        msg.body.push_back(std::move(piece));
        placed.push_back(Placed{front.tag, CmdId{next_id}, {}, false});
        next_id = id;
        front.offset = data.size();
        return true;
    }
    const std::size_t base = measure(0, true);
    std::size_t n = base < limit ? limit - base : 0;
    n = std::min(n, remaining);
    while (n >= kMinChunk) {
        n = utf8_floor(data, front.offset, n);
        const std::size_t size = measure(n, true);
        if (size <= limit) break;
        n -= std::min(n, size - limit);
    }
    if (n < kMinChunk) {
        if (!force) return false;
        n = utf8_floor(data, front.offset, std::min(kMinChunk, remaining));
        if (n == 0) n = std::min(kMinChunk, remaining);
    }
    const bool more = front.offset + n < data.size();
    (void)measure(n, more);
    item.data = data.substr(front.offset, n);
    item.more_data = more;
    msg.body.push_back(std::move(piece));
    placed.push_back(Placed{front.tag, CmdId{next_id}, {}, more});
    next_id = id;
    front.offset += n;
    return true;
}

} // namespace omadm::session::detail
