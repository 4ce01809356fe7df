#pragma once
// Internal to core/syncml/src: the element-by-element XML -> Message decoder, split by concept
// over xml_decode.cpp (document checks, SyncML and SyncHdr), xml_decode_commands.cpp (commands)
// and xml_decode_items.cpp (Item, Meta, Cred, Chal, Location and leaf values).

#include "xml_internal.hpp"

#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace omadm::syncml::detail {

/// Element name without its namespace prefix ("m:Format" -> "Format").
[[nodiscard]] std::string_view local_name(pugi::xml_node n);

/// XPath-like path of an element, with [i] where siblings share the name: /SyncML/SyncBody/Add[2].
[[nodiscard]] std::string element_path(pugi::xml_node n);

/// Calls f(child, local_name) for every element child, stopping at the first error.
template <class F> base::Result<void> for_each_element(pugi::xml_node n, F&& f) {
    for (auto c = n.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_element) {
            if (auto r = f(c, local_name(c)); !r) {
                return r.error();
            }
        }
    }
    return {};
}

/// The CmdID, NoResp, Cred and Meta children most commands share; a null pointer means the
/// command has no such child.
struct Common {
    CmdId* cmd_id;
    bool* no_resp;
    std::optional<Cred>* cred;
    std::optional<Meta>* meta;
    bool has_id = false;
};

class Decoder {
public:
    Decoder(std::string_view source, const Limits& limits) : source_(source), limits_(limits) {}

    [[nodiscard]] base::Result<Message> message(pugi::xml_node root);

private:
    // errors (xml_decode.cpp)
    [[nodiscard]] base::Error error(CodecErrc code, pugi::xml_node at, std::string_view what,
                                    std::string_view child = {}) const;
    [[nodiscard]] base::Error missing(pugi::xml_node parent, std::string_view child) const;
    [[nodiscard]] base::Error duplicate(pugi::xml_node n) const;
    [[nodiscard]] base::Error unexpected(pugi::xml_node n) const;

    // document and header (xml_decode.cpp)
    base::Result<SyncHdr> sync_hdr(pugi::xml_node n);
    base::Result<void> sync_hdr_field(pugi::xml_node c, std::string_view name, SyncHdr& h, unsigned& seen);
    base::Result<void> body(pugi::xml_node n, Message& msg);

    // leaf values, items and meta (xml_decode_items.cpp)
    [[nodiscard]] base::Result<std::string> text(pugi::xml_node n) const;
    [[nodiscard]] base::Result<std::string> token(pugi::xml_node n) const;
    [[nodiscard]] base::Result<std::uint64_t> number(pugi::xml_node n, std::uint64_t max) const;
    template <class Id> [[nodiscard]] base::Result<Id> id(pugi::xml_node n) const {
        using V = typename Id::value_type;
        auto v = number(n, std::numeric_limits<V>::max());
        if (!v) return v.error();
        return Id{static_cast<V>(*v)};
    }
    [[nodiscard]] base::Result<std::string> data(pugi::xml_node n) const;
    [[nodiscard]] base::Result<Location> location(pugi::xml_node n) const;
    [[nodiscard]] base::Result<Meta> meta(pugi::xml_node n) const;
    [[nodiscard]] base::Result<void> meta_field(pugi::xml_node c, std::string_view name, Meta& m) const;
    [[nodiscard]] base::Result<Cred> cred(pugi::xml_node n) const;
    [[nodiscard]] base::Result<Chal> chal(pugi::xml_node n) const;
    base::Result<Item> item(pugi::xml_node n);
    base::Result<void> item_field(pugi::xml_node c, std::string_view name, Item& it);

    // commands (xml_decode_commands.cpp)
    base::Result<Command> command(pugi::xml_node n);
    template <class C> base::Result<C> item_command(pugi::xml_node n);
    base::Result<Alert> alert(pugi::xml_node n);
    base::Result<Exec> exec(pugi::xml_node n);
    base::Result<Status> status(pugi::xml_node n);
    base::Result<void> status_field(pugi::xml_node c, std::string_view name, Status& s, unsigned& seen);
    base::Result<Results> results(pugi::xml_node n);
    base::Result<void> results_field(pugi::xml_node c, std::string_view name, Results& res,
                                     bool& has_cmd_ref);
    template <class C> base::Result<C> container(pugi::xml_node n);
    base::Result<bool> common_field(pugi::xml_node c, std::string_view name, Common& common);

    std::string_view source_;
    const Limits& limits_;
    std::size_t items_ = 0;
    std::size_t commands_ = 0;
    std::vector<std::string> tolerated_; // moved into the Message
};

} // namespace omadm::syncml::detail
