#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"
#include "instctl/federation/domain_file.hpp"
#include "instctl/federation/domain_rule.hpp"
#include "instctl/federation/domain_store.hpp"

namespace instctl::federation {

// A block to make or change. Fields left unset keep their current value (or the default).
struct BlockRequest {
  std::string domain;
  std::optional<Severity> severity;
  std::optional<bool> reject_media;
  std::optional<bool> reject_reports;
  std::optional<bool> obfuscate;
  std::optional<std::string> public_comment;
  std::optional<std::string> private_comment;
  bool force = false;  // allow a rule weaker than a parent's
  // Who asked, for the audit log when it is not the operator (e.g. "subscriptions: a, b").
  std::optional<std::string> by;
};

enum class OnConflict { skip, update };
OnConflict parse_on_conflict(std::string_view s);

struct ImportOptions {
  std::optional<FileFormat> format;
  OnConflict on_conflict = OnConflict::skip;
  bool dry_run = false;
  bool allows = false;  // the file lists allowed domains
};

// What an import did to one domain: "created", "updated" or "skipped" (already there).
struct ImportChange {
  std::size_t line = 0;
  std::string domain;
  std::string change;
  std::optional<DomainRule> rule;  // the rule as the file gives it (blocks only)
};

struct ImportReport {
  FileFormat format = FileFormat::text;
  std::size_t created = 0, updated = 0, skipped = 0;
  std::vector<ImportChange> changes;  // in file order
  std::vector<FileRowError> errors;
  std::vector<std::string> notes;
  bool dry_run = false;
  Json to_json() const;
  Json changes_json() const;  // one object per row: line, domain, change, severity
};

// The blocks as they stand, by domain.
using KnownBlocks = std::map<std::string, DomainRule, std::less<>>;

// A run of block_within / unblock_within inside one transaction (DomainService::start_run):
// the blocks as they stand, read once and kept current, and the writes made together by
// finish_run: the new blocks (multi-row INSERTs) and the audit entries.
struct BlockRun {
  BlockRun(Env& env, KnownBlocks blocks) : known(std::move(blocks)), audit(env) {}
  KnownBlocks known;
  std::vector<std::optional<DomainRule>> inserts;           // nullopt: unblocked again
  std::map<std::string, std::size_t, std::less<>> pending;  // domain -> its place in inserts
  audit::Batch audit;
};

// The rules of domain policy, shared by the command line and the server. Every change is
// audited in its transaction.
class DomainService {
 public:
  explicit DomainService(Env& env) : m_env(env), m_store(env.db) {}

  // Creates the block, or changes an existing one. A rule weaker than the block of a parent
  // domain is refused (conflict) unless `force`.
  DomainRule block(const BlockRequest& req);
  DomainRule unblock(std::string_view domain);  // not_found when there is no such block
  // block and unblock inside the caller's transaction (one for many changes), with the same
  // rules and audit entries; `by` as in BlockRequest. block_within returns the rule as
  // written (without its id and times). Given a run (start_run(), in the same transaction), a
  // domain and its parents are looked up in it instead of queried, and its writes wait for
  // finish_run.
  DomainRule block_within(const BlockRequest& req, BlockRun* run = nullptr);
  DomainRule unblock_within(std::string_view domain, const std::optional<std::string>& by,
                            BlockRun* run = nullptr);
  // `expected`: how many blocks the run may make, for room made at once rather than grown.
  BlockRun start_run(std::size_t expected = 0);
  void finish_run(BlockRun& run);
  std::string allow(std::string_view domain);     // conflict when already allowed
  std::string disallow(std::string_view domain);  // not_found when not allowed
  std::vector<DomainRule> blocks();
  std::vector<std::string> allows();
  std::string mode();
  std::string set_mode(std::string_view mode);

  // Applies good rows in one transaction (rolled back for a dry run); bad rows are reported.
  ImportReport import(std::string_view text, const ImportOptions& opts);
  std::string export_file(FileFormat format, bool allows);

 private:
  // Refuses (conflict) a rule weaker than its closest parent's, unless forced.
  void check_parent(const DomainRule& rule, bool force, const BlockRun* run = nullptr);
  std::optional<DomainRule> current(std::string_view domain, const BlockRun* run);
  Env& m_env;
  DomainStore m_store;
};

}  // namespace instctl::federation
