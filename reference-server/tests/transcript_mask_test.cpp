#include "omadm/syncml/builder.hpp"
#include "transcript_mask.hpp"

#include <gtest/gtest.h>

namespace omadm::server {
namespace {

syncml::Message sample(std::string session, std::string nonce, std::string last_run) {
    syncml::Message m;
    m.hdr.session_id = base::SessionId(std::move(session));
    m.hdr.msg_id = base::MsgId(2);
    m.hdr.cred = syncml::Cred{syncml::Meta{}, "c3VwZXI="};
    m.hdr.resp_uri = "http://127.0.0.1:4" + session + "/dm?s=" + nonce;
    m.hdr.target.loc_uri = "http://127.0.0.1:4" + session.substr(0, 1) + "0/dm";
    m.hdr.source.loc_uri = "IMEI:493005100592800";
    syncml::Status s;
    s.cmd = "SyncHdr";
    s.target_refs = {m.hdr.target.loc_uri};
    s.source_refs = {m.hdr.source.loc_uri};
    s.chal = syncml::Chal{};
    s.chal->meta.next_nonce = std::move(nonce);
    m.body.emplace_back(s);
    syncml::Results r;
    r.items.push_back(syncml::source_item("./MgmtPolicy/p1/Results/LastRun", std::move(last_run)));
    r.items.push_back(syncml::source_item("./X/Log", "at 2026-01-01T10:00:00Z ok"));
    r.items.push_back(
        syncml::source_item("./DMAcc/A/AppAddr/S/Addr", "https://dm.example:4" + session + "/dm"));
    m.body.emplace_back(r);
    return m;
}

TEST(MaskMessage, TwoRunsDifferingOnlyInVolatileValuesMaskEqually) {
    const auto a = masked_xml(sample("1A", "bm9uY2UtMQ==", "2026-01-01T00:00:00Z"));
    const auto b = masked_xml(sample("2B", "bm9uY2UtMg==", "2026-02-02T11:11:11Z"));
    EXPECT_EQ(a, b);
}

TEST(MaskMessage, PlaceholdersReplaceTheVolatileValues) {
    const auto m = mask_message(sample("1A", "bm9uY2UtMQ==", "2026-01-01T00:00:00Z"));
    EXPECT_EQ(m.hdr.session_id.value(), "{SessionID}");
    EXPECT_EQ(m.hdr.cred->data, "{Cred}");
    EXPECT_EQ(m.hdr.resp_uri, "{RespURI}");
    EXPECT_EQ(std::get<syncml::Status>(m.body[0].variant()).chal->meta.next_nonce, "{NextNonce}");
    const auto& r = std::get<syncml::Results>(m.body[1].variant());
    EXPECT_EQ(r.items[0].data, "{LastRun}");
    EXPECT_EQ(r.items[1].data, "at {TStamp} ok");
    EXPECT_EQ(r.items[2].data, "https://dm.example:{Port}/dm");
    EXPECT_EQ(m.hdr.target.loc_uri, "http://127.0.0.1:{Port}/dm");
    const auto& hdr_status = std::get<syncml::Status>(m.body[0].variant());
    EXPECT_EQ(hdr_status.target_refs, std::vector<std::string>{"http://127.0.0.1:{Port}/dm"});
    EXPECT_EQ(hdr_status.source_refs, std::vector<std::string>{"IMEI:493005100592800"});
    EXPECT_EQ(m.hdr.source.loc_uri, "IMEI:493005100592800");
}

TEST(MaskMessage, TheMaskedTextHoldsNoCredentialNonceOrSessionInClear) {
    const auto xml = masked_xml(sample("1A", "bm9uY2UtMQ==", "2026-01-01T00:00:00Z"));
    for (const std::string_view clear :
         {"c3VwZXI=", "bm9uY2UtMQ==", "<SessionID>1A</SessionID>", "127.0.0.1:41A"})
        EXPECT_EQ(xml.find(clear), std::string::npos) << clear << " in " << xml;
}

} // namespace
} // namespace omadm::server
