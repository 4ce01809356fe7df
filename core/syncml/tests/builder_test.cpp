#include "omadm/syncml/builder.hpp"

#include <gtest/gtest.h>

namespace omadm::syncml {
namespace {

SyncHdr hdr() {
    return make_hdr(base::SessionId{"1"}, MsgId{1}, "https://dm.example.com/dm", "IMEI:1");
}

TEST(MessageBuilder, NumbersCommandsFromOneInOrder) {
    const auto m = MessageBuilder(hdr())
                       .alert(alert_code::kClientInitiatedMgmt)
                       .replace("./DevInfo/DevId", "IMEI:1")
                       .build();

    ASSERT_EQ(m.body.size(), 2U);
    EXPECT_EQ(command_id(m.body[0]), CmdId{1});
    EXPECT_EQ(command_id(m.body[1]), CmdId{2});
    EXPECT_EQ(std::get<Alert>(m.body[0].variant()).code, 1201);
    EXPECT_EQ(std::get<Replace>(m.body[1].variant()).items.at(0).data, "IMEI:1");
}

TEST(MessageBuilder, NumbersNestedCommandsDepthFirst) {
    Add add;
    add.items.push_back(target_item("./A", "1"));
    Delete del;
    del.items.push_back(target_item("./B"));

    const auto m = MessageBuilder(hdr()).get("./C").atomic({Command{add}, Command{del}}).build();

    const auto& atomic = std::get<Atomic>(m.body.at(1).variant());
    EXPECT_EQ(atomic.cmd_id, CmdId{2});
    EXPECT_EQ(command_id(atomic.commands.at(0)), CmdId{3});
    EXPECT_EQ(command_id(atomic.commands.at(1)), CmdId{4});
}

TEST(MessageBuilder, StatusForHdrEchoesThePeerHeader) {
    SyncHdr peer = make_hdr(base::SessionId{"1"}, MsgId{5}, "https://dm.example.com/dm", "IMEI:9");

    const auto m = MessageBuilder(hdr()).status_for_hdr(peer, StatusCode::AuthenticationAccepted).build();

    const auto& s = std::get<Status>(m.body.at(0).variant());
    EXPECT_EQ(s.msg_ref, MsgId{5});
    EXPECT_EQ(s.cmd_ref, CmdId{0});
    EXPECT_EQ(s.cmd, "SyncHdr");
    EXPECT_EQ(s.target_refs, std::vector<std::string>{"https://dm.example.com/dm"});
    EXPECT_EQ(s.source_refs, std::vector<std::string>{"IMEI:9"});
    EXPECT_EQ(s.code, StatusCode::AuthenticationAccepted);
}

TEST(MessageBuilder, StatusForACommandTakesItsNameIdAndTarget) {
    const auto peer = MessageBuilder(hdr()).get("./X").get("./DevInfo/Mod").build();

    const auto m = MessageBuilder(hdr()).status_for(peer.hdr, peer.body.at(1), StatusCode::NotFound).build();

    const auto& s = std::get<Status>(m.body.at(0).variant());
    EXPECT_EQ(s.cmd, "Get");
    EXPECT_EQ(s.cmd_ref, CmdId{2});
    EXPECT_EQ(s.target_refs, std::vector<std::string>{"./DevInfo/Mod"});
    EXPECT_EQ(s.code, StatusCode::NotFound);
}

TEST(MessageBuilder, BuildsNonFinalMessages) {
    const auto m = MessageBuilder(hdr()).finality(Finality::NotFinal).build();

    EXPECT_FALSE(m.final);
}

TEST(MessageBuilder, BuildsEveryServerCommand) {
    const auto m = MessageBuilder(hdr())
                       .add("./A", std::nullopt, Meta{"node", {}, {}, {}, {}, {}, {}})
                       .delete_node("./B")
                       .copy("./C", "./D")
                       .exec("./E/Op", "corr-1")
                       .sequence({Command{Get{}}})
                       .results(MsgId{1}, CmdId{3}, {source_item("./F", "v")})
                       .build();

    ASSERT_EQ(m.body.size(), 6U);
    EXPECT_EQ(std::get<Copy>(m.body[2].variant()).items.at(0).source->loc_uri, "./D");
    EXPECT_EQ(std::get<Exec>(m.body[3].variant()).correlator, "corr-1");
    EXPECT_EQ(command_id(std::get<Sequence>(m.body[4].variant()).commands.at(0)), CmdId{6});
}

} // namespace
} // namespace omadm::syncml
