#pragma once
// Shared helpers for the tree tests: literal URIs, principals and a fixed time.

#include "omadm/tree/ddf.hpp"
#include "omadm/tree/tree.hpp"

#include <chrono>
#include <gtest/gtest.h>
#include <string_view>

namespace omadm::tree::test {

using base::StatusCode;

inline NodeUri uri(std::string_view text) {
    return NodeUri::parse(text).value();
}
inline TargetUri target(std::string_view text) {
    return TargetUri::parse(text).value();
}
inline Principal srv(std::string_view id) {
    return Principal::server(base::ServerId{std::string(id)});
}
inline const Principal kBoot = Principal::bootstrap();
inline const base::TimePoint kNow{std::chrono::milliseconds{994869497000}}; // 20010711T163817Z

inline NodeContent interior(std::string type = {}) {
    return NodeContent{Format::Node, std::move(type), {}};
}
inline NodeContent leaf(std::string data, Format f = Format::Chr) {
    return NodeContent{f, "text/plain", std::move(data)};
}
inline NodeContent value(std::string data) {
    return NodeContent{std::nullopt, {}, std::move(data)};
}

/// ./A (interior, ACL granting srvA everything) with leaves A/L (chr "x") and A/N (int "7").
inline void seed(Tree& t) {
    (void)t.add(kBoot, uri("A"), interior(), kNow);
    (void)t.replace(kBoot, target("A?prop=ACL"),
                    value("Add=srvA&Delete=srvA&Exec=srvA&Get=srvA+srvB&Replace=srvA"), kNow);
    (void)t.add(kBoot, uri("A/L"), leaf("x"), kNow);
    (void)t.add(kBoot, uri("A/N"), leaf("7", Format::Int), kNow);
}

/// A tree seed() filled.
inline Tree seeded_tree() {
    Tree t;
    seed(t);
    return t;
}

/// A tree whose root lets everyone Add, Get, Replace and Delete, bound to the schema of `ddf`.
inline Tree schema_tree(std::string_view ddf) {
    TreeOptions o;
    o.root_acl = Acl::parse("Add=*&Get=*&Replace=*&Delete=*").value();
    Tree t(o);
    t.bind_schema(load_ddf(ddf).value());
    return t;
}

} // namespace omadm::tree::test
