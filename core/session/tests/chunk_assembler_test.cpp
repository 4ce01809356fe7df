#include "builders.hpp"
#include "chunk_assembler.hpp"
#include "omadm/testing/covers.hpp"

#include <gtest/gtest.h>

namespace omadm::session::detail {
namespace {

using omadm::testing::covers;

syncml::Command chunk(std::string data, bool more, std::optional<std::uint64_t> size = std::nullopt,
                      std::string uri = "./Big") {
    auto c = testing::replace(std::move(uri), std::move(data));
    auto& item = std::get<syncml::Replace>(c.variant()).items.at(0);
    item.more_data = more;
    if (size) {
        item.meta = syncml::Meta{};
        item.meta->size = size;
    }
    return c;
}

TEST(ChunkAssembler, PassesOrdinaryCommandsThrough) {
    covers(req::MgmtPolicyMO_OSR_01);
    ChunkAssembler a;
    const auto out = a.feed(testing::replace("./A", "1"));
    EXPECT_EQ(out.kind, ChunkAssembler::Kind::Whole);
    EXPECT_FALSE(out.interrupted);
}

TEST(ChunkAssembler, BuffersThenCompletes) {
    covers(req::MgmtPolicyMO_OSR_01);
    ChunkAssembler a;
    EXPECT_EQ(a.feed(chunk("abc", true, 6)).kind, ChunkAssembler::Kind::Buffered);
    const auto out = a.feed(chunk("def", false));
    ASSERT_EQ(out.kind, ChunkAssembler::Kind::Complete);
    EXPECT_EQ(std::get<syncml::Replace>(out.command.variant()).items.at(0).data, "abcdef");
    EXPECT_FALSE(a.active());
}

TEST(ChunkAssembler, ReportsSizeMismatch) {
    covers(req::MgmtPolicyMO_OSR_01);
    ChunkAssembler a;
    (void)a.feed(chunk("abc", true, 10));
    EXPECT_EQ(a.feed(chunk("def", false)).kind, ChunkAssembler::Kind::SizeMismatch);
}

TEST(ChunkAssembler, AnotherCommandInterruptsWithAlert1225) {
    covers(req::MgmtPolicyMO_OSR_01);
    ChunkAssembler a;
    (void)a.feed(chunk("abc", true, 6));
    const auto out = a.feed(testing::del("./Other"));
    ASSERT_TRUE(out.interrupted.has_value());
    EXPECT_EQ(out.interrupted->code, syncml::alert_code::kNoEndOfData);
    EXPECT_EQ(out.interrupted->items.at(0).target->loc_uri, "./Big");
    EXPECT_EQ(out.kind, ChunkAssembler::Kind::Whole);
}

} // namespace
} // namespace omadm::session::detail
