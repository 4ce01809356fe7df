#include "omadm/shell/mo_profile.hpp"
#include "omadm/testing/covers.hpp"
#include "omadm/testing/temp_dir.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fstream>
#include <functional>
#include <gtest/gtest.h>
#include <sstream>

namespace omadm::shell {
namespace {

namespace json = boost::json;

const std::filesystem::path kProfiles = std::filesystem::path(OMADM_SOURCE_DIR) / "testcases" / "profiles";

json::object read_json(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return json::parse(text.str()).as_object();
}

/// The reference profile with `change` applied, written beside the reference DDF's directory.
class MoProfileFile : public ::testing::Test {
protected:
    std::filesystem::path write(const std::function<void(json::object&)>& change) {
        auto doc = read_json(kProfiles / "reference.json");
        doc["ddf"] = (std::filesystem::path(OMADM_SOURCE_DIR) / "ddf" / "mgmtpolicy.ddf").string();
        change(doc);
        const auto file = omadm::testing::test_temp_dir() / "profile.json";
        std::ofstream(file) << json::serialize(doc);
        return file;
    }
    void expect_refused(const std::function<void(json::object&)>& change, std::string_view detail) {
        const auto r = load_mo_profile(write(change));
        ASSERT_FALSE(r);
        EXPECT_NE(r.error().detail.find(detail), std::string::npos) << r.error().detail;
    }
};

TEST(MoProfile, TheReferenceProfileIsTheReferenceLayout) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    const auto p = load_mo_profile(kProfiles / "reference.json");

    ASSERT_TRUE(p) << p.error().detail;
    EXPECT_EQ(p->name, "reference");
    EXPECT_EQ(p->layout.root, policy::PolicyLayout{}.root);
    EXPECT_EQ(p->layout.node_names(), policy::PolicyLayout{}.node_names());
    EXPECT_EQ(p->props.root, policy::SystemPropertiesLayout{}.root);
    EXPECT_EQ(p->props.node_names(), policy::SystemPropertiesLayout{}.node_names());
}

TEST(MoProfile, TheAcmeProfileRenamesEveryNodeUnderAVendorRootAndDropsOperations) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    const auto p = load_mo_profile(kProfiles / "acme.json");

    ASSERT_TRUE(p) << p.error().detail;
    EXPECT_EQ(p->layout.root.str(), "./ACME/PolicyMgr");
    EXPECT_EQ(p->layout.mo_type, policy::PolicyLayout{}.mo_type);
    EXPECT_EQ(p->layout.operation_uri(p->layout.root / "p1", true).str(), "./ACME/PolicyMgr/p1/Enable");
    const auto reference = policy::PolicyLayout{}.node_names();
    const auto acme = p->layout.node_names();
    ASSERT_EQ(acme.size(), reference.size());
    for (std::size_t i = 0; i < acme.size(); ++i)
        EXPECT_NE(acme[i], reference[i]) << policy::layout_fields()[i].key;
}

TEST_F(MoProfileFile, RefusesUnknownMissingAndMalformedKeys) {
    expect_refused([](json::object& d) { d["nodes"].as_object()["verison"] = "V"; },
                   "nodes.verison: unknown logical key");
    expect_refused([](json::object& d) { d["nodes"].as_object().erase("version"); },
                   "nodes.version: is missing");
    expect_refused([](json::object& d) { d["nodes"].as_object()["version"] = "A/B"; },
                   "nodes.version: is not a node name");
    expect_refused([](json::object& d) { d["nodes"].as_object()["version"] = ".."; },
                   "nodes.version: is not a node name");
    expect_refused([](json::object& d) { d["colour"] = "blue"; }, "colour: unknown field");
    expect_refused([](json::object& d) { d["nodes"].as_object()["version"] = ""; },
                   "nodes.version: must be a non-empty string");
    expect_refused([](json::object& d) { d["root"] = "MgmtPolicy"; }, "root: must be an absolute node URI");
    expect_refused([](json::object& d) { d["root"] = "./ACME//PolicyMgr"; },
                   "root: must be an absolute node URI");
}

TEST_F(MoProfileFile, RefusesAProfileItsDdfContradicts) {
    expect_refused(
        [](json::object& d) { d["mo_type"] = "urn:x"; },
        "mo_type: " + (std::filesystem::path(OMADM_SOURCE_DIR) / "ddf" / "mgmtpolicy.ddf").string() +
            " declares no MO root typed 'urn:x'");
    expect_refused([](json::object& d) { d["nodes"].as_object()["version"] = "Revision"; },
                   "nodes.version: 'Revision' is no node of");
    expect_refused([](json::object& d) { d["ddf"] = "/nonexistent.ddf"; },
                   "ddf: /nonexistent.ddf: cannot read the file");
    expect_refused([](json::object& d) { d["system_properties"].as_object()["root"] = "./DevDetail/Props"; },
                   "system_properties.root: ");
    expect_refused([](json::object& d) { d["system_properties"].as_object()["battery"] = "Charge"; },
                   "system_properties.battery: 'Charge' is no child of ./DevDetail/Ext/SysProps");
}

TEST_F(MoProfileFile, TheRootPlacesTheMoWhereverTheDdfPathSays) {
    const auto p = load_mo_profile(write([](json::object& d) { d["root"] = "./Elsewhere/Policies"; }));

    ASSERT_TRUE(p) << p.error().detail;
    EXPECT_EQ(p->layout.root.str(), "./Elsewhere/Policies");
}

TEST_F(MoProfileFile, SystemPropertiesNameEveryPropertyAndARoot) {
    expect_refused([](json::object& d) { d["system_properties"].as_object()["humidity"] = "H"; },
                   "system_properties.humidity: unknown system property");
    expect_refused([](json::object& d) { d["system_properties"].as_object().erase("battery"); },
                   "system_properties.battery: is missing");
    expect_refused([](json::object& d) { d["system_properties"].as_object().erase("root"); },
                   "system_properties.root: is missing");
    expect_refused([](json::object& d) { d["system_properties"].as_object()["root"] = "DevDetail"; },
                   "system_properties.root: must be an absolute node URI");
    // Absent, they are where the reference MO keeps them.
    const auto p = load_mo_profile(write([](json::object& d) { d.erase("system_properties"); }));
    ASSERT_TRUE(p) << p.error().detail;
    EXPECT_EQ(p->props.root, policy::SystemPropertiesLayout{}.root);
}

TEST_F(MoProfileFile, ValuesSpellReferenceValuesOnceEach) {
    expect_refused(
        [](json::object& d) {
            d["values"] = json::object{{"colour", json::object{}}};
        },
        "values.colour: not an enumerated leaf");
    expect_refused(
        [](json::object& d) {
            d["values"] = json::object{{"state", json::object{{"30", "3"}}}};
        },
        "values.state.30: is no value of the reference MO");
    expect_refused(
        [](json::object& d) {
            d["values"] = json::object{{"action_mode", json::object{{"Sequence", "X"}, {"Atomic", "X"}}}};
        },
        "values.action_mode.Atomic: 'X' spells two values");
    expect_refused(
        [](json::object& d) {
            d["values"] = json::object{{"state", json::object{{"10", ""}}}};
        },
        "values.state.10: must be a non-empty string");
}

TEST(MoProfile, TheAcmeProfileSpellsStateOperatorsAndModesItsOwnWay) {
    omadm::testing::covers(req::MgmtPolicyMO_OSR_01);
    const auto p = load_mo_profile(kProfiles / "acme.json");

    ASSERT_TRUE(p) << p.error().detail;
    EXPECT_EQ(p->layout.values.state.encode("20"), "1");
    EXPECT_EQ(p->layout.values.condition_operator.encode("le"), "<=");
    EXPECT_EQ(p->layout.values.condition_operator.decode(">="), "ge");
    EXPECT_EQ(p->layout.values.condition_operator.encode("changed"), "changed");
    EXPECT_EQ(p->layout.values.action_mode.decode("AllOrNothing"), "Atomic");
    EXPECT_EQ(p->layout.values.trigger_mode.encode("Periodic"), "Timer");
}

TEST(MoProfile, TheAcmeProfileKeepsItsSystemPropertiesUnderItsVendorRoot) {
    omadm::testing::covers(req::MgmtPolicyMO_IOP_01);
    const auto p = load_mo_profile(kProfiles / "acme.json");

    ASSERT_TRUE(p) << p.error().detail;
    EXPECT_EQ(p->props.root, "./ACME/Sensors");
    EXPECT_EQ(p->props.uri(p->props.battery), "./ACME/Sensors/Charge");
    // The parsed DDF comes with the profile, for the device to bind.
    EXPECT_FALSE(p->schema.roots.empty());
}

} // namespace
} // namespace omadm::shell
