// XML -> Message, the commands: the closed set Add, Alert, Atomic, Copy, Delete, Exec, Get,
// Replace, Results, Sequence and Status. Any other element in SyncBody or in a container is an
// unexpected_element; so is any unknown child of a command.
#include "xml_decoder.hpp"

namespace omadm::syncml::detail {
namespace {

using base::Result;
using pugi::xml_node;

template <class T> Result<Command> as_command(Result<T>&& r) {
    if (!r) return r.error();
    return Command{std::move(*r)};
}

} // namespace

Result<bool> Decoder::common_field(xml_node c, std::string_view name, Common& common) {
    if (name == "CmdID") {
        if (common.has_id) return duplicate(c);
        auto v = id<CmdId>(c);
        if (!v) return v.error();
        *common.cmd_id = *v;
        common.has_id = true;
    } else if (name == "NoResp" && common.no_resp != nullptr) {
        if (*common.no_resp) return duplicate(c);
        *common.no_resp = true;
    } else if (name == "Cred" && common.cred != nullptr) {
        if (*common.cred) return duplicate(c);
        auto v = cred(c);
        if (!v) return v.error();
        *common.cred = std::move(*v);
    } else if (name == "Meta" && common.meta != nullptr) {
        if (*common.meta) return duplicate(c);
        auto m = meta(c);
        if (!m) return m.error();
        *common.meta = std::move(*m);
    } else {
        return false;
    }
    return true;
}

template <class C> Result<C> Decoder::item_command(xml_node n) {
    C cmd;
    Common common{&cmd.cmd_id, &cmd.no_resp, &cmd.cred, &cmd.meta};
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        auto handled = common_field(c, name, common);
        if (!handled) return handled.error();
        if (*handled) return {};
        if (name != "Item") return unexpected(c);
        auto it = item(c);
        if (!it) return it.error();
        cmd.items.push_back(std::move(*it));
        return {};
    });
    if (!r) return r.error();
    if (!common.has_id) return missing(n, "CmdID");
    if (cmd.items.empty()) return missing(n, "Item");
    return cmd;
}

Result<Alert> Decoder::alert(xml_node n) {
    Alert a;
    Common common{&a.cmd_id, &a.no_resp, &a.cred, nullptr};
    bool has_code = false;
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        auto handled = common_field(c, name, common);
        if (!handled) return handled.error();
        if (*handled) return {};
        if (name == "Data") {
            if (has_code) return duplicate(c);
            auto v = number(c, std::numeric_limits<std::uint16_t>::max());
            if (!v) return v.error();
            a.code = static_cast<std::uint16_t>(*v);
            has_code = true;
        } else if (name == "Correlator") {
            if (a.correlator) return duplicate(c);
            auto t = token(c);
            if (!t) return t.error();
            a.correlator = std::move(*t);
        } else if (name == "Item") {
            auto it = item(c);
            if (!it) return it.error();
            a.items.push_back(std::move(*it));
        } else {
            return unexpected(c);
        }
        return {};
    });
    if (!r) return r.error();
    if (!common.has_id) return missing(n, "CmdID");
    if (!has_code) return missing(n, "Data");
    return a;
}

Result<Exec> Decoder::exec(xml_node n) {
    Exec e;
    Common common{&e.cmd_id, &e.no_resp, &e.cred, &e.meta};
    bool has_item = false;
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        auto handled = common_field(c, name, common);
        if (!handled) return handled.error();
        if (*handled) return {};
        if (name == "Correlator") {
            if (e.correlator) return duplicate(c);
            auto t = token(c);
            if (!t) return t.error();
            e.correlator = std::move(*t);
        } else if (name == "Item") {
            if (has_item) return duplicate(c);
            auto it = item(c);
            if (!it) return it.error();
            e.item = std::move(*it);
            has_item = true;
        } else {
            return unexpected(c);
        }
        return {};
    });
    if (!r) return r.error();
    if (!common.has_id) return missing(n, "CmdID");
    if (!has_item) return missing(n, "Item");
    return e;
}

/// One child of Status other than the common ones. `seen` has a bit per mandatory child:
/// MsgRef 1, CmdRef 2, Cmd 4, Data 8.
Result<void> Decoder::status_field(xml_node c, std::string_view name, Status& s, unsigned& seen) {
    const unsigned bit = name == "MsgRef"   ? 1U
                         : name == "CmdRef" ? 2U
                         : name == "Cmd"    ? 4U
                         : name == "Data"   ? 8U
                                            : 0U;
    if (bit != 0U && (seen & bit) != 0U) return duplicate(c);
    seen |= bit;
    if (bit == 1U) {
        auto v = id<MsgId>(c);
        if (!v) return v.error();
        s.msg_ref = *v;
    } else if (bit == 2U) {
        auto v = id<CmdId>(c);
        if (!v) return v.error();
        s.cmd_ref = *v;
    } else if (bit == 4U) {
        auto t = token(c);
        if (!t) return t.error();
        s.cmd = std::move(*t);
    } else if (bit == 8U) {
        auto v = number(c, std::numeric_limits<std::uint16_t>::max());
        if (!v) return v.error();
        s.code = base::status_from_int(static_cast<std::uint16_t>(*v));
    } else if (name == "TargetRef" || name == "SourceRef") {
        auto t = token(c);
        if (!t) return t.error();
        (name == "TargetRef" ? s.target_refs : s.source_refs).push_back(std::move(*t));
    } else if (name == "Chal") {
        if (s.chal) return duplicate(c);
        auto v = chal(c);
        if (!v) return v.error();
        s.chal = std::move(*v);
    } else if (name == "Item") {
        auto it = item(c);
        if (!it) return it.error();
        s.items.push_back(std::move(*it));
    } else {
        return unexpected(c);
    }
    return {};
}

Result<Status> Decoder::status(xml_node n) {
    Status s;
    Common common{&s.cmd_id, nullptr, &s.cred, nullptr};
    unsigned seen = 0;
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        auto handled = common_field(c, name, common);
        if (!handled) return handled.error();
        if (*handled) return {};
        return status_field(c, name, s, seen);
    });
    if (!r) return r.error();
    if (!common.has_id) return missing(n, "CmdID");
    if ((seen & 2U) == 0U && (seen & 4U) != 0U && s.cmd == "SyncHdr") {
        // The Status of a SyncHdr refers to CmdID 0 whatever it says: without CmdRef it still means
        // one thing (deployed clients leave it out).
        s.cmd_ref = CmdId{0};
        seen |= 2U;
        tolerated_.push_back("Status " + std::to_string(s.cmd_id.value()) + " of the SyncHdr has no CmdRef");
    }
    constexpr const char* kMandatory[] = {"MsgRef", "CmdRef", "Cmd", "Data"};
    for (unsigned i = 0; i < 4; ++i) {
        if ((seen & (1U << i)) == 0U) return missing(n, kMandatory[i]);
    }
    return s;
}

Result<void> Decoder::results_field(xml_node c, std::string_view name, Results& res, bool& has_cmd_ref) {
    if (name == "MsgRef") {
        if (res.msg_ref) return duplicate(c);
        auto v = id<MsgId>(c);
        if (!v) return v.error();
        res.msg_ref = *v;
    } else if (name == "CmdRef") {
        if (has_cmd_ref) return duplicate(c);
        auto v = id<CmdId>(c);
        if (!v) return v.error();
        res.cmd_ref = *v;
        has_cmd_ref = true;
    } else if (name == "TargetRef" || name == "SourceRef") {
        auto& field = name == "TargetRef" ? res.target_ref : res.source_ref;
        if (field) return duplicate(c);
        auto t = token(c);
        if (!t) return t.error();
        field = std::move(*t);
    } else if (name == "Item") {
        auto it = item(c);
        if (!it) return it.error();
        res.items.push_back(std::move(*it));
    } else {
        return unexpected(c);
    }
    return {};
}

Result<Results> Decoder::results(xml_node n) {
    Results res;
    Common common{&res.cmd_id, nullptr, nullptr, &res.meta};
    bool has_cmd_ref = false;
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        auto handled = common_field(c, name, common);
        if (!handled) return handled.error();
        if (*handled) return {};
        return results_field(c, name, res, has_cmd_ref);
    });
    if (!r) return r.error();
    if (!common.has_id) return missing(n, "CmdID");
    if (!has_cmd_ref) return missing(n, "CmdRef");
    if (res.items.empty()) return missing(n, "Item");
    return res;
}

template <class C> Result<C> Decoder::container(xml_node n) {
    C cmd;
    Common common{&cmd.cmd_id, &cmd.no_resp, nullptr, &cmd.meta};
    auto r = for_each_element(n, [&](xml_node c, std::string_view name) -> Result<void> {
        auto handled = common_field(c, name, common);
        if (!handled) return handled.error();
        if (*handled) return {};
        auto inner = command(c);
        if (!inner) return inner.error();
        cmd.commands.push_back(std::move(*inner));
        return {};
    });
    if (!r) return r.error();
    if (!common.has_id) return missing(n, "CmdID");
    return cmd;
}

Result<Command> Decoder::command(xml_node n) {
    if (++commands_ > limits_.max_commands) {
        return error(CodecErrc::too_many_items, n, "more commands than the limit allows");
    }
    const auto kind = parse_command_kind(local_name(n));
    if (!kind) return unexpected(n);
    switch (*kind) {
    case CommandKind::Add:
        return as_command(item_command<Add>(n));
    case CommandKind::Alert:
        return as_command(alert(n));
    case CommandKind::Atomic:
        return as_command(container<Atomic>(n));
    case CommandKind::Copy:
        return as_command(item_command<Copy>(n));
    case CommandKind::Delete:
        return as_command(item_command<Delete>(n));
    case CommandKind::Exec:
        return as_command(exec(n));
    case CommandKind::Get:
        return as_command(item_command<Get>(n));
    case CommandKind::Replace:
        return as_command(item_command<Replace>(n));
    case CommandKind::Results:
        return as_command(results(n));
    case CommandKind::Sequence:
        return as_command(container<Sequence>(n));
    case CommandKind::Status:
        return as_command(status(n));
    }
    return unexpected(n);
}

} // namespace omadm::syncml::detail
