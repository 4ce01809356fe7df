#pragma once
// UDP datagrams on loopback: the harness's side channel for Package 0
// (docs/protocol-notes.md#package0-loopback: the bytes are those of the OMA bearers).

#include "omadm/base/result.hpp"
#include "omadm/shell/endpoint.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ip/udp.hpp>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

namespace omadm::shell {

/// Sends one datagram (blocking; a datagram send does not wait for the peer).
[[nodiscard]] base::Result<void> udp_send(const Endpoint& to, std::span<const std::uint8_t> bytes);

using DatagramHandler = std::function<void(std::vector<std::uint8_t> bytes, const Endpoint& from)>;

/// Receives datagrams and hands each to a handler on the executor's thread.
class UdpReceiver {
public:
    [[nodiscard]] static base::Result<std::unique_ptr<UdpReceiver>>
    open(boost::asio::any_io_executor executor, const Endpoint& where);
    UdpReceiver(const UdpReceiver&) = delete;
    UdpReceiver& operator=(const UdpReceiver&) = delete;
    ~UdpReceiver();

    [[nodiscard]] Endpoint local_endpoint() const;
    void start(DatagramHandler handler);
    void stop();

    struct State; // implementation detail, shared with the pending receive

private:
    explicit UdpReceiver(boost::asio::ip::udp::socket socket);
    std::shared_ptr<State> state_;
};

} // namespace omadm::shell
