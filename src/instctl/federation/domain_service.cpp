#include "instctl/federation/domain_service.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/util/json_line.hpp"

namespace instctl::federation {

namespace {
// An audit entry's details: the rule's fields but its domain (the entry's target), in
// to_json's order. Written directly: a subscription refresh records one per domain.
util::JsonLine rule_details(const DomainRule& r) {
  // Room for the fields, the comments and the "by" the caller may add, in one allocation.
  util::JsonLine j(192 + (r.public_comment ? r.public_comment->size() : 0) +
                   (r.private_comment ? r.private_comment->size() : 0));
  j.field("severity", to_string(r.severity))
      .field("reject_media", r.reject_media)
      .field("reject_reports", r.reject_reports)
      .field("public_comment", r.public_comment.value_or(""))
      .field("private_comment", r.private_comment.value_or(""))
      .field("obfuscate", r.obfuscate);
  return j;
}

void record_rule_change(Env& env, BlockRun* run, std::string_view action, const std::string& domain,
                        util::JsonLine& details) {
  if (run != nullptr)
    run->audit.add(action, "domain:" + domain, details.object());
  else
    audit::record_text(env, action, "domain:" + domain, details.object());
}
}  // namespace

OnConflict parse_on_conflict(std::string_view s) {
  if (s == "skip") return OnConflict::skip;
  if (s == "update") return OnConflict::update;
  throw Error(ErrorKind::usage, fmt::format("unknown --on-conflict '{}': use skip or update", s));
}

Json ImportReport::to_json() const {
  Json errs = Json::array();
  for (const auto& e : errors) {
    errs.push_back(Json{{"line", e.line}, {"domain", e.domain}, {"error", e.message}});
  }
  return Json{{"format", federation::to_string(format)},
              {"created", created},
              {"updated", updated},
              {"skipped", skipped},
              {"failed", errors.size()},
              {"dry_run", dry_run},
              {"changes", changes_json()},
              {"errors", errs},
              {"notes", notes}};
}

Json ImportReport::changes_json() const {
  Json rows = Json::array();
  for (const auto& c : changes) {
    Json row{{"line", c.line}, {"domain", c.domain}, {"change", c.change}};
    row["severity"] = c.rule ? Json(to_string(c.rule->severity)) : Json(nullptr);
    rows.push_back(row);
  }
  return rows;
}

std::optional<DomainRule> DomainService::current(std::string_view domain, const BlockRun* run) {
  if (run == nullptr) return m_store.block(domain);
  const auto it = run->known.find(domain);
  if (it == run->known.end()) return std::nullopt;
  return it->second;
}

BlockRun DomainService::start_run(std::size_t expected) {
  KnownBlocks known;
  for (auto& b : m_store.blocks()) {
    std::string domain = b.domain;
    known.emplace(std::move(domain), std::move(b));
  }
  BlockRun run(m_env, std::move(known));
  run.inserts.reserve(expected);
  return run;
}

void DomainService::finish_run(BlockRun& run) {
  std::vector<DomainRule> rules;
  rules.reserve(run.inserts.size());
  for (auto& r : run.inserts) {
    if (r) rules.push_back(std::move(*r));
  }
  m_store.insert_blocks(rules, m_env.clock.now());
  run.inserts.clear();
  run.pending.clear();
  run.audit.flush();
}

void DomainService::check_parent(const DomainRule& rule, bool force, const BlockRun* run) {
  // The parents as views of the domain (domain_and_parents' order, without copying each):
  // a subscription refresh checks tens of thousands.
  std::string_view name = rule.domain;
  for (auto dot = name.find('.'); dot != std::string_view::npos; dot = name.find('.')) {
    name.remove_prefix(dot + 1);
    if (name.empty()) break;
    const auto parent = current(name, run);
    if (!parent) continue;
    if (!force && !rule.stricter_than(*parent)) {
      throw Error(ErrorKind::conflict,
                  fmt::format("{} is already covered by the stricter block on {} ({}); a weaker "
                              "rule under it needs --force",
                              rule.domain, parent->domain, to_string(parent->severity)));
    }
    return;  // only the closest parent matters: it already sits under its own parents
  }
}

DomainRule DomainService::block(const BlockRequest& req) {
  db::Transaction tx(m_env.db);
  const auto domain = block_within(req).domain;
  tx.commit();
  return *m_store.block(domain);
}

DomainRule DomainService::block_within(const BlockRequest& req, BlockRun* run) {
  const std::string domain = normalize_rule_domain(req.domain);
  const auto existing = current(domain, run);
  DomainRule r = existing ? *existing : DomainRule{};
  r.domain = domain;
  if (req.severity) r.severity = *req.severity;
  if (req.reject_media) r.reject_media = *req.reject_media;
  if (req.reject_reports) r.reject_reports = *req.reject_reports;
  if (req.obfuscate) r.obfuscate = *req.obfuscate;
  if (req.public_comment) r.public_comment = *req.public_comment;
  if (req.private_comment) r.private_comment = *req.private_comment;
  check_parent(r, req.force, run);
  const auto pending = run != nullptr ? run->pending.find(domain) : decltype(run->pending.end()){};
  if (run != nullptr && pending != run->pending.end()) {
    run->inserts[pending->second] = r;  // made in this run: not written yet
  } else if (existing) {
    m_store.update_block(r, m_env.clock.now());
  } else if (run != nullptr) {
    run->pending.emplace(domain, run->inserts.size());
    run->inserts.emplace_back(r);
  } else {
    m_store.insert_block(r, m_env.clock.now());
  }
  if (run != nullptr) run->known[domain] = r;
  auto details = rule_details(r);
  details.field("updated", existing.has_value());
  if (req.force) details.field("force", true);
  if (req.by) details.field("by", *req.by);
  record_rule_change(m_env, run, "federation.block", domain, details);
  return r;
}

DomainRule DomainService::unblock(std::string_view text) {
  db::Transaction tx(m_env.db);
  auto rule = unblock_within(text, std::nullopt);
  tx.commit();
  return rule;
}

DomainRule DomainService::unblock_within(std::string_view text,
                                         const std::optional<std::string>& by, BlockRun* run) {
  const std::string domain = normalize_rule_domain(text);
  const auto existing = current(domain, run);
  const auto pending = run != nullptr ? run->pending.find(domain) : decltype(run->pending.end()){};
  bool deleted = false;
  if (existing && run != nullptr && pending != run->pending.end()) {
    run->inserts[pending->second].reset();  // made in this run: never written
    run->pending.erase(pending);
    deleted = true;
  } else if (existing) {
    deleted = m_store.delete_block(domain);
  }
  if (!deleted) {
    throw Error(
        ErrorKind::not_found,
        fmt::format("{} is not blocked ('instctl federation list --blocks' shows the blocks)",
                    domain));
  }
  if (run != nullptr) run->known.erase(domain);
  auto details = rule_details(*existing);
  if (by) details.field("by", *by);
  record_rule_change(m_env, run, "federation.unblock", domain, details);
  return *existing;
}

std::string DomainService::allow(std::string_view text) {
  const std::string domain = normalize_rule_domain(text);
  db::Transaction tx(m_env.db);
  if (!m_store.insert_allow(domain, m_env.clock.now())) {
    throw Error(ErrorKind::conflict, fmt::format("{} is already allowed", domain));
  }
  audit::record(m_env, "federation.allow", "domain:" + domain);
  tx.commit();
  return domain;
}

std::string DomainService::disallow(std::string_view text) {
  const std::string domain = normalize_rule_domain(text);
  db::Transaction tx(m_env.db);
  if (!m_store.delete_allow(domain)) {
    throw Error(
        ErrorKind::not_found,
        fmt::format("{} is not allowed ('instctl federation list --allows' shows them)", domain));
  }
  audit::record(m_env, "federation.disallow", "domain:" + domain);
  tx.commit();
  return domain;
}

std::vector<DomainRule> DomainService::blocks() { return m_store.blocks(); }
std::vector<std::string> DomainService::allows() { return m_store.allows(); }

std::string DomainService::mode() { return instance::Settings(m_env.db).get("federation.mode"); }

std::string DomainService::set_mode(std::string_view mode) {
  // Settings::set validates, audits (config.set) and commits on its own.
  return instance::Settings(m_env.db).set(m_env, "federation.mode", mode);
}

ImportReport DomainService::import(std::string_view text, const ImportOptions& opts) {
  ParsedFile file = parse_domain_file(text, opts.format);
  ImportReport report;
  report.format = file.format;
  report.errors = std::move(file.errors);
  report.notes = std::move(file.notes);
  report.dry_run = opts.dry_run;
  db::Transaction tx(m_env.db);
  for (const auto& row : file.rows) {
    const auto& r = row.rule;
    if (opts.allows) {
      const bool inserted = m_store.insert_allow(r.domain, m_env.clock.now());
      ++(inserted ? report.created : report.skipped);
      report.changes.push_back(
          {row.line, r.domain, inserted ? "created" : "skipped", std::nullopt});
      continue;
    }
    const auto existing = m_store.block(r.domain);
    if (existing && opts.on_conflict == OnConflict::skip) {
      ++report.skipped;
      report.changes.push_back({row.line, r.domain, "skipped", r});
      continue;
    }
    try {
      check_parent(r, false);
    } catch (const Error& e) {
      report.errors.push_back({row.line, r.domain, e.what()});
      continue;
    }
    if (existing) {
      m_store.update_block(r, m_env.clock.now());
      ++report.updated;
    } else {
      m_store.insert_block(r, m_env.clock.now());
      ++report.created;
    }
    report.changes.push_back({row.line, r.domain, existing ? "updated" : "created", r});
  }
  std::sort(report.errors.begin(), report.errors.end(),
            [](const FileRowError& a, const FileRowError& b) { return a.line < b.line; });
  if (!opts.dry_run) {
    audit::record(m_env, opts.allows ? "federation.import_allows" : "federation.import", "",
                  Json{{"format", to_string(report.format)},
                       {"created", report.created},
                       {"updated", report.updated},
                       {"skipped", report.skipped},
                       {"failed", report.errors.size()}});
    tx.commit();
  }
  return report;
}

std::string DomainService::export_file(FileFormat format, bool allows) {
  return allows ? write_allows(m_store.allows(), format) : write_blocks(m_store.blocks(), format);
}

}  // namespace instctl::federation
