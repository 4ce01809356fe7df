#pragma once
// The typed SyncML DM message model (SyncML RepPro 1.2 as used by OMA DM 1.2/1.3).
// Raw XML never leaves core/syncml: codecs turn bytes into these values and back.
// Field order follows the content models of the SyncML RepPro 1.2 DTD
// (OMA-SUP-DTD_SyncML_RepPro-V1_2), which is also the encoding order.

#include "omadm/base/status_code.hpp"
#include "omadm/base/strong_id.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace omadm::syncml {

using base::CmdId;
using base::MsgId;
using base::StatusCode;

inline constexpr const char* kNamespaceSyncml12 = "SYNCML:SYNCML1.2";
inline constexpr const char* kNamespaceMetInf = "syncml:metinf";
inline constexpr const char* kVerDtd12 = "1.2";
inline constexpr const char* kVerProtoDm12 = "DM/1.2";
inline constexpr const char* kVerProtoDm13 = "DM/1.3";

/// Meta information (namespace syncml:metinf). Absent fields are not encoded.
struct Meta {
    std::optional<std::string> format;         // chr, int, b64, bin, bool, node, null, xml, date, time, float
    std::optional<std::string> type;           // MIME type, MO id or auth type
    std::optional<std::string> mark;           // Generic Alert severity
    std::optional<std::uint64_t> size;         // total size of a large object (first chunk only)
    std::optional<std::string> next_nonce;     // base64 text exactly as sent
    std::optional<std::uint64_t> max_msg_size; // SyncHdr only
    std::optional<std::uint64_t> max_obj_size; // SyncHdr only
    bool operator==(const Meta&) const = default;
    [[nodiscard]] bool empty() const { return *this == Meta{}; }
};

/// Target or Source: a LocURI and an optional LocName.
struct Location {
    std::string loc_uri;
    std::optional<std::string> loc_name;
    bool operator==(const Location&) const = default;
};

struct Item {
    std::optional<Location> target;
    std::optional<Location> source;
    std::optional<Meta> meta;
    /// Data as text. Embedded XML (a TNDS MgmtTree) is kept as its serialized XML text.
    std::optional<std::string> data;
    bool more_data = false;
    bool operator==(const Item&) const = default;
};

/// Credentials (SyncHdr only in DM): Meta Type = syncml:auth-basic / syncml:auth-md5, Format b64.
struct Cred {
    Meta meta;
    std::string data;
    bool operator==(const Cred&) const = default;
};

/// Challenge carried in a 401/407 Status: Meta Type, Format b64 and NextNonce.
struct Chal {
    Meta meta;
    bool operator==(const Chal&) const = default;
};

struct SyncHdr {
    std::string ver_dtd = kVerDtd12;
    std::string ver_proto = kVerProtoDm12;
    base::SessionId session_id;
    MsgId msg_id;
    Location target;
    Location source;
    std::optional<std::string> resp_uri;
    bool no_resp = false;
    std::optional<Cred> cred;
    std::optional<Meta> meta;
    bool operator==(const SyncHdr&) const = default;
};

/// Fields shared by Add, Replace, Copy, Delete, Get: CmdID, NoResp?, Cred?, Meta?, Item+.
struct ItemCommand {
    CmdId cmd_id;
    bool no_resp = false;
    std::optional<Cred> cred;
    std::optional<Meta> meta;
    std::vector<Item> items;
    bool operator==(const ItemCommand&) const = default;
};

struct Add : ItemCommand {
    bool operator==(const Add&) const = default;
};
struct Replace : ItemCommand {
    bool operator==(const Replace&) const = default;
};
struct Copy : ItemCommand {
    bool operator==(const Copy&) const = default;
};
struct Delete : ItemCommand {
    bool operator==(const Delete&) const = default;
};
struct Get : ItemCommand {
    bool operator==(const Get&) const = default;
};

/// Exec: CmdID, NoResp?, Cred?, Meta?, Correlator?, Item.
struct Exec {
    CmdId cmd_id;
    bool no_resp = false;
    std::optional<Cred> cred;
    std::optional<Meta> meta;
    std::optional<std::string> correlator;
    Item item;
    bool operator==(const Exec&) const = default;
};

/// Alert codes used by DM (OMA-TS-DM_RepPro-V1_2_1 §7).
namespace alert_code {
inline constexpr std::uint16_t kDisplay = 1100;
inline constexpr std::uint16_t kConfirmOrReject = 1101;
inline constexpr std::uint16_t kTextInput = 1102;
inline constexpr std::uint16_t kSingleChoice = 1103;
inline constexpr std::uint16_t kMultipleChoice = 1104;
inline constexpr std::uint16_t kServerInitiatedMgmt = 1200;
inline constexpr std::uint16_t kClientInitiatedMgmt = 1201;
inline constexpr std::uint16_t kNextMessage = 1222;
inline constexpr std::uint16_t kSessionAbort = 1223;
inline constexpr std::uint16_t kClientEvent = 1224;
inline constexpr std::uint16_t kNoEndOfData = 1225;
inline constexpr std::uint16_t kGenericAlert = 1226;
} // namespace alert_code

/// Alert: CmdID, NoResp?, Cred?, Data (the alert code), Correlator?, Item*.
struct Alert {
    CmdId cmd_id;
    bool no_resp = false;
    std::optional<Cred> cred;
    std::uint16_t code = 0;
    std::optional<std::string> correlator;
    std::vector<Item> items;
    bool operator==(const Alert&) const = default;
};

/// Status: CmdID, MsgRef, CmdRef, Cmd, TargetRef*, SourceRef*, Cred?, Chal?, Data (the code), Item*.
struct Status {
    CmdId cmd_id;
    MsgId msg_ref;
    CmdId cmd_ref;   // 0 refers to the SyncHdr
    std::string cmd; // element name of the referenced command: SyncHdr, Add, Atomic, ...
    std::vector<std::string> target_refs;
    std::vector<std::string> source_refs;
    std::optional<Cred> cred;
    std::optional<Chal> chal;
    StatusCode code = StatusCode::Ok;
    std::vector<Item> items;
    bool operator==(const Status&) const = default;
};

/// Results: CmdID, MsgRef?, CmdRef, Meta?, TargetRef?, SourceRef?, Item+.
struct Results {
    CmdId cmd_id;
    std::optional<MsgId> msg_ref;
    CmdId cmd_ref;
    std::optional<Meta> meta;
    std::optional<std::string> target_ref;
    std::optional<std::string> source_ref;
    std::vector<Item> items;
    bool operator==(const Results&) const = default;
};

struct Command;

/// Atomic: CmdID, NoResp?, Meta?, commands+ (all or nothing).
struct Atomic {
    CmdId cmd_id;
    bool no_resp = false;
    std::optional<Meta> meta;
    std::vector<Command> commands;
    bool operator==(const Atomic&) const;
};

/// Sequence: CmdID, NoResp?, Meta?, commands+ (in order).
struct Sequence {
    CmdId cmd_id;
    bool no_resp = false;
    std::optional<Meta> meta;
    std::vector<Command> commands;
    bool operator==(const Sequence&) const;
};

using CommandVariant =
    std::variant<Add, Alert, Atomic, Copy, Delete, Exec, Get, Replace, Results, Sequence, Status>;

/// One SyncBody command. Derives from the variant so std::visit applies directly.
struct Command : CommandVariant {
    using CommandVariant::CommandVariant;
    [[nodiscard]] const CommandVariant& variant() const noexcept { return *this; }
    [[nodiscard]] CommandVariant& variant() noexcept { return *this; }
};

// Written out rather than defaulted: clang 14 crashes on a defaulted comparison whose members
// recurse through the Command variant.
inline bool Atomic::operator==(const Atomic& o) const {
    return cmd_id == o.cmd_id && no_resp == o.no_resp && meta == o.meta && commands == o.commands;
}
inline bool Sequence::operator==(const Sequence& o) const {
    return cmd_id == o.cmd_id && no_resp == o.no_resp && meta == o.meta && commands == o.commands;
}

/// Every kind of command, one per alternative of Command. Code that handles commands by kind switches
/// over it without a default, so that adding a command is a change the compiler walks through.
enum class CommandKind : std::uint8_t {
    Add,
    Alert,
    Atomic,
    Copy,
    Delete,
    Exec,
    Get,
    Replace,
    Results,
    Sequence,
    Status
};
[[nodiscard]] CommandKind kind_of(const Command& c) noexcept;
/// Status and Results answer other commands; every other kind asks for something.
[[nodiscard]] bool is_response(CommandKind k) noexcept;

/// The element name of a command as it appears on the wire and in Status/Cmd ("Add", "Atomic", ...).
[[nodiscard]] const char* command_name(CommandKind k) noexcept;
[[nodiscard]] const char* command_name(const Command& c) noexcept;
/// The kind named by an element name (case-sensitive); nullopt for anything else.
[[nodiscard]] std::optional<CommandKind> parse_command_kind(std::string_view name) noexcept;
/// The CmdID of any command.
[[nodiscard]] CmdId command_id(const Command& c) noexcept;

struct Message {
    SyncHdr hdr;
    std::vector<Command> body;
    bool final = true;
    /// Decoding: each departure from the DTD that was read anyway because it has one meaning (for
    /// a session to record as a finding); empty for a conforming message, never encoded, and not
    /// part of what the message says (operator== leaves it out).
    std::vector<std::string> tolerated;
    bool operator==(const Message& o) const { return hdr == o.hdr && body == o.body && final == o.final; }
};

/// Wire encodings of a DM message.
enum class Encoding { Xml, Wbxml };

inline constexpr const char* kContentTypeXml = "application/vnd.syncml.dm+xml";
inline constexpr const char* kContentTypeWbxml = "application/vnd.syncml.dm+wbxml";

} // namespace omadm::syncml
