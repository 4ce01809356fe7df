#pragma once
// Runs DM commands on the device's tree for a principal, with the status codes of the DM
// Representation Protocol (OMA-TS-DM_RepPro-V1_2, the Atomic and Sequence commands). Atomic is all or nothing
// (507 on the Atomic, 216 on members that had succeeded, the failing member its own code, 215 for members
// never reached; Get or a nested Atomic inside it is 500); Sequence stops at the first failure (215 after
// it). The one implementation of these rules on the device: server commands, local commands and policy
// actions all run here.

#include "omadm/base/clock.hpp"
#include "omadm/session/command_handler.hpp"
#include "omadm/tree/tree.hpp"

#include <optional>

namespace omadm::agent {

/// Where a caller joins the command flow. The runner calls these synchronously while it runs a
/// command; they must not run commands on the runner themselves.
class RunnerHooks {
public:
    virtual ~RunnerHooks() = default;
    /// Before an Add, Replace, Delete or Copy writes `target` for `who`: not 2xx refuses it with
    /// that code.
    [[nodiscard]] virtual base::StatusCode may_write(const tree::NodeUri& target, const tree::Principal& who,
                                                     base::TimePoint now) = 0;
    /// Inside the open transaction of an Atomic, or of a top-level Add or Replace carrying TNDS, whose
    /// members all succeeded. Not 2xx rolls the whole command back.
    [[nodiscard]] virtual base::StatusCode before_commit(const tree::Principal& who, base::TimePoint now) = 0;
    /// After a transaction was rolled back.
    virtual void after_rollback(base::TimePoint now) = 0;
    /// An Exec that `who` may run on the existing node `target` (already resolved): the code when the
    /// hooks run it themselves, nullopt to let the tree's Exec handlers run it.
    [[nodiscard]] virtual std::optional<base::StatusCode> exec(const tree::Principal& who,
                                                               const tree::NodeUri& target,
                                                               const tree::ExecRequest& request,
                                                               base::TimePoint now) = 0;
};

class CommandRunner {
public:
    explicit CommandRunner(tree::Tree& tree, RunnerHooks* hooks = nullptr) : tree_(tree), hooks_(hooks) {}

    /// Runs one top-level command (a whole Atomic or Sequence included) as `who` at `now`.
    [[nodiscard]] session::CommandOutcome run(const syncml::Command& command, const tree::Principal& who,
                                              base::TimePoint now);

private:
    enum class Nesting { TopLevel, InAtomic, InSequence };
    struct Call {
        const tree::Principal& who;
        base::TimePoint now;
    };
    session::CommandOutcome dispatch(const syncml::Command& command, const Call& call, Nesting nesting);
    session::CommandOutcome run_atomic(const syncml::Atomic& atomic, const Call& call);
    session::CommandOutcome run_sequence(const syncml::Sequence& seq, const Call& call, Nesting nesting);
    base::StatusCode write(const syncml::ItemCommand& cmd, const Call& call, bool replace);
    base::StatusCode write_top_level(const syncml::ItemCommand& cmd, const Call& call, bool replace);
    base::StatusCode remove(const syncml::ItemCommand& cmd, const Call& call);
    session::CommandOutcome get(const syncml::ItemCommand& cmd, const Call& call);
    base::StatusCode exec(const syncml::Exec& cmd, const Call& call);
    base::StatusCode copy(const syncml::ItemCommand& cmd, const Call& call);
    base::StatusCode commit_or_rollback(base::StatusCode members, const Call& call);
    [[nodiscard]] base::StatusCode may_write(const tree::NodeUri& target, const Call& call) const;
    /// For each Item of an Add, Replace or Delete: parses its Target, checks that it may be written,
    /// then `apply(target, item)`; the first code that is not 2xx ends the command.
    template <class Apply>
    base::StatusCode write_each(const syncml::ItemCommand& cmd, const Call& call, Apply&& apply);

    tree::Tree& tree_;
    RunnerHooks* hooks_;
};

/// True if the Item carries TNDS content (Meta Type application/vnd.syncml.dmtnds+xml).
[[nodiscard]] bool is_tnds_item(const syncml::ItemCommand& cmd, const syncml::Item& item);

} // namespace omadm::agent
