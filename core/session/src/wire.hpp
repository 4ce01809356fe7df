#pragma once
// Internal helpers over the typed message model: items, members, ids, Status construction.
// Command names and CmdIDs come from syncml::command_name / syncml::command_id.

#include "omadm/auth/credentials.hpp"
#include "omadm/session/event.hpp"
#include "omadm/syncml/message.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace omadm::session::detail {

using syncml::CmdId;
using syncml::MsgId;

/// The Items of a command that has them (nullptr for Atomic, Sequence, Status).
[[nodiscard]] const std::vector<syncml::Item>* items_of(const syncml::Command& c) noexcept;
[[nodiscard]] std::vector<syncml::Item>* items_of(syncml::Command& c) noexcept;
/// Members of an Atomic or Sequence (nullptr otherwise).
[[nodiscard]] std::vector<syncml::Command>* members_of(syncml::Command& c) noexcept;
[[nodiscard]] const std::vector<syncml::Command>* members_of(const syncml::Command& c) noexcept;

/// Assigns `next` (and following ids) to c and its members in document order; returns the ids
/// given to the members (one level).
std::vector<CmdId> assign_ids(syncml::Command& c, std::uint32_t& next);

/// Status for a received command: MsgRef, CmdRef, Cmd, TargetRef/SourceRef from its Items.
[[nodiscard]] syncml::Status status_for(MsgId msg_ref, const syncml::Command& c, syncml::StatusCode code);
/// Status for a received SyncHdr: CmdRef 0, Cmd SyncHdr, TargetRef/SourceRef = header URIs.
[[nodiscard]] syncml::Status status_for_header(const syncml::SyncHdr& hdr, syncml::StatusCode code);

/// The Status with CmdRef 0 in a message, if any.
[[nodiscard]] const syncml::Status* header_status(const syncml::Message& m) noexcept;
[[nodiscard]] syncml::Alert make_alert(std::uint16_t code);
[[nodiscard]] bool is_alert(const syncml::Command& c, std::uint16_t code) noexcept;
/// The size in bytes of the largest Item Data in a command (members of Atomic/Sequence included):
/// what MaxObjSize limits (OMA-TS-DM_Protocol-V1_2_1 §7).
[[nodiscard]] std::uint64_t largest_object(const syncml::Command& c) noexcept;
/// A management command that needs an answer from the peer (not Status/Results/1222).
[[nodiscard]] bool is_management(const syncml::Command& c) noexcept;
/// A deviation of the peer from the DM protocol: a finding under MgmtPolicyMO-OSR-01.
[[nodiscard]] Finding osr(std::string detail, MsgId msg_id, std::optional<CmdId> cmd_id,
                          std::string location);
/// What a decoded message departs from the DTD in, as findings: each departure the decoder read
/// anyway (Message::tolerated), then each CmdID of its commands (members included) seen a second
/// time, since a CmdID identifies one command of its message (OMA-TS-SyncML_RepPro-V1_2, CmdID).
[[nodiscard]] std::vector<Finding> message_findings(const syncml::Message& m);
/// What one end keeps of the messages its peer sent: the last MsgID and the size limits the peer
/// declared in its SyncHdr Meta (OMA-TS-DM_Protocol-V1_2_1 §7).
struct PeerTrack {
    std::optional<std::uint32_t> last_msg;
    std::optional<std::uint64_t> max_msg;
    std::optional<std::uint64_t> max_obj;

    /// Takes a received SyncHdr: a finding when its MsgID does not follow the last one (the first
    /// is 1), then its MaxMsgSize and MaxObjSize, where it gives them.
    void receive(const syncml::SyncHdr& h, std::vector<Finding>& findings);
};
/// The bytes of a nonce kept as the base64 text that travelled in NextNonce; text that is not
/// base64 is taken as it is (empty text: no nonce).
[[nodiscard]] auth::Bytes nonce_bytes(const std::string& b64);

} // namespace omadm::session::detail
