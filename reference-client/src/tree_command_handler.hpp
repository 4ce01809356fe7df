#pragma once
// The device's CommandHandler: every DM command of a server (or a local control request) run on
// the DM tree with the status codes of PROTOCOL.md 1.4 / 3.3. Atomic is all or nothing (507 on the
// Atomic, 216 on members that had succeeded, the failing member its own code, 215 for members never
// reached, Get or a nested Atomic inside 500); Sequence stops at the first failure (215 after it).

#include "omadm/base/clock.hpp"
#include "omadm/session/command_handler.hpp"
#include "omadm/tree/tree.hpp"

#include <functional>

namespace omadm::client {

/// Where the device's policy lifecycle joins the command flow.
struct CommandHooks {
    /// Inside the open transaction of an Atomic or a TNDS Add whose members all succeeded: install
    /// the policies it created. Not 2xx rolls the whole command back.
    std::function<base::StatusCode(const tree::Principal&)> before_commit;
    /// After a transaction was rolled back (the engine drops what no longer exists).
    std::function<void()> after_rollback;
    /// After every top-level command, with its outcome (events, requirement labels).
    std::function<void(const syncml::Command&, const tree::Principal&, const session::CommandOutcome&)>
        executed;
    /// Before an Add, Replace, Delete or Copy writes `target` for `who`: not 2xx refuses it with that
    /// code (the policies of another server are not this one's to change).
    std::function<base::StatusCode(const tree::NodeUri&, const tree::Principal&)> may_write;
};

class TreeCommandHandler final : public session::CommandHandler {
public:
    TreeCommandHandler(tree::Tree& tree, const base::Clock& clock, CommandHooks hooks = {})
        : tree_(tree), clock_(clock), hooks_(std::move(hooks)) {}

    /// A server command: runs as the session's authenticated server (its ACL rights apply).
    session::CommandOutcome handle(const syncml::Command& command,
                                   const session::CommandContext& context) override;
    /// Runs a command as any principal (local commands of the control API).
    session::CommandOutcome execute(const syncml::Command& command, const tree::Principal& who);

private:
    enum class Nesting { TopLevel, InAtomic, InSequence };
    session::CommandOutcome run(const syncml::Command& command, const tree::Principal& who, Nesting nesting);
    session::CommandOutcome run_atomic(const syncml::Atomic& atomic, const tree::Principal& who);
    session::CommandOutcome run_sequence(const syncml::Sequence& seq, const tree::Principal& who,
                                         Nesting nesting);
    base::StatusCode write(const syncml::ItemCommand& cmd, const tree::Principal& who, bool replace);
    base::StatusCode write_tnds_top_level(const syncml::ItemCommand& cmd, const tree::Principal& who,
                                          bool replace);
    base::StatusCode remove(const syncml::ItemCommand& cmd, const tree::Principal& who);
    session::CommandOutcome get(const syncml::ItemCommand& cmd, const tree::Principal& who);
    base::StatusCode exec(const syncml::Exec& cmd, const tree::Principal& who);
    base::StatusCode copy(const syncml::ItemCommand& cmd, const tree::Principal& who);
    base::StatusCode commit_or_rollback(base::StatusCode members, const tree::Principal& who);
    [[nodiscard]] base::StatusCode may_write(const tree::NodeUri& target, const tree::Principal& who) const;

    tree::Tree& tree_;
    const base::Clock& clock_;
    CommandHooks hooks_;
};

/// True if the Item carries TNDS content (Meta Type application/vnd.syncml.dmtnds+xml).
[[nodiscard]] bool is_tnds_item(const syncml::ItemCommand& cmd, const syncml::Item& item);

} // namespace omadm::client
