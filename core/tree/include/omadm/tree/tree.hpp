#pragma once
// The DM tree: nodes, ACL enforcement, DDF-driven validation, the DM commands with the status
// codes of OMA-TS-DM_RepPro-V1_2_1 §6.6 and OMA-TS-SyncML_RepPro-V1_2 §10, Atomic transactions, change
// observers and persistence.
//
// Status choices where the spec leaves room (each also stated where it is produced):
// - a value that does not match the node's Format (Replace of an int leaf with "abc"), or a Format
//   other than the DDF's: 415 Unsupported media type or format (in the Add/Replace guidance lists;
//   400 is not).
// - a DDF occurrence limit reached (a ZeroOrN(n) node with n instances): 420 Device full (in the
//   Add guidance list; the device cannot hold another instance).
// - a node name the bound DDF does not declare: 405 Command not allowed.
// - Exec on a node with no registered handler: 405 Command not allowed.
// - deleting the last instance of a One, OneOrMore or OneOrN node: 405 Command not allowed (the DDF
//   requires at least one; the node can be replaced, not removed).
//
// Names: where the bound DDF says CaseSense CIS for a node, a URI segment naming it in another
// case (./DevInfo/DevID for DevId) finds the node as stored; commands act on the stored name.

#include "omadm/base/clock.hpp"
#include "omadm/base/result.hpp"
#include "omadm/base/status_code.hpp"
#include "omadm/tree/acl.hpp"
#include "omadm/tree/change.hpp"
#include "omadm/tree/ddf.hpp"
#include "omadm/tree/node.hpp"
#include "omadm/tree/node_uri.hpp"
#include "omadm/tree/tnds.hpp"
#include "omadm/tree/tree_store.hpp"

#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace omadm::tree {

/// What Get of ?prop=ACL returns for a node whose own ACL is empty.
enum class InheritedAclGet : std::uint8_t {
    EmptyData,       ///< DM 1.2: 200 with empty Data
    InheritedWith217 ///< DM 1.3: 217 with the inherited ACL as Data
};

/// How the ACL treats Principal::device().
enum class DeviceAcl : std::uint8_t {
    Enforce, ///< the device matches only '*' entries
    Bypass,  ///< the device passes every ACL check (AccessType still applies)
};

struct TreeOptions {
    UriLimits uri_limits;
    InheritedAclGet inherited_acl_get = InheritedAclGet::EmptyData;
    DeviceAcl device_acl = DeviceAcl::Enforce;
    Acl root_acl = Acl::root_default();
};

/// The Item of an Add/Replace: Meta Format and Type plus Data.
struct NodeContent {
    std::optional<Format> format; ///< absent: the DDF's format, else the node's current one, else chr
    std::string type;             ///< Meta Type; empty keeps the current/DDF default
    std::string data;
};

/// One Results item.
struct ResultItem {
    std::string source; ///< Source/LocURI
    std::optional<Format> format;
    std::string type;
    std::optional<std::string> data; ///< absent for ?list=Struct and interior nodes in StructData
    friend bool operator==(const ResultItem&, const ResultItem&) = default;
};

struct GetResult {
    base::StatusCode status = base::StatusCode::Ok;
    std::vector<ResultItem> items; ///< empty unless status is 200/217
};

struct ExecRequest {
    std::string data;
    std::string correlator;
};

struct ExecContext {
    const Principal& principal;
    const NodeUri& uri;
    const ExecRequest& request;
};

/// Returns the Exec status: 200 when done, 202 when accepted for later, or an error code.
using ExecHandler = std::function<base::StatusCode(const ExecContext&)>;

/// What an Atomic member reports after its Atomic was rolled back: 216 if it had succeeded,
/// its own code if it was the failing one (the Atomic itself reports 507).
[[nodiscard]] constexpr base::StatusCode rolled_back_member_status(base::StatusCode member) noexcept {
    return base::is_success(member) ? base::StatusCode::AtomicRollbackOk : member;
}

class Tree {
public:
    explicit Tree(TreeOptions options = {});

    // --- configuration ---------------------------------------------------------------------
    /// Validates nodes at and below the schema's mount points against it from now on.
    void bind_schema(DdfSchema schema);
    /// Committed change sets go to store from now on. The store must outlive the tree.
    void attach_store(TreeStore& store) noexcept { store_ = &store; }
    /// Replaces the whole tree by a snapshot (no observer calls, nothing persisted). A snapshot
    /// without a root record keeps the default root of the options. Not during a transaction.
    [[nodiscard]] base::Result<void> restore(const TreeSnapshot& snapshot);
    [[nodiscard]] TreeSnapshot snapshot() const;
    /// Registers an Exec handler for a pattern such as "MgmtPolicy/*/Operations/Activate"
    /// ('*' matches one segment). Errc::InvalidUri if the pattern is not a URI.
    [[nodiscard]] base::Result<void> register_exec(std::string_view pattern, ExecHandler handler);
    [[nodiscard]] const TreeOptions& options() const noexcept { return options_; }

    // --- DM commands -------------------------------------------------------------------------
    /// Add {200, 405, 406, 415, 418, 420, 425}; TNDS content (Type kTndsXmlMime) adds a subtree.
    base::StatusCode add(const Principal& who, const TargetUri& target, const NodeContent& content,
                         base::TimePoint now);
    /// Replace {200, 400, 404, 405, 406, 413, 414, 415, 418, 425}; ?prop=ACL|Name|Title; TNDS content.
    base::StatusCode replace(const Principal& who, const TargetUri& target, const NodeContent& content,
                             base::TimePoint now);
    /// Delete {200, 404, 405, 425}: the node and its subtree.
    base::StatusCode remove(const Principal& who, const TargetUri& target, base::TimePoint now);
    /// Get {200, 217, 404, 405, 406, 425}; ?prop= and ?list= forms. Only readable nodes are listed.
    [[nodiscard]] GetResult get(const Principal& who, const TargetUri& target) const;
    /// Exec {200, 202, 404, 405, 425, or the handler's code}.
    base::StatusCode exec(const Principal& who, const NodeUri& target, const ExecRequest& request);
    /// The checks of an Exec without running it: 200 when the node exists, its AccessType has Exec
    /// and its ACL lets `who` Exec it; else 404, 405 or 425 as exec() would answer.
    [[nodiscard]] base::StatusCode may_exec(const Principal& who, const NodeUri& target) const;
    /// Copy {200, 403, 404, 405, 418, 425} leaf to leaf: Get on source, Add/Replace on target.
    base::StatusCode copy(const Principal& who, const NodeUri& source, const NodeUri& target,
                          base::TimePoint now);

    // --- Atomic ------------------------------------------------------------------------------
    /// Starts an explicit transaction; commands then commit only with commit(). Not nestable.
    void begin();
    /// Persists and delivers every change since begin(). 200, or 510 if the store refused the
    /// change set (the tree is then rolled back: report 507 on the Atomic, 216 on its members).
    base::StatusCode commit();
    /// Undoes every change since begin(); nothing is delivered or persisted.
    void rollback();
    [[nodiscard]] bool in_transaction() const noexcept { return explicit_txn_; }
    /// The changes of the open transaction, in order: what commit() will deliver.
    [[nodiscard]] std::span<const Change> pending_changes() const noexcept { return pending_; }

    // --- observers ---------------------------------------------------------------------------
    /// Called once per committed change, in order, after the commit. An observer may run commands.
    ObserverId subscribe(ChangeObserver observer);
    void unsubscribe(ObserverId id);

    // --- device-side access (no ACL, no AccessType) ------------------------------------------
    /// The node at uri; segments the DDF marks CaseSense CIS match regardless of case.
    [[nodiscard]] const Node* find(const NodeUri& uri) const;
    /// uri with each segment of its longest existing prefix spelled as stored (CaseSense CIS
    /// segments matched regardless of case); the remaining segments unchanged.
    [[nodiscard]] NodeUri resolve(const NodeUri& uri) const;
    [[nodiscard]] bool exists(const NodeUri& uri) const { return find(uri) != nullptr; }
    /// Names of the children, in name order.
    [[nodiscard]] std::vector<std::string> children(const NodeUri& uri) const;
    /// The ACL that applies to the node: its own, or the nearest ancestor's.
    [[nodiscard]] Acl effective_acl(const NodeUri& uri) const;
    /// True if who may run command c on the existing node uri under its effective ACL.
    [[nodiscard]] bool acl_permits(const Principal& who, const NodeUri& uri, AclCommand c) const;
    /// Marks a node Permanent or Dynamic (manufacturer setup). 404 if missing.
    base::StatusCode set_scope(const NodeUri& uri, Scope scope);
    /// Removes a deleted server's id from every ACL (OMA-TS-DM_TND-V1_2_1 §7.7.1); root entries left empty
    /// become '*'.
    void revoke_server(const base::ServerId& id, base::TimePoint now);
    /// Exports a subtree as TNDS: the start node is the top Node (the root's children for ".").
    /// Only nodes who may Get are included; an unreadable interior node is kept as a bare Node
    /// (NodeName only, no properties) when it leads to readable descendants. nullopt if the
    /// start node is missing.
    [[nodiscard]] std::optional<TndsDocument> export_tnds(const Principal& who, const NodeUri& start) const;

private:
    struct UndoEntry {
        std::string path;
        std::optional<Node> before;
    };
    struct Savepoint {
        std::size_t undo = 0;
        std::size_t changes = 0;
    };
    enum class Bound : std::uint8_t { Unbound, Known, Unknown };
    struct SchemaMatch {
        Bound state = Bound::Unbound;
        const DdfNode* node = nullptr;
    };
    struct ExecRoute {
        std::vector<std::string> pattern;
        ExecHandler handler;
    };

    // infrastructure (tree.cpp)
    [[nodiscard]] Node* find_mut(const std::string& path);
    [[nodiscard]] const Node* find_exact(const NodeUri& uri) const;
    [[nodiscard]] TargetUri resolved(const TargetUri& target) const;
    void put_node(const NodeUri& uri, Node node);
    Node& modify(const NodeUri& uri);
    void erase_node(const std::string& path);
    void note(const NodeUri& uri, ChangeKind kind, std::optional<Property> prop, const Principal& who);
    [[nodiscard]] Savepoint savepoint() const noexcept { return {undo_.size(), pending_.size()}; }
    void rollback_to(Savepoint mark);
    base::StatusCode finish(base::StatusCode status, Savepoint mark);
    [[nodiscard]] ChangeSet collect_change_set() const;
    void deliver(const std::vector<Change>& changes);
    [[nodiscard]] std::vector<std::string> subtree_paths(const NodeUri& uri) const;
    [[nodiscard]] SchemaMatch schema_for(const NodeUri& uri) const;
    [[nodiscard]] bool access_allows(const Principal& who, const NodeUri& uri, Access a) const;
    [[nodiscard]] bool is_permanent(const NodeUri& uri) const;
    [[nodiscard]] bool readable(const Principal& who, const NodeUri& uri) const;

    // commands (tree_commands.cpp)
    base::StatusCode add_node(const Principal& who, const NodeUri& uri, const NodeContent& content,
                              base::TimePoint now);
    base::StatusCode check_new_nodes(const Principal& who, const NodeUri& uri, std::size_t first_new,
                                     const NodeContent& content, Format& format) const;
    base::StatusCode replace_node(const Principal& who, const NodeUri& uri, const NodeContent& content,
                                  base::TimePoint now);
    base::StatusCode remove_node(const Principal& who, const NodeUri& uri, base::TimePoint now);
    [[nodiscard]] bool is_last_required_instance(const NodeUri& uri) const;
    // properties (tree_props.cpp)
    base::StatusCode replace_property(const Principal& who, const NodeUri& uri, Property prop,
                                      const std::string& value);
    base::StatusCode replace_acl(const Principal& who, const NodeUri& uri, const std::string& value);
    base::StatusCode rename(const Principal& who, const NodeUri& uri, const std::string& name);
    [[nodiscard]] GetResult get_property(const Principal& who, const NodeUri& uri, Property prop) const;
    // get (tree_get.cpp)
    [[nodiscard]] GetResult get_list(const Principal& who, const NodeUri& uri, const ListQuery& q) const;
    void list_into(const Principal& who, const NodeUri& uri, ListKind kind,
                   std::vector<ResultItem>& out) const;
    [[nodiscard]] bool export_into(const Principal& who, const NodeUri& uri,
                                   std::vector<TndsNode>& out) const;
    // TNDS (tree_tnds.cpp)
    base::StatusCode add_tnds(const Principal& who, const NodeUri& target, const NodeContent& content,
                              base::TimePoint now);
    base::StatusCode replace_tnds(const Principal& who, const NodeUri& target, const NodeContent& content,
                                  base::TimePoint now);
    base::StatusCode apply_tnds_node(const Principal& who, const NodeUri& parent, const TndsNode& n,
                                     bool replace_mode, std::vector<NodeUri>& seen, base::TimePoint now);

    TreeOptions options_;
    std::map<std::string, Node> nodes_;
    std::vector<DdfRoot> schema_roots_;
    TreeStore* store_ = nullptr;
    std::vector<std::pair<ObserverId, ChangeObserver>> observers_;
    std::uint32_t next_observer_ = 1;
    std::vector<ExecRoute> exec_routes_;
    bool explicit_txn_ = false;
    std::vector<UndoEntry> undo_;
    std::vector<Change> pending_;
};

} // namespace omadm::tree
