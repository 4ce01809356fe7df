#pragma once
// Shared arrangement for engine tests: a fake device tree, an outbox, an engine and spec builders.

#include "fake_host.hpp"
#include "omadm/policy/policy_engine.hpp"
#include "omadm/policy/spec_writer.hpp"
#include "omadm/testing/covers.hpp"

#include <chrono>
#include <gtest/gtest.h>
#include <string>
#include <utility>

namespace omadm::policy::testing {

// What every engine test names: tests inside this namespace need no using-declarations.
using base::StatusCode;
using omadm::testing::covers;

inline base::TimePoint t0() {
    using namespace std::chrono;
    return time_point_cast<base::Duration>(sys_days{year{2025} / March / 1});
}

inline SimpleCondition cond(std::string name, std::string uri, Operator op, std::string value = {}) {
    SimpleCondition c;
    c.name = std::move(name);
    c.uri = std::move(uri);
    c.op = op;
    c.value = std::move(value);
    return c;
}

inline SimpleAction act(std::string name, std::uint32_t order, CommandKind kind, std::string target,
                        std::string data = {}) {
    SimpleAction a;
    a.name = std::move(name);
    a.order = order;
    a.command = kind;
    a.target = std::move(target);
    a.data = std::move(data);
    return a;
}

/// "When ./Sensor/Level > threshold, replace ./Out/Flag with `data`."
inline PolicySpec threshold_spec(std::string id, std::string threshold = "50", std::string data = "on") {
    PolicySpec s;
    s.id = std::move(id);
    s.name = "threshold";
    s.version = "1.0";
    s.conditions = {cond("high", "./Sensor/Level", Operator::Gt, std::move(threshold))};
    s.expression = "high";
    s.actions = {act("set", 1, CommandKind::Replace, "./Out/Flag", std::move(data))};
    return s;
}

struct EngineFixture {
    explicit EngineFixture(EngineOptions options = {}) : engine(host, outbox, std::move(options)) {
        host.put("./Sensor/Level", "10", tree::Format::Int);
        host.put("./Out/Flag", "off");
    }

    /// The node of the policy `name` under the MO root.
    tree::NodeUri uri(std::string_view name) const { return engine.layout().root / name; }

    Step install(const PolicySpec& spec, std::string_view name) {
        host.apply(download_writes(spec, engine.layout(), uri(name)));
        return engine.download(uri(name), owner, now);
    }

    Step activate(std::string_view name, std::optional<std::string> correlator = std::nullopt) {
        return engine.exec(uri(name) / "Operations" / "Activate", owner, std::move(correlator), now);
    }

    Step deactivate(std::string_view name) {
        return engine.exec(uri(name) / "Operations" / "Deactivate", owner, std::nullopt, now);
    }

    /// Writes the node at `at` and reports the change to the engine.
    Step set(std::string_view at, std::string value, tree::Format format = tree::Format::Int) {
        const auto changed = node(at);
        host.put(changed, std::move(value), format);
        return engine.on_tree_changed(changed, now);
    }

    FakeHost host;
    MemoryAlertStore store;
    Outbox outbox{store};
    base::ServerId owner{"srvA"};
    base::TimePoint now = t0();
    PolicyEngine engine;
};

/// The gtest fixture of the engine tests.
class EngineTest : public ::testing::Test, protected EngineFixture {};

/// "Every 60 s, Get ./Sensor/Level", with no condition.
inline PolicySpec periodic_read_spec(std::string id) {
    auto spec = threshold_spec(std::move(id));
    spec.conditions.clear();
    spec.expression.clear();
    spec.trigger.mode = TriggerMode::Periodic;
    spec.trigger.period = std::chrono::seconds(60);
    spec.actions = {act("read", 1, CommandKind::Get, "./Sensor/Level")};
    return spec;
}

template <class E> std::size_t count_events(const Step& s) {
    std::size_t n = 0;
    for (const auto& e : s.events)
        n += std::holds_alternative<E>(e) ? 1U : 0U;
    return n;
}

template <class E> const E* first_event(const Step& s) {
    for (const auto& e : s.events) {
        if (const auto* p = std::get_if<E>(&e)) return p;
    }
    return nullptr;
}

} // namespace omadm::policy::testing
