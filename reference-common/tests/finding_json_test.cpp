#include "omadm/shell/finding_json.hpp"

#include <gtest/gtest.h>

namespace omadm::shell {
namespace {

TEST(FindingJson, CarriesSeverityAndEvidence) {
    session::Finding f{req::MgmtPolicyMO_OSR_01, "CmdID 3 repeated in one message",
                       session::Evidence{base::MsgId(2), base::CmdId(3), "SyncBody/Get"}};
    auto j = finding_json(f);
    EXPECT_EQ(j.at("requirement").as_string(), req::MgmtPolicyMO_OSR_01.id);
    EXPECT_EQ(j.at("severity").as_string(), "error"); // a finding is a broken SHALL unless told otherwise
    EXPECT_EQ(j.at("detail").as_string(), "CmdID 3 repeated in one message");
    const auto& ev = j.at("evidence").as_object();
    EXPECT_EQ(ev.at("msg_id").to_number<int>(), 2);
    EXPECT_EQ(ev.at("cmd_id").to_number<int>(), 3);
    EXPECT_EQ(ev.at("location").as_string(), "SyncBody/Get");

    f.severity = session::Severity::Info;
    f.evidence = {};
    j = finding_json(f);
    EXPECT_EQ(j.at("severity").as_string(), "info");
    EXPECT_TRUE(j.at("evidence").as_object().at("msg_id").is_null());
}

} // namespace
} // namespace omadm::shell
