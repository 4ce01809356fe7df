#include "omadm/testing/covers.hpp"
#include "package0_check.hpp"
#include "package0_replay_guard.hpp"

#include <gtest/gtest.h>

namespace omadm::client {
namespace {

auth::Package0 notification(std::string server_id, std::uint16_t session_id) {
    auth::Package0 p;
    p.session_id = session_id;
    p.server_id = std::move(server_id);
    return p;
}

TEST(Package0ReplayGuard, RefusesTheSameServerAndSessionIdTwice) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    Package0ReplayGuard guard;
    EXPECT_EQ(guard.admit(notification("dmserver", 0x1A2B)), ReplayVerdict::Fresh);
    EXPECT_EQ(guard.admit(notification("dmserver", 0x1A2B)), ReplayVerdict::Replay);
    EXPECT_EQ(guard.admit(notification("dmserver", 0x1A2B)), ReplayVerdict::Replay);
}

TEST(Package0ReplayGuard, KeepsServersApartAndAcceptsNewSessionIds) {
    Package0ReplayGuard guard;
    EXPECT_EQ(guard.admit(notification("dmserver", 1)), ReplayVerdict::Fresh);
    EXPECT_EQ(guard.admit(notification("other", 1)), ReplayVerdict::Fresh);
    EXPECT_EQ(guard.admit(notification("dmserver", 2)), ReplayVerdict::Fresh);
}

TEST(Package0ReplayGuard, ForgetsTheOldestIdBeyondTheWindow) {
    Package0ReplayGuard guard(3);
    for (std::uint16_t id = 1; id <= 4; ++id)
        EXPECT_EQ(guard.admit(notification("s", id)), ReplayVerdict::Fresh);
    EXPECT_FALSE(guard.remembers("s", 1));
    EXPECT_TRUE(guard.remembers("s", 2));
    EXPECT_TRUE(guard.remembers("s", 4));
    EXPECT_EQ(guard.admit(notification("s", 1)), ReplayVerdict::Fresh);
}

TEST(Package0HttpStatus, MapsEachVerdictToItsAnswer) {
    EXPECT_EQ(package0_http_status(Package0Verdict::Accepted), 202U);
    EXPECT_EQ(package0_http_status(Package0Verdict::Malformed), 400U);
    EXPECT_EQ(package0_http_status(Package0Verdict::UnknownServer), 401U);
    EXPECT_EQ(package0_http_status(Package0Verdict::BadDigest), 401U);
    EXPECT_EQ(package0_http_status(Package0Verdict::Replayed), 409U);
    EXPECT_EQ(package0_verdict_name(Package0Verdict::Replayed), "replayed");
}

} // namespace
} // namespace omadm::client
