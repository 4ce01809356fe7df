#pragma once
// A small fluent builder for messages, for tests and engines (tests never paste XML):
//   MessageBuilder(hdr).alert(alert_code::kClientInitiatedMgmt).replace("./DevInfo/DevId", "IMEI:1").build()
// CmdIDs are numbered from 1 in the order commands are added, nested Atomic/Sequence members
// included (OMA-TS-DM_RepPro-V1_2_1 §6.1.4, CmdID).

#include "omadm/syncml/message.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace omadm::syncml {

/// A SyncHdr with VerDTD 1.2, the given protocol version and the mandatory fields set.
[[nodiscard]] SyncHdr make_hdr(base::SessionId session, MsgId msg_id, std::string target_uri,
                               std::string source_uri, std::string ver_proto = kVerProtoDm12);

/// An Item addressed by Target/LocURI (server commands), with optional Data.
[[nodiscard]] Item target_item(std::string uri, std::optional<std::string> data = std::nullopt,
                               std::optional<Meta> meta = std::nullopt);
/// An Item addressed by Source/LocURI (client Replace of DevInfo, Results, Generic Alert).
[[nodiscard]] Item source_item(std::string uri, std::optional<std::string> data = std::nullopt,
                               std::optional<Meta> meta = std::nullopt);

/// Whether the built message closes its package.
enum class Finality { Final, NotFinal };

class MessageBuilder {
public:
    explicit MessageBuilder(SyncHdr hdr);

    /// Any command; its CmdID (and those of nested commands) is overwritten with the next ones.
    MessageBuilder& command(Command c);

    MessageBuilder& alert(std::uint16_t code, std::vector<Item> items = {},
                          std::optional<std::string> correlator = std::nullopt);
    MessageBuilder& add(std::string uri, std::optional<std::string> data = std::nullopt,
                        std::optional<Meta> meta = std::nullopt);
    MessageBuilder& replace(std::string uri, std::string data, std::optional<Meta> meta = std::nullopt);
    MessageBuilder& get(std::string uri);
    MessageBuilder& delete_node(std::string uri);
    MessageBuilder& copy(std::string target_uri, std::string source_uri);
    MessageBuilder& exec(std::string uri, std::optional<std::string> correlator = std::nullopt,
                         std::optional<std::string> data = std::nullopt);
    MessageBuilder& atomic(std::vector<Command> members);
    MessageBuilder& sequence(std::vector<Command> members);

    /// Status for a peer command: Cmd is the element name, CmdRef its CmdID, MsgRef its message.
    MessageBuilder& status(MsgId msg_ref, CmdId cmd_ref, std::string cmd, StatusCode code,
                           std::vector<std::string> target_refs = {},
                           std::vector<std::string> source_refs = {});
    /// Status for the peer's SyncHdr: CmdRef 0, Cmd SyncHdr, Target/SourceRef from that header.
    MessageBuilder& status_for_hdr(const SyncHdr& peer, StatusCode code,
                                   std::optional<Chal> chal = std::nullopt);
    /// Status answering one of the peer's commands, Target/SourceRef taken from its first Item.
    MessageBuilder& status_for(const SyncHdr& peer, const Command& cmd, StatusCode code);
    MessageBuilder& results(MsgId msg_ref, CmdId cmd_ref, std::vector<Item> items);

    MessageBuilder& finality(Finality f);

    [[nodiscard]] Message build() const;

private:
    CmdId next_id();
    void number(Command& c);

    Message msg_;
    std::uint32_t next_cmd_id_ = 1;
};

} // namespace omadm::syncml
