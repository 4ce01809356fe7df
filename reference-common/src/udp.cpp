#include "omadm/shell/udp.hpp"

#include "omadm/shell/log.hpp"
#include "omadm/shell/shell_errc.hpp"

#include <array>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

namespace omadm::shell {

namespace asio = boost::asio;
using udp = asio::ip::udp;

struct UdpReceiver::State {
    explicit State(udp::socket s) : socket(std::move(s)) {}
    udp::socket socket;
    std::array<std::uint8_t, 65536> buffer{};
    udp::endpoint from;
    DatagramHandler handler;
};

namespace {

void receive_next(const std::shared_ptr<UdpReceiver::State>& state) {
    state->socket.async_receive_from(
        asio::buffer(state->buffer), state->from,
        [state](const boost::system::error_code& ec, std::size_t n) {
            if (ec == asio::error::operation_aborted || !state->socket.is_open()) return;
            if (ec) {
                log::warn("UDP receive failed: " + ec.message());
            } else {
                const auto begin = state->buffer.begin();
                state->handler(std::vector<std::uint8_t>(begin, begin + static_cast<std::ptrdiff_t>(n)),
                               Endpoint{state->from.address().to_string(), state->from.port()});
            }
            receive_next(state);
        });
}

} // namespace

base::Result<void> udp_send(const Endpoint& to, std::span<const std::uint8_t> bytes) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(to.host, ec);
    if (ec) return base::make_error(ShellErrc::bad_endpoint, to_string(to) + ": " + ec.message());
    asio::io_context ioc;
    udp::socket socket(ioc);
    const udp::endpoint ep{address, to.port};
    socket.open(ep.protocol(), ec);
    if (!ec) socket.send_to(asio::buffer(bytes.data(), bytes.size()), ep, 0, ec);
    if (ec)
        return base::make_error(ShellErrc::io_error, "UDP send to " + to_string(to) + ": " + ec.message());
    return {};
}

base::Result<std::unique_ptr<UdpReceiver>> UdpReceiver::open(asio::any_io_executor executor,
                                                             const Endpoint& where) {
    boost::system::error_code ec;
    const auto address = asio::ip::make_address(where.host, ec);
    if (ec) return base::make_error(ShellErrc::bad_endpoint, to_string(where) + ": " + ec.message());
    udp::socket socket(executor);
    const udp::endpoint ep{address, where.port};
    socket.open(ep.protocol(), ec);
    if (!ec) socket.bind(ep, ec);
    if (ec)
        return base::make_error(ShellErrc::io_error, "UDP bind " + to_string(where) + ": " + ec.message());
    return std::unique_ptr<UdpReceiver>(new UdpReceiver(std::move(socket)));
}

UdpReceiver::UdpReceiver(udp::socket socket) : state_(std::make_shared<State>(std::move(socket))) {}

UdpReceiver::~UdpReceiver() {
    stop();
}

Endpoint UdpReceiver::local_endpoint() const {
    boost::system::error_code ec;
    const auto ep = state_->socket.local_endpoint(ec);
    return Endpoint{ep.address().to_string(), ep.port()};
}

void UdpReceiver::start(DatagramHandler handler) {
    state_->handler = std::move(handler);
    receive_next(state_);
}

void UdpReceiver::stop() {
    asio::post(state_->socket.get_executor(), [state = state_] {
        boost::system::error_code ignored;
        state->socket.close(ignored);
    });
}

} // namespace omadm::shell
