// The MgmtTree frame (root, VerDTD/Man/Mod header, top-level Nodes) is read by one reader for both
// codecs: DDF and TNDS agree on it, each reporting its own error code for a document that is no
// MgmtTree.
#include "omadm/tree/ddf.hpp"
#include "omadm/tree/errc.hpp"
#include "omadm/tree/tnds.hpp"

#include <gtest/gtest.h>
#include <string>

namespace {
using namespace omadm::tree;

const std::string kNode =
    "<Node><NodeName>A</NodeName><DFProperties><DFFormat><chr/></DFFormat></DFProperties>"
    "<RTProperties><Format><chr/></Format></RTProperties></Node>";

TEST(MgmtTreeHeader, BothCodecsReadVerDtdManAndMod) {
    const std::string text =
        "<MgmtTree><VerDTD>1.3</VerDTD><Man>Acme</Man><Mod>X1</Mod>" + kNode + "</MgmtTree>";

    const auto ddf = load_ddf(text).value();
    const auto tnds = decode_tnds(text).value();

    EXPECT_EQ(ddf.ver_dtd, "1.3");
    EXPECT_EQ(ddf.man, "Acme");
    EXPECT_EQ(ddf.mod, "X1");
    EXPECT_EQ(tnds.ver_dtd, "1.3");
    EXPECT_EQ(tnds.man, "Acme");
    EXPECT_EQ(tnds.mod, "X1");
    EXPECT_EQ(ddf.roots.size(), 1U);
    EXPECT_EQ(tnds.nodes.size(), 1U);
}

TEST(MgmtTreeHeader, AbsentHeaderElementsKeepEachCodecsDefaults) {
    const std::string text = "<MgmtTree>" + kNode + "</MgmtTree>";

    const auto ddf = load_ddf(text).value();
    const auto tnds = decode_tnds(text).value();

    EXPECT_EQ(ddf.ver_dtd, "");
    EXPECT_EQ(ddf.man, "");
    EXPECT_EQ(tnds.ver_dtd, "1.2");
    EXPECT_EQ(tnds.man, std::nullopt);
    EXPECT_EQ(tnds.mod, std::nullopt);
}

TEST(MgmtTreeHeader, BothCodecsRejectWhatIsNoMgmtTree) {
    struct Case {
        std::string text;
        Errc ddf;
        Errc tnds;
        std::string detail;
    };
    const Case cases[] = {
        {"<MgmtTree>", Errc::MalformedXml, Errc::MalformedXml, "at offset"},
        {"<Tree/>", Errc::InvalidDdf, Errc::InvalidTnds, "root element is not MgmtTree"},
        {"<MgmtTree><Vendor/>" + kNode + "</MgmtTree>", Errc::InvalidDdf, Errc::InvalidTnds,
         "unknown MgmtTree element 'Vendor'"},
    };
    for (const auto& c : cases) {
        const auto ddf = load_ddf(c.text);
        const auto tnds = decode_tnds(c.text);
        ASSERT_FALSE(ddf) << c.text;
        ASSERT_FALSE(tnds) << c.text;
        EXPECT_EQ(ddf.error().code, make_error_code(c.ddf)) << c.text;
        EXPECT_EQ(tnds.error().code, make_error_code(c.tnds)) << c.text;
        EXPECT_NE(ddf.error().detail.find(c.detail), std::string::npos) << ddf.error().detail;
        EXPECT_NE(tnds.error().detail.find(c.detail), std::string::npos) << tnds.error().detail;
    }
}

} // namespace
