#include "transcript_mask.hpp"

#include "omadm/syncml/codec.hpp"

#include <regex>
#include <variant>

namespace omadm::server {

namespace {

constexpr const char* kSessionId = "{SessionID}";
constexpr const char* kNonce = "{NextNonce}";
constexpr const char* kCred = "{Cred}";
constexpr const char* kRespUri = "{RespURI}";

bool ends_with_segment(const std::optional<syncml::Location>& loc, std::string_view segment) {
    if (!loc) return false;
    const auto& uri = loc->loc_uri;
    return uri.size() > segment.size() && uri.ends_with(segment) &&
           uri[uri.size() - segment.size() - 1] == '/';
}

std::string mask_times(const std::string& text) {
    static const std::regex kTime(R"(\d{4}-?\d{2}-?\d{2}T\d{2}:?\d{2}:?\d{2}(\.\d+)?(Z|[+-]\d{2}:?\d{2})?)");
    return std::regex_replace(text, kTime, "{TStamp}");
}

/// The port of every URL: the peers listen on ports chosen by the system (0), so the same scenario
/// shows other ports on each run.
std::string mask_ports(const std::string& text) {
    static const std::regex kPort(R"((https?://[^/\s:<>"]+):\d+)");
    return std::regex_replace(text, kPort, "$1:{Port}");
}

void mask_meta(std::optional<syncml::Meta>& meta) {
    if (meta && meta->next_nonce) meta->next_nonce = kNonce;
}

void mask_item(syncml::Item& item) {
    mask_meta(item.meta);
    if (!item.data) return;
    for (const auto* leaf : {"LastRun", "Time"}) {
        if (ends_with_segment(item.source, leaf) || ends_with_segment(item.target, leaf)) {
            item.data = "{" + std::string(leaf) + "}";
            return;
        }
    }
    item.data = mask_ports(mask_times(*item.data));
}

void mask_items(std::vector<syncml::Item>& items) {
    for (auto& item : items)
        mask_item(item);
}

void mask_command(syncml::Command& c);

struct CommandMasker {
    void operator()(syncml::ItemCommand& c) const {
        mask_meta(c.meta);
        if (c.cred) c.cred->data = kCred;
        mask_items(c.items);
    }
    void operator()(syncml::Alert& c) const { mask_items(c.items); }
    void operator()(syncml::Exec& c) const {
        mask_meta(c.meta);
        mask_item(c.item);
    }
    void operator()(syncml::Atomic& c) const {
        for (auto& m : c.commands)
            mask_command(m);
    }
    void operator()(syncml::Sequence& c) const {
        for (auto& m : c.commands)
            mask_command(m);
    }
    void operator()(syncml::Status& c) const {
        if (c.chal && c.chal->meta.next_nonce) c.chal->meta.next_nonce = kNonce;
        if (c.cred) c.cred->data = kCred;
        // A Status on the SyncHdr refers to the header's Target and Source: the server's URL.
        for (auto& ref : c.target_refs)
            ref = mask_ports(ref);
        for (auto& ref : c.source_refs)
            ref = mask_ports(ref);
        mask_items(c.items);
    }
    void operator()(syncml::Results& c) const {
        mask_meta(c.meta);
        if (c.target_ref) c.target_ref = mask_ports(*c.target_ref);
        if (c.source_ref) c.source_ref = mask_ports(*c.source_ref);
        mask_items(c.items);
    }
};

void mask_command(syncml::Command& c) {
    std::visit(CommandMasker{}, c.variant());
}

} // namespace

syncml::Message mask_message(syncml::Message msg) {
    msg.hdr.session_id = base::SessionId(kSessionId);
    msg.hdr.target.loc_uri = mask_ports(msg.hdr.target.loc_uri);
    msg.hdr.source.loc_uri = mask_ports(msg.hdr.source.loc_uri);
    if (msg.hdr.resp_uri) msg.hdr.resp_uri = kRespUri; // host, port and session token
    if (msg.hdr.cred) msg.hdr.cred->data = kCred;
    mask_meta(msg.hdr.meta);
    for (auto& c : msg.body)
        mask_command(c);
    return msg;
}

std::string masked_xml(const syncml::Message& msg) {
    return syncml::encode_xml(mask_message(msg));
}

} // namespace omadm::server
