#include "omadm/syncml/builder.hpp"
#include "omadm/syncml/codec.hpp"

#include <gtest/gtest.h>
#include <set>
#include <variant>

namespace omadm::syncml {
namespace {

TEST(ContentType, MapsDmMediaTypes) {
    EXPECT_EQ(encoding_from_content_type("application/vnd.syncml.dm+xml").value(), Encoding::Xml);
    EXPECT_EQ(encoding_from_content_type("application/vnd.syncml.dm+wbxml").value(), Encoding::Wbxml);
}

TEST(ContentType, IgnoresCaseAndParameters) {
    EXPECT_EQ(encoding_from_content_type(" Application/VND.SyncML.DM+XML; charset=utf-8").value(),
              Encoding::Xml);
}

TEST(ContentType, AcceptsDsMediaTypesSentByDeployedClients) {
    EXPECT_EQ(encoding_from_content_type("application/vnd.syncml+xml").value(), Encoding::Xml);
    EXPECT_EQ(encoding_from_content_type("application/vnd.syncml+wbxml").value(), Encoding::Wbxml);
}

TEST(ContentType, RejectsOtherMediaTypes) {
    const auto r = encoding_from_content_type("text/xml");

    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, make_error_code(CodecErrc::unsupported_encoding));
}

TEST(ContentType, NamesEachEncoding) {
    EXPECT_STREQ(content_type(Encoding::Xml), "application/vnd.syncml.dm+xml");
    EXPECT_STREQ(content_type(Encoding::Wbxml), "application/vnd.syncml.dm+wbxml");
}

TEST(Codec, DispatchesOnEncoding) {
    const auto msg = MessageBuilder(make_hdr(base::SessionId{"1"}, MsgId{1}, "srv", "dev"))
                         .alert(alert_code::kClientInitiatedMgmt)
                         .build();
    for (const auto enc : {Encoding::Xml, Encoding::Wbxml}) {
        const auto bytes = encode(msg, enc);
        ASSERT_TRUE(bytes);
        const auto back = decode(*bytes, enc);
        ASSERT_TRUE(back) << back.error().message();
        EXPECT_EQ(*back, msg);
    }
}

TEST(CodecCategory, NamesItselfAndItsCodes) {
    EXPECT_STREQ(codec_category().name(), "omadm.syncml");
    EXPECT_EQ(make_error_code(CodecErrc::missing_element).message(), "mandatory element missing");
    const std::error_code ec = CodecErrc::too_deep;
    EXPECT_EQ(&ec.category(), &codec_category());
}

TEST(CommandName, NamesEveryAlternative) {
    EXPECT_STREQ(command_name(Command{Add{}}), "Add");
    EXPECT_STREQ(command_name(Command{Alert{}}), "Alert");
    EXPECT_STREQ(command_name(Command{Atomic{}}), "Atomic");
    EXPECT_STREQ(command_name(Command{Copy{}}), "Copy");
    EXPECT_STREQ(command_name(Command{Delete{}}), "Delete");
    EXPECT_STREQ(command_name(Command{Exec{}}), "Exec");
    EXPECT_STREQ(command_name(Command{Get{}}), "Get");
    EXPECT_STREQ(command_name(Command{Replace{}}), "Replace");
    EXPECT_STREQ(command_name(Command{Results{}}), "Results");
    EXPECT_STREQ(command_name(Command{Sequence{}}), "Sequence");
    EXPECT_STREQ(command_name(Command{Status{}}), "Status");
}

TEST(CommandKind, EveryAlternativeHasAKindWhoseNameParsesBack) {
    const std::vector<Command> all{Add{}, Alert{},   Atomic{},  Copy{},     Delete{}, Exec{},
                                   Get{}, Replace{}, Results{}, Sequence{}, Status{}};
    ASSERT_EQ(all.size(), std::variant_size_v<CommandVariant>);
    std::set<CommandKind> kinds;
    for (const auto& c : all) {
        const CommandKind k = kind_of(c);
        kinds.insert(k);
        EXPECT_EQ(parse_command_kind(command_name(k)), k) << command_name(k);
        EXPECT_STREQ(command_name(k), command_name(c));
    }
    EXPECT_EQ(kinds.size(), all.size());
    EXPECT_EQ(parse_command_kind("add"), std::nullopt);
    EXPECT_EQ(parse_command_kind("Put"), std::nullopt);
    EXPECT_TRUE(is_response(CommandKind::Status));
    EXPECT_TRUE(is_response(CommandKind::Results));
    EXPECT_FALSE(is_response(CommandKind::Alert));
}

TEST(CommandId, ReadsTheCmdIdOfAnyCommand) {
    Status s;
    s.cmd_id = CmdId{7};
    Atomic a;
    a.cmd_id = CmdId{3};

    EXPECT_EQ(command_id(Command{s}), CmdId{7});
    EXPECT_EQ(command_id(Command{a}), CmdId{3});
}

} // namespace
} // namespace omadm::syncml
