#pragma once
// The visitor of lambdas for std::visit over the message and event variants.

namespace omadm::base {

/// Overloaded{[](const A&) {...}, [](const B&) {...}}: one call operator of each lambda.
template <class... Ts> struct Overloaded : Ts... { using Ts::operator()...; };
template <class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

} // namespace omadm::base
