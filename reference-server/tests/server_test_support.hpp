#pragma once
// Shared by the server shell's tests: a store in the test's own scratch directory, the clock,
// event bus and store a DmEndpoint runs on, and the device's first messages.

#include "omadm/base/clock.hpp"
#include "omadm/shell/event_bus.hpp"
#include "omadm/syncml/builder.hpp"
#include "omadm/testing/temp_dir.hpp"
#include "server_store.hpp"

#include <boost/asio/io_context.hpp>
#include <filesystem>
#include <gtest/gtest.h>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace omadm::server::testing {

/// <test temp dir>/name, emptied.
inline std::filesystem::path fresh_dir(std::string_view name) {
    const auto p = omadm::testing::test_temp_dir() / name;
    std::filesystem::remove_all(p);
    return p;
}

/// The pieces a DmEndpoint runs on: a manual clock, an event bus without a file and a fresh store.
class EndpointTest : public ::testing::Test {
protected:
    explicit EndpointTest(std::string_view store_dir)
        : store_(ServerStore::open(fresh_dir(store_dir)).value()) {}

    static constexpr const char* kDevice = "IMEI:1";

    /// A message with no commands yet from the device kDevice, user "u", to this server (session 1).
    static syncml::Message from_device(std::uint32_t msg_id, std::optional<syncml::Cred> cred = std::nullopt,
                                       std::string ver_proto = syncml::kVerProtoDm12) {
        auto hdr = syncml::make_hdr(base::SessionId("1"), base::MsgId(msg_id), "omadm-ref-server", kDevice,
                                    std::move(ver_proto));
        hdr.source.loc_name = "u";
        hdr.cred = std::move(cred);
        return syncml::Message{hdr, {}, true, {}};
    }

    boost::asio::io_context ioc_;
    base::ManualClock clock_;
    shell::EventBus events_{ioc_.get_executor(), clock_, nullptr};
    std::unique_ptr<ServerStore> store_;
};

} // namespace omadm::server::testing
