#include "builders.hpp"
#include "omadm/testing/covers.hpp"
#include "outbox.hpp"

#include <gtest/gtest.h>

namespace omadm::session::detail {
namespace {

using omadm::testing::covers;
using syncml::CmdId;

syncml::Message empty_message() {
    return testing::MessageBuilder("1", 1).build();
}

TEST(Outbox, PlacesWholeCommandsWithSequentialIds) {
    covers(req::MgmtPolicyMO_OSR_01);
    Outbox box;
    box.push(testing::get("./A"), 7);
    box.push(testing::atomic({testing::add("./B", "b"), testing::del("./C")}), 8);
    auto msg = empty_message();
    std::uint32_t next = 2;

    const auto placed = box.fill(msg, next, std::nullopt, approximate_size);

    ASSERT_EQ(placed.size(), 2U);
    EXPECT_EQ(placed[0].cmd_id, CmdId{2});
    EXPECT_EQ(placed[1].cmd_id, CmdId{3});
    EXPECT_EQ(placed[1].member_ids, (std::vector<CmdId>{CmdId{4}, CmdId{5}}));
    EXPECT_EQ(next, 6U);
    EXPECT_TRUE(box.empty());
}

TEST(Outbox, StopsAtTheSizeLimit) {
    covers(req::MgmtPolicyMO_OSR_01);
    Outbox box;
    for (int i = 0; i < 30; ++i)
        box.push(testing::del("./Node/" + std::to_string(i)));
    auto msg = empty_message();
    std::uint32_t next = 1;

    const auto placed = box.fill(msg, next, 800, approximate_size);

    EXPECT_FALSE(placed.empty());
    EXPECT_LT(placed.size(), 30U);
    EXPECT_LE(approximate_size(msg), 800U);
    EXPECT_FALSE(box.empty());
}

TEST(Outbox, ChunksALargeItemWithSizeOnTheFirstChunkOnly) {
    covers(req::MgmtPolicyMO_OSR_01);
    Outbox box;
    box.push(testing::replace("./Big", std::string(3000, 'q')), 1);
    std::string reassembled;
    int chunks = 0;
    while (!box.empty()) {
        auto msg = empty_message();
        std::uint32_t next = 1;
        const auto placed = box.fill(msg, next, 1000, approximate_size);
        ASSERT_EQ(placed.size(), 1U);
        EXPECT_LE(approximate_size(msg), 1000U);
        const auto& item = std::get<syncml::Replace>(msg.body.back().variant()).items.at(0);
        EXPECT_EQ(item.more_data, !box.empty());
        EXPECT_EQ(item.meta && item.meta->size, chunks == 0);
        reassembled += *item.data;
        ++chunks;
    }
    EXPECT_GE(chunks, 4);
    EXPECT_EQ(reassembled, std::string(3000, 'q'));
}

} // namespace
} // namespace omadm::session::detail
