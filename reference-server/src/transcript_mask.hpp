#pragma once
// The "masked" transcript form: the values that differ between two runs of the same scenario are
// replaced by placeholders so that transcripts diff cleanly. Masked: SessionID ({SessionID}),
// NextNonce ({NextNonce}), Cred Data ({Cred}), Item Data of LastRun/Time leaves ({LastRun}/{Time})
// any RFC 3339 or basic ISO 8601 timestamp inside Data ({TStamp}), and the port of every URL in the
// SyncHdr's Target and Source and in Data (`http://127.0.0.1:{Port}/dm`). The x-syncml-hmac MAC
// travels in an HTTP header and is never part of a transcript.

#include "omadm/syncml/message.hpp"

#include <string>

namespace omadm::server {

[[nodiscard]] syncml::Message mask_message(syncml::Message msg);
/// encode_xml(mask_message(msg)).
[[nodiscard]] std::string masked_xml(const syncml::Message& msg);

} // namespace omadm::server
