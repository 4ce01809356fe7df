#pragma once
// Test builders for SyncML messages and commands: no pasted XML.

#include "omadm/syncml/message.hpp"

#include <string>
#include <utility>
#include <vector>

namespace omadm::session::testing {

inline syncml::Item item_target(std::string uri, std::optional<std::string> data = std::nullopt) {
    syncml::Item i;
    i.target = syncml::Location{std::move(uri), std::nullopt};
    i.data = std::move(data);
    return i;
}

template <class Cmd>
syncml::Command item_command(std::string uri, std::optional<std::string> data = std::nullopt) {
    Cmd c;
    c.items.push_back(item_target(std::move(uri), std::move(data)));
    return c;
}

inline syncml::Command get(std::string uri) {
    return item_command<syncml::Get>(std::move(uri));
}
inline syncml::Command replace(std::string uri, std::string data) {
    return item_command<syncml::Replace>(std::move(uri), std::move(data));
}
inline syncml::Command add(std::string uri, std::string data) {
    return item_command<syncml::Add>(std::move(uri), std::move(data));
}
inline syncml::Command del(std::string uri) {
    return item_command<syncml::Delete>(std::move(uri));
}
inline syncml::Command exec(std::string uri, std::optional<std::string> correlator = std::nullopt) {
    syncml::Exec e;
    e.item = item_target(std::move(uri));
    e.correlator = std::move(correlator);
    return e;
}
inline syncml::Command atomic(std::vector<syncml::Command> members) {
    syncml::Atomic a;
    a.commands = std::move(members);
    return a;
}
inline syncml::Command sequence(std::vector<syncml::Command> members) {
    syncml::Sequence s;
    s.commands = std::move(members);
    return s;
}
inline syncml::Command alert(std::uint16_t code) {
    syncml::Alert a;
    a.code = code;
    return a;
}

/// Builds a message with sequential CmdIDs from 1.
class MessageBuilder {
public:
    MessageBuilder(std::string session, std::uint32_t msg_id) {
        msg_.hdr.session_id = base::SessionId{std::move(session)};
        msg_.hdr.msg_id = base::MsgId{msg_id};
    }
    MessageBuilder& from(std::string uri) {
        msg_.hdr.source.loc_uri = std::move(uri);
        return *this;
    }
    MessageBuilder& to(std::string uri) {
        msg_.hdr.target.loc_uri = std::move(uri);
        return *this;
    }
    MessageBuilder& ver_proto(std::string v) {
        msg_.hdr.ver_proto = std::move(v);
        return *this;
    }
    MessageBuilder& max_msg_size(std::uint64_t n) {
        if (!msg_.hdr.meta) msg_.hdr.meta = syncml::Meta{};
        msg_.hdr.meta->max_msg_size = n;
        return *this;
    }
    MessageBuilder& max_obj_size(std::uint64_t n) {
        if (!msg_.hdr.meta) msg_.hdr.meta = syncml::Meta{};
        msg_.hdr.meta->max_obj_size = n;
        return *this;
    }
    MessageBuilder& command(syncml::Command c) {
        std::visit([this](auto& x) { x.cmd_id = base::CmdId{next_++}; }, c.variant());
        msg_.body.push_back(std::move(c));
        return *this;
    }
    MessageBuilder& hdr_status(std::uint32_t msg_ref, base::StatusCode code) {
        syncml::Status s;
        s.msg_ref = base::MsgId{msg_ref};
        s.cmd_ref = base::CmdId{0};
        s.cmd = "SyncHdr";
        s.code = code;
        return command(std::move(s));
    }
    MessageBuilder& alert(std::uint16_t code) { return command(testing::alert(code)); }
    MessageBuilder& not_final() {
        msg_.final = false;
        return *this;
    }
    [[nodiscard]] syncml::Message build() const { return msg_; }

private:
    syncml::Message msg_;
    std::uint32_t next_ = 1;
};

} // namespace omadm::session::testing
