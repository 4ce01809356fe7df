// libFuzzer target: arbitrary bytes as the JSON body of a control API request, parsed as both binaries
// parse their bodies (shell::parse_json_body in reference-common/src/control_api.cpp: the error_code
// overload of boost::json::parse, an empty body read as {}). Every body goes through the server's
// reader of policy descriptions (POST and PUT /v1/devices/{dev}/policies:
// reference-server/src/desc_json.cpp, then policy::spec_from_description); an object through
// commands_from_json (POST /v1/devices/{dev}/commands on the server, POST /v1/tree/commands on the
// client). A batch that is accepted must survive what the server does with it: each command
// serialized into the store and read back by the batch tracker (reference-server/src/batch_tracker.cpp)
// to the same command, then sent in a message, encoded as XML and as WBXML.
#include "desc_json.hpp"
#include "omadm/policy/policy_description.hpp"
#include "omadm/shell/command_json.hpp"
#include "omadm/syncml/builder.hpp"
#include "omadm/syncml/codec.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace {

namespace json = boost::json;
using namespace omadm;

std::string member_path(std::size_t i) {
    return "commands[" + std::to_string(i) + "]";
}

/// The batch as the store keeps it (one serialized command each) and the tracker reads it back.
void check_stored_batch(const json::array& list, const std::vector<syncml::Command>& commands) {
    if (list.size() != commands.size()) std::abort();
    for (std::size_t i = 0; i < list.size(); ++i) {
        boost::system::error_code ec;
        const auto stored = json::parse(json::serialize(list[i]), ec);
        if (ec) std::abort();
        const auto again = shell::command_from_json(stored, member_path(i));
        if (!again || !(*again == commands[i])) std::abort();
        // Atomic and Sequence have members and no target; every other command has a non-empty target.
        const bool container = shell::command_members(*again) != nullptr;
        if (container == !shell::command_target(*again).empty()) std::abort();
    }
}

/// The batch in a message from the server, as the DM endpoint encodes it for either encoding.
void encode_batch(const std::vector<syncml::Command>& commands) {
    syncml::MessageBuilder builder(
        syncml::make_hdr(base::SessionId{"1"}, syncml::MsgId{1}, "IMEI:fuzz", "https://dm.example.com/dm"));
    for (const auto& c : commands)
        builder.command(c);
    const auto msg = builder.build();
    (void)syncml::encode_xml(msg);
    (void)syncml::encode_wbxml(msg);
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    boost::system::error_code ec;
    const json::value body = text.empty() ? json::value(json::object{}) : json::parse(text, ec);
    if (ec) return 0;

    (void)policy::spec_from_description(server::to_desc_value(body),
                                        policy::DescriptionOptions{policy::PolicyLayout{}, {}, {}});

    if (!body.is_object()) return 0;
    const auto& object = body.as_object();
    const auto commands = shell::commands_from_json(object);
    if (!commands) {
        // The first bad member refuses the batch; the members after it get read too.
        const auto* list = object.if_contains("commands");
        if (list != nullptr && list->is_array()) {
            for (std::size_t i = 0; i < list->as_array().size(); ++i)
                (void)shell::command_from_json(list->as_array()[i], member_path(i));
        }
        return 0;
    }
    check_stored_batch(object.at("commands").as_array(), *commands);
    encode_batch(*commands);
    return 0;
}
