// libFuzzer target: a sequence of client requests (see session_sequence_fuzz.hpp) through the
// reference server's DM endpoint, with its SQLite store, its session engine and its batch tracker,
// as omadm-ref-server runs them (reference-server/src/dm_endpoint.cpp). Each part goes out as an
// HTTP POST: as XML as it is, or, when it decodes, as WBXML; to the endpoint's path or to the
// RespURI the server handed out last (with its session token). One device has no account (its
// sessions need no credentials, so whole sessions are reachable), another an md5 account. Besides
// not crashing: a SyncML answer decodes, no session outlives its timeout, no batch goes out again
// before the session that took it settled it, and none is left `sent` once every session ended.
#include "dm_endpoint.hpp"
#include "engine_session.hpp"
#include "omadm/base/clock.hpp"
#include "omadm/base/random.hpp"
#include "omadm/shell/event_bus.hpp"
#include "server_config.hpp"
#include "server_store.hpp"
#include "session_sequence_fuzz.hpp"

#include <boost/asio/io_context.hpp>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <set>
#include <string>
#include <unistd.h>

namespace {

using namespace omadm;
namespace http = shell::http;

constexpr std::string_view kOpenDevice = "IMEI:open";

struct Endpoint {
    Endpoint()
        : dir(std::filesystem::temp_directory_path() / ("omadm-fuzz-endpoint-" + std::to_string(::getpid()))),
          store([&] {
              std::filesystem::remove_all(dir);
              auto s = server::ServerStore::open(dir);
              if (!s) std::abort();
              return std::move(*s);
          }()),
          engine({*store, events, random, config, nullptr}), endpoint({*store, events, clock}, engine) {
        if (!store->put_account("IMEI:md5",
                                server::Account{"dmclient", "secret", "md5", "", "", "bm9uY2U=", ""}))
            std::abort();
    }
    ~Endpoint() { std::filesystem::remove_all(dir); }

    std::filesystem::path dir;
    boost::asio::io_context ioc;
    base::ManualClock clock;
    shell::EventBus events{ioc.get_executor(), clock, nullptr};
    base::SeededRandom random{5};
    server::ServerConfig config;
    std::unique_ptr<server::ServerStore> store;
    server::EngineSessionFactory engine;
    server::DmEndpoint endpoint;
};

/// The path and query of an absolute RespURI ("/dm?s=..."), or "/" when it has none.
std::string request_target(const std::string& resp_uri) {
    const auto scheme = resp_uri.find("://");
    if (scheme == std::string::npos) return "/";
    const auto path = resp_uri.find('/', scheme + 3);
    return path == std::string::npos ? "/" : resp_uri.substr(path);
}

/// Aborts when a batch is sent while a session still holds it: between its batch_sent and the
/// batch_requeued, batch_done or batch_failed that settles it.
void check_batch_events(const shell::EventBus& events, std::uint64_t after) {
    std::set<std::string> held;
    for (const auto& ev : events.events_after(after, "", 100000)) {
        if (!ev.kind.starts_with("batch_")) continue;
        const std::string batch(ev.fields.at("batch").as_string());
        if (ev.kind == "batch_sent") {
            if (!held.insert(batch).second) std::abort();
        } else {
            held.erase(batch);
        }
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static Endpoint e;
    const std::uint64_t mark = e.events.last_seq();
    const auto batch =
        e.store->queue_batch(std::string(kOpenDevice), {R"({"cmd":"Replace","target":"./X","data":"1"})"});
    if (!batch) std::abort();

    std::string resp_uri;
    int n = 0;
    for (const auto bytes : fuzz::split_messages(data, size)) {
        const auto decoded = syncml::decode_xml(bytes);
        const bool wbxml = decoded && n % 3 == 2;
        std::string body(bytes);
        if (wbxml) {
            auto encoded = syncml::encode_wbxml(*decoded);
            if (!encoded) continue;
            body = std::move(*encoded);
        }
        const std::string target = n % 2 == 1 && !resp_uri.empty() ? request_target(resp_uri) : "/";
        ++n;
        shell::Request req{http::verb::post, target, 11};
        req.set(http::field::content_type, wbxml ? syncml::kContentTypeWbxml : syncml::kContentTypeXml);
        req.body() = std::move(body);
        req.prepare_payload();
        const auto res = e.endpoint.handle(req);
        e.clock.advance(std::chrono::seconds(1));
        if (res.result() != http::status::ok) continue;
        const auto reply =
            syncml::decode(res.body(), wbxml ? syncml::Encoding::Wbxml : syncml::Encoding::Xml);
        if (!reply) std::abort(); // the server's own answer must decode
        if (reply->hdr.resp_uri) resp_uri = *reply->hdr.resp_uri;
    }

    // Whatever the client did, its sessions end at their timeout and settle what they took.
    e.clock.advance(e.config.session_timeout + std::chrono::seconds(1));
    e.endpoint.expire(e.clock.now());
    if (e.endpoint.active_sessions() != 0) std::abort();
    check_batch_events(e.events, mark);
    const auto stored = e.store->batch(std::string(kOpenDevice), *batch);
    if (!stored || !*stored || (*stored)->state == server::BatchState::Sent) std::abort();
    // Batches left queued would make every later session longer: this input's goes.
    if ((*stored)->state == server::BatchState::Queued &&
        !e.store->set_batch_state(*batch, server::BatchState::Failed))
        std::abort();
    return 0;
}
