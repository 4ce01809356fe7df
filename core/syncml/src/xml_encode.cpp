// Message -> XML. A plain string writer: elements in the order of the SyncML RepPro 1.2 DTD
// (OMA-SUP-DTD_SyncML_RepPro-V1_2), no indentation, MetInf children each carrying
// xmlns="syncml:metinf", so equal messages give equal bytes.
#include "omadm/base/xml_escape.hpp"
#include "xml_internal.hpp"

#include <type_traits>

namespace omadm::syncml {
namespace {

class Writer {
public:
    explicit Writer(std::string& out) : out_(out) {}

    void open(std::string_view name) {
        out_ += '<';
        out_ += name;
        out_ += '>';
    }
    void close(std::string_view name) {
        out_ += "</";
        out_ += name;
        out_ += '>';
    }
    void empty(std::string_view name) {
        out_ += '<';
        out_ += name;
        out_ += "/>";
    }
    void leaf(std::string_view name, std::string_view text) {
        open(name);
        base::append_xml_escaped(out_, text);
        close(name);
    }
    void number(std::string_view name, std::uint64_t value) { leaf(name, std::to_string(value)); }
    void flag(std::string_view name, bool present) {
        if (present) empty(name);
    }
    void metinf(std::string_view name, std::string_view text) {
        out_ += '<';
        out_ += name;
        out_ += " xmlns=\"";
        out_ += kNamespaceMetInf;
        out_ += "\">";
        base::append_xml_escaped(out_, text);
        close(name);
    }
    void data(std::string_view text) {
        open("Data");
        if (detail::is_embedded_xml(text)) {
            out_ += text;
        } else {
            base::append_xml_escaped(out_, text);
        }
        close("Data");
    }

    void location(std::string_view name, const Location& loc) {
        open(name);
        leaf("LocURI", loc.loc_uri);
        if (loc.loc_name) leaf("LocName", *loc.loc_name);
        close(name);
    }
    void meta(const Meta& m) {
        open("Meta");
        if (m.format) metinf("Format", *m.format);
        if (m.type) metinf("Type", *m.type);
        if (m.mark) metinf("Mark", *m.mark);
        if (m.size) metinf("Size", std::to_string(*m.size));
        if (m.next_nonce) metinf("NextNonce", *m.next_nonce);
        if (m.max_msg_size) metinf("MaxMsgSize", std::to_string(*m.max_msg_size));
        if (m.max_obj_size) metinf("MaxObjSize", std::to_string(*m.max_obj_size));
        close("Meta");
    }
    void meta(const std::optional<Meta>& m) {
        if (m) meta(*m);
    }
    void cred(const std::optional<Cred>& c) {
        if (!c) return;
        open("Cred");
        if (!c->meta.empty()) meta(c->meta);
        leaf("Data", c->data);
        close("Cred");
    }
    void item(const Item& it) {
        open("Item");
        if (it.target) location("Target", *it.target);
        if (it.source) location("Source", *it.source);
        meta(it.meta);
        if (it.data) data(*it.data);
        flag("MoreData", it.more_data);
        close("Item");
    }
    void items(const std::vector<Item>& items) {
        for (const auto& it : items)
            item(it);
    }

    void hdr(const SyncHdr& h) {
        open("SyncHdr");
        leaf("VerDTD", h.ver_dtd);
        leaf("VerProto", h.ver_proto);
        leaf("SessionID", h.session_id.value());
        number("MsgID", h.msg_id.value());
        location("Target", h.target);
        location("Source", h.source);
        if (h.resp_uri) leaf("RespURI", *h.resp_uri);
        flag("NoResp", h.no_resp);
        cred(h.cred);
        meta(h.meta);
        close("SyncHdr");
    }

    void command(const Command& c);

private:
    void body(const ItemCommand& c) {
        number("CmdID", c.cmd_id.value());
        flag("NoResp", c.no_resp);
        cred(c.cred);
        meta(c.meta);
        items(c.items);
    }
    void body(const Alert& a) {
        number("CmdID", a.cmd_id.value());
        flag("NoResp", a.no_resp);
        cred(a.cred);
        number("Data", a.code);
        if (a.correlator) leaf("Correlator", *a.correlator);
        items(a.items);
    }
    void body(const Exec& e) {
        number("CmdID", e.cmd_id.value());
        flag("NoResp", e.no_resp);
        cred(e.cred);
        meta(e.meta);
        if (e.correlator) leaf("Correlator", *e.correlator);
        item(e.item);
    }
    void body(const Status& s) {
        number("CmdID", s.cmd_id.value());
        number("MsgRef", s.msg_ref.value());
        number("CmdRef", s.cmd_ref.value());
        leaf("Cmd", s.cmd);
        for (const auto& t : s.target_refs)
            leaf("TargetRef", t);
        for (const auto& t : s.source_refs)
            leaf("SourceRef", t);
        cred(s.cred);
        if (s.chal) {
            open("Chal");
            meta(s.chal->meta);
            close("Chal");
        }
        number("Data", base::to_int(s.code));
        items(s.items);
    }
    void body(const Results& r) {
        number("CmdID", r.cmd_id.value());
        if (r.msg_ref) number("MsgRef", r.msg_ref->value());
        number("CmdRef", r.cmd_ref.value());
        meta(r.meta);
        if (r.target_ref) leaf("TargetRef", *r.target_ref);
        if (r.source_ref) leaf("SourceRef", *r.source_ref);
        items(r.items);
    }
    template <class C> void container_body(const C& c) {
        number("CmdID", c.cmd_id.value());
        flag("NoResp", c.no_resp);
        meta(c.meta);
        for (const auto& inner : c.commands)
            command(inner);
    }
    void body(const Atomic& a) { container_body(a); }
    void body(const Sequence& s) { container_body(s); }

    std::string& out_;
};

void Writer::command(const Command& c) {
    const char* name = command_name(c);
    open(name);
    std::visit([this](const auto& cmd) { body(cmd); }, c.variant());
    close(name);
}

} // namespace

std::string encode_xml(const Message& msg) {
    std::string out;
    out.reserve(1024);
    out += R"(<?xml version="1.0" encoding="UTF-8"?><SyncML xmlns=")";
    out += kNamespaceSyncml12;
    out += "\">";
    Writer w(out);
    w.hdr(msg.hdr);
    w.open("SyncBody");
    for (const auto& c : msg.body)
        w.command(c);
    w.flag("Final", msg.final);
    w.close("SyncBody");
    w.close("SyncML");
    return out;
}

} // namespace omadm::syncml
