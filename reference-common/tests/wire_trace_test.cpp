#include "omadm/shell/wire_trace.hpp"
#include "omadm/testing/temp_dir.hpp"

#include <fstream>
#include <gtest/gtest.h>
#include <sstream>

namespace omadm::shell {
namespace {

std::string slurp(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

TEST(WireTrace, NumbersMessagesInOrderWithDirectionAndFormat) {
    const auto dir = omadm::testing::test_temp_dir() / "trace-order";
    std::filesystem::remove_all(dir);
    auto trace = WireTrace::open(dir);
    ASSERT_TRUE(trace.has_value());
    ASSERT_TRUE((*trace)->record(WireDirection::In, WireFormat::Xml, "<SyncML/>").has_value());
    ASSERT_TRUE(
        (*trace)->record(WireDirection::Out, WireFormat::Wbxml, std::string("\x02\x00", 2), "<SyncML/>"));
    EXPECT_EQ(slurp(dir / "0001-in.xml"), "<SyncML/>");
    EXPECT_EQ(slurp(dir / "0002-out.wbxml"), std::string("\x02\x00", 2));
    EXPECT_EQ(slurp(dir / "0002-out.decoded.xml"), "<SyncML/>");
}

} // namespace
} // namespace omadm::shell
