#include "omadm/base/xml_escape.hpp"

#include <gtest/gtest.h>

namespace omadm::base {
namespace {

struct EscapeCase {
    std::string_view text;
    std::string_view escaped;
};

TEST(XmlEscape, EscapesWhatXmlReservesInContentAndAttributes) {
    const EscapeCase cases[] = {
        {"plain text", "plain text"},    {"a<b & c>d", "a&lt;b &amp; c&gt;d"},
        {R"(x="y")", "x=&quot;y&quot;"}, {"it's", "it's"},
        {"&amp;", "&amp;amp;"},          {"", ""},
    };
    for (const auto& c : cases)
        EXPECT_EQ(xml_escaped(c.text), c.escaped) << c.text;
}

TEST(XmlEscape, KeepsTabAndLineFeedAndWritesOtherControlsAsReferences) {
    EXPECT_EQ(xml_escaped("a\tb\nc"), "a\tb\nc");
    EXPECT_EQ(xml_escaped("d\r"), "d&#13;");
    EXPECT_EQ(xml_escaped(std::string_view("\x01\x1f", 2)), "&#1;&#31;");
}

TEST(XmlEscape, LeavesNonAsciiBytesAlone) {
    EXPECT_EQ(xml_escaped("caf\xc3\xa9"), "caf\xc3\xa9");
}

TEST(XmlEscape, AppendsToWhatIsThere) {
    std::string out = "<Data>";
    append_xml_escaped(out, "1 < 2");
    EXPECT_EQ(out, "<Data>1 &lt; 2");
}

TEST(XmlEscape, WritesAnElementWithEscapedText) {
    std::string out;
    append_xml_element(out, "Detail", "a<b");
    append_xml_element(out, "Empty", "");
    EXPECT_EQ(out, "<Detail>a&lt;b</Detail><Empty></Empty>");
}

} // namespace
} // namespace omadm::base
