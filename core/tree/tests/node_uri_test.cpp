#include "omadm/testing/covers.hpp"
#include "omadm/tree/errc.hpp"
#include "omadm/tree/node_uri.hpp"

#include <gtest/gtest.h>

namespace {
using namespace omadm::tree;

TEST(NodeUri, DotSlashAndBareFormNameTheSameNode) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_OSR_01);
    EXPECT_EQ(NodeUri::parse("./A/B").value(), NodeUri::parse("A/B").value());
    EXPECT_EQ(NodeUri::parse("A/B").value().str(), "./A/B");
    EXPECT_EQ(NodeUri::parse("A/B").value().path(), "A/B");
}

TEST(NodeUri, RootIsDot) {
    const auto root = NodeUri::parse(".").value();
    EXPECT_TRUE(root.is_root());
    EXPECT_EQ(root.str(), ".");
    EXPECT_EQ(root.parent(), root);
}

TEST(NodeUri, RejectsMalformedForms) {
    omadm::testing::covers(omadm::req::MgmtPolicyMO_OSR_01);
    for (const char* bad :
         {"", "./", "A/", "/A", "A//B", "A/../B", "..", "A/./B", "A/%4", "A/%ZZ", "A/%2F", "./."}) {
        const auto r = NodeUri::parse(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(r.error().code, make_error_code(Errc::InvalidUri)) << bad;
    }
}

TEST(NodeUri, DecodesPercentEscapesAndReencodes) {
    const auto u = NodeUri::parse("A/B%20C").value();
    EXPECT_EQ(u.name(), "B C");
    EXPECT_EQ(u.str(), "./A/B%20C");
}

TEST(NodeUri, EnforcesLimits) {
    struct Case {
        const char* text;
        UriLimits limits;
        bool ok;
    };
    const Case cases[] = {
        {"A/B/C", {3, 0, 0}, true},   {"A/B/C/D", {3, 0, 0}, false}, {"AB/CD", {0, 5, 0}, true},
        {"AB/CDE", {0, 5, 0}, false}, {"ABCD", {0, 0, 4}, true},     {"ABCDE", {0, 0, 4}, false},
    };
    for (const auto& c : cases) {
        const auto r = NodeUri::parse(c.text, c.limits);
        EXPECT_EQ(static_cast<bool>(r), c.ok) << c.text;
        if (!r) {
            EXPECT_EQ(r.error().code, make_error_code(Errc::UriTooLong));
            EXPECT_EQ(status_for(r.error()), omadm::base::StatusCode::UriTooLong);
        }
    }
}

TEST(NodeUri, ParentChildAndWithin) {
    const auto u = NodeUri::parse("A/B").value();
    EXPECT_EQ(u.parent(), NodeUri::parse("A").value());
    EXPECT_EQ(u.parent().child("B").value(), u);
    EXPECT_TRUE(u.is_within(NodeUri::parse("A").value()));
    EXPECT_TRUE(u.is_within(NodeUri{}));
    EXPECT_FALSE(NodeUri::parse("AB").value().is_within(NodeUri::parse("A").value()));
    EXPECT_FALSE(u.parent().child("x/y"));
}

TEST(NodeUri, SlashAppendsAKnownName) {
    const auto a = NodeUri{} / "A";
    EXPECT_EQ(a / "B", NodeUri::parse("A/B").value());
    EXPECT_EQ(a.str(), "./A"); // the left operand is kept
    EXPECT_EQ((a / "B C").str(), "./A/B%20C");
    EXPECT_DEATH((void)(a / "x/y"), "OMADM_CHECK failed");
    EXPECT_DEATH((void)(a / ".."), "OMADM_CHECK failed");
}

TEST(TargetUri, SplitsTypedQueries) {
    const auto p = TargetUri::parse("./A?prop=ACL").value();
    ASSERT_NE(p.prop(), nullptr);
    EXPECT_EQ(p.prop()->property, Property::Acl);
    EXPECT_EQ(p.node, NodeUri::parse("A").value());
    EXPECT_EQ(TargetUri::parse("A?list=Struct").value().list()->kind, ListKind::Struct);
    EXPECT_EQ(TargetUri::parse("A?list=StructData").value().list()->kind, ListKind::StructData);
    const auto t = TargetUri::parse("A?list=TNDS+Value+ACL").value();
    EXPECT_TRUE(t.list()->fields.has(TndsField::Value));
    EXPECT_TRUE(t.list()->fields.has(TndsField::Acl));
    EXPECT_FALSE(t.list()->fields.has(TndsField::Format));
    const auto x = TargetUri::parse("A?list=TNDS-Format").value();
    EXPECT_FALSE(x.list()->fields.has(TndsField::Format));
    EXPECT_TRUE(x.list()->fields.has(TndsField::Value));
}

TEST(TargetUri, RejectsUnsupportedQueriesWith406) {
    for (const char* bad :
         {"A?prop=Colour", "A?list=Tree", "A?list=TNDS+Value-ACL", "A?foo=1", "A?list=TNDS+Bogus"}) {
        const auto r = TargetUri::parse(bad);
        ASSERT_FALSE(r) << bad;
        EXPECT_EQ(status_for(r.error()), omadm::base::StatusCode::OptionalFeatureNotSupported) << bad;
    }
}

} // namespace
