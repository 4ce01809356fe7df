#include "omadm/session/message_size.hpp"
#include "omadm/syncml/codec.hpp"

namespace omadm::session {

MessageSizer encoded_size(syncml::Encoding enc) {
    return [enc](const syncml::Message& msg) -> std::size_t {
        auto bytes = syncml::encode(msg, enc);
        return bytes ? bytes->size() : approximate_size(msg);
    };
}

} // namespace omadm::session
