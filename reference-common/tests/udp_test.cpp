#include "omadm/shell/udp.hpp"
#include "test_support.hpp"

#include <future>
#include <gtest/gtest.h>

namespace omadm::shell {
namespace {

TEST(UdpReceiver, ReceivesTheBytesSent) {
    testing::IoThread io;
    auto rx = UdpReceiver::open(io.ioc().get_executor(), Endpoint{"127.0.0.1", 0});
    ASSERT_TRUE(rx.has_value());
    std::promise<std::vector<std::uint8_t>> got;
    (*rx)->start(
        [&got](std::vector<std::uint8_t> bytes, const Endpoint&) { got.set_value(std::move(bytes)); });
    const std::vector<std::uint8_t> sent{0x03, 0x08, 0x00, 0xFF};
    ASSERT_TRUE(udp_send((*rx)->local_endpoint(), sent).has_value());
    auto fut = got.get_future();
    ASSERT_EQ(fut.wait_for(std::chrono::seconds(10)), std::future_status::ready);
    EXPECT_EQ(fut.get(), sent);
    (*rx)->stop();
    io.release_and_join();
}

} // namespace
} // namespace omadm::shell
