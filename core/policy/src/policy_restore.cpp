// PolicyEngine: restart recovery. The device persists its tree, not the engine: every policy under
// the MO root is read back, validated, and given its State, Owner, Results counters and edge state
// from the device-written nodes, then armed again without re-running anything.
#include "omadm/policy/errc.hpp"
#include "omadm/policy/policy_engine.hpp"
#include "result_access.hpp"

#include <algorithm>
#include <charconv>

namespace omadm::policy {
namespace {

std::optional<std::uint64_t> parse_count(std::string_view s) {
    std::uint64_t v = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size()) return std::nullopt;
    return v;
}

std::optional<std::string> leaf_of(PolicyHost& host, const tree::NodeUri& uri) {
    auto v = host.get(uri);
    if (!v || v->format == tree::Format::Node) return std::nullopt;
    return std::move(v->data);
}

std::optional<PolicyState> parse_state(std::string_view text) {
    if (text == "10") return PolicyState::Inactive;
    if (text == "20") return PolicyState::Active;
    return std::nullopt;
}

} // namespace

Step PolicyEngine::load_existing(base::TimePoint now) {
    Step s;
    std::vector<tree::NodeUri> restored;
    for (const auto& name : host_.children(options_.layout.root)) {
        auto uri = options_.layout.root / name;
        if (installed(uri) != nullptr) continue;
        auto p = restore_one(uri);
        if (!p) {
            const auto code = static_cast<Errc>(p.error().code.value());
            s.events.emplace_back(PolicyRejected{uri, code, "not restored: " + p.error().detail});
            continue;
        }
        auto& slot = policies_.emplace(uri, std::move(detail::value_of(p))).first->second;
        restore_counters(slot, s);
        restored.push_back(std::move(uri));
    }
    // Armed only once every policy is back, so that a cascade finds all of them.
    std::vector<tree::NodeUri> missed;
    for (const auto& uri : restored) {
        auto* p = installed(uri);
        if (p != nullptr && p->state == PolicyState::Active && rearm(*p, now, s)) missed.push_back(uri);
    }
    Cascade c;
    std::vector<Pending> queue;
    fire_all(missed, FireCause::Change, 0, now, c, queue, s);
    cascade(c, std::move(queue), now, s);
    return s;
}

base::Result<PolicyEngine::Installed> PolicyEngine::restore_one(const tree::NodeUri& policy_uri) {
    const auto& l = options_.layout;
    auto read = read_policy(host_, l, options_.extensions, policy_uri);
    if (!read) return read.error();
    Installed p;
    p.policy = std::move(detail::value_of(read));
    const auto owner_uri = policy_uri / l.owner;
    const auto owner = leaf_of(host_, owner_uri);
    if (!owner || owner->empty())
        return base::make_error(Errc::MissingNode, "missing node " + owner_uri.str());
    p.owner = base::ServerId{*owner};
    const auto state_uri = policy_uri / l.state;
    const auto text = leaf_of(host_, state_uri);
    if (!text) return base::make_error(Errc::MissingNode, "missing node " + state_uri.str());
    const auto state = parse_state(l.values.state.decode(*text));
    if (!state)
        return base::make_error(Errc::BadValue, state_uri.str() + " is neither 10 nor 20: '" + *text + "'");
    p.state = *state;
    p.last_values.resize(p.policy.spec.conditions.size());
    return p;
}

void PolicyEngine::restore_counters(Installed& p, Step& step) {
    const auto& l = options_.layout;
    const auto results = p.policy.uri / l.results;
    std::uint64_t newest = 0;
    for (const auto& entry : host_.children(results / l.log)) {
        if (const auto n = parse_count(entry)) newest = std::max(newest, *n);
    }
    const auto count_uri = results / l.run_count;
    const auto text = leaf_of(host_, count_uri);
    const auto count = text ? parse_count(*text) : std::nullopt;
    p.run_count = count.value_or(newest);
    p.log_seq = std::max(p.run_count, newest);
    if (count) return;
    // Count is written at download and after every run: a missing or garbled one is a device fault,
    // repaired from the newest log entry.
    const NodeValue repaired{std::to_string(p.run_count), tree::Format::Int};
    const bool fixed = base::is_success(host_.set_internal(count_uri, repaired));
    step.events.emplace_back(DeviceFault{p.policy.uri, count_uri.str() + " unreadable, " +
                                                           (fixed ? "rewritten as " : "cannot rewrite ") +
                                                           repaired.data});
}

bool PolicyEngine::rearm(Installed& p, base::TimePoint now, Step& step) {
    watch(p);
    schedule(p, now); // a periodic trigger counts its Period from now
    baseline(p);      // `changed` compares with the values found at restart
    const auto persisted = leaf_of(host_, p.policy.uri / options_.layout.holds);
    const bool known = persisted == "true" || persisted == "false";
    const bool was = persisted == "true";
    p.last_result = was;
    p.holds_written = known;
    const auto& t = p.policy.spec.trigger;
    if (!t.on_change() || !t.in_window(now)) return false;
    const bool holds = evaluate(p, step);
    note_holds(p, holds, step);
    // Fires only for an edge missed while the device was down; without a persisted value the
    // evaluation just primes the edge.
    return known && !was && holds;
}

} // namespace omadm::policy
