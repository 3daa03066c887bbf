#include "instctl/subscriptions/subscription_store.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "instctl/db/row_batches.hpp"
#include "instctl/subscriptions/entries_text.hpp"

namespace instctl::subscriptions {

using federation::DomainRule;

namespace {
std::optional<federation::FileFormat> parse_format(const std::string& s) {
  if (s.empty()) return std::nullopt;
  return federation::parse_file_format(s);
}

const char* const k_sub_columns =
    "s.id, s.name, s.url, COALESCE(s.format, ''), s.trust, s.severity_cap, s.etag, "
    "s.last_modified, s.last_result, s.last_error, s.last_refresh_at, s.last_success_at, "
    "s.created_at, s.entry_count";

Subscription read_subscription(db::Statement& st) {
  Subscription s;
  st.read_all(
      s.id, s.name, s.url, db::parsed(s.format, parse_format), db::parsed(s.trust, parse_trust),
      db::parsed(s.severity_cap, federation::parse_severity), s.etag, s.last_modified,
      s.last_result, s.last_error, s.last_refresh_at, s.last_success_at, s.created_at, s.entries);
  return s;
}

// subscription_blocks.holders: the holding subscriptions' ids, space-separated, ascending.
std::vector<std::int64_t> parse_holders(std::string_view text) {
  std::vector<std::int64_t> ids;
  std::int64_t id = 0;
  bool digits = false;
  for (const char c : text) {
    if (c >= '0' && c <= '9') {
      id = id * 10 + (c - '0');
      digits = true;
    } else if (digits) {
      ids.push_back(id);
      id = 0;
      digits = false;
    }
  }
  if (digits) ids.push_back(id);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::string holders_text(const std::vector<std::int64_t>& ids) {
  if (!std::is_sorted(ids.begin(), ids.end())) {
    auto sorted = ids;
    std::sort(sorted.begin(), sorted.end());
    return holders_text(sorted);
  }
  std::string text;
  for (const auto id : ids) {
    if (!text.empty()) text += ' ';
    text += std::to_string(id);
  }
  return text;
}
}  // namespace

std::int64_t SubscriptionStore::insert(const Subscription& s, UnixTime now) {
  auto st = m_db.prepare(
      "INSERT INTO subscriptions (name, url, format, trust, severity_cap, created_at) VALUES "
      "(?, ?, ?, ?, ?, ?) RETURNING id");
  st->bind_all(
      s.name, s.url,
      s.format ? std::optional<std::string>(federation::to_string(*s.format)) : std::nullopt,
      to_string(s.trust), federation::to_string(s.severity_cap), now);
  st->step();
  return st->get_int(0);
}

std::optional<Subscription> SubscriptionStore::by_name(std::string_view name) {
  auto st =
      m_db.prepare(fmt::format("SELECT {} FROM subscriptions s WHERE s.name = ?", k_sub_columns));
  st->bind_all(name);
  if (!st->step()) return std::nullopt;
  return read_subscription(*st);
}

std::vector<Subscription> SubscriptionStore::all() {
  auto st =
      m_db.prepare(fmt::format("SELECT {} FROM subscriptions s ORDER BY s.id", k_sub_columns));
  std::vector<Subscription> out;
  while (st->step()) out.push_back(read_subscription(*st));
  return out;
}

void SubscriptionStore::remove(std::int64_t id) {
  // Its holds: the blocks stay owned (by the other lists, or by none until retracted).
  auto update = m_db.prepare("UPDATE subscription_blocks SET holders = ? WHERE domain = ?");
  for (auto& [domain, ids] : owned()) {
    const auto it = std::find(ids.begin(), ids.end(), id);
    if (it == ids.end()) continue;
    ids.erase(it);
    update->reset();
    update->bind_all(holders_text(ids), domain).run();
  }
  m_db.prepare("DELETE FROM subscriptions WHERE id = ?")->bind_all(id).run();
}

void SubscriptionStore::record_result(std::int64_t id, std::string_view result,
                                      const std::optional<std::string>& error, UnixTime now) {
  m_db.prepare(
          "UPDATE subscriptions SET last_result = ?, last_error = ?, last_refresh_at = ? "
          "WHERE id = ?")
      ->bind_all(result, error, now, id)
      .run();
}

void SubscriptionStore::replace_entries(const Subscription& s, const std::vector<DomainRule>& rules,
                                        const std::optional<std::string>& note, UnixTime now) {
  const auto stored = entries_text(rules);
  m_db.prepare(
          "UPDATE subscriptions SET entries = ?, entry_count = ?, etag = ?, last_modified = ?, "
          "last_result = 'updated', last_error = ?, last_refresh_at = ?, last_success_at = ? "
          "WHERE id = ?")
      ->bind_all(stored.text, stored.count, s.etag, s.last_modified, note, now, now, s.id)
      .run();
}

std::vector<Entry> SubscriptionStore::entries(const std::set<std::int64_t>& except) {
  std::string sql = "SELECT id, entries FROM subscriptions";
  for (std::size_t i = 0; i < except.size(); ++i) sql += i == 0 ? " WHERE id NOT IN (?" : ", ?";
  if (!except.empty()) sql += ")";
  auto st = m_db.prepare(sql + " ORDER BY id");
  int i = 0;
  for (const auto id : except) st->bind(++i, id);
  std::vector<Entry> out;
  while (st->step()) read_entries_text(st->get_text(1), st->get_int(0), out);
  // Each list's by domain, the lists by id: by domain then subscription.
  std::stable_sort(out.begin(), out.end(),
                   [](const Entry& a, const Entry& b) { return a.rule.domain < b.rule.domain; });
  return out;
}

std::map<std::string, std::vector<std::int64_t>, std::less<>> SubscriptionStore::naming(
    const std::set<std::string>& domains) {
  std::map<std::string, std::vector<std::int64_t>, std::less<>> out;
  for (const auto& d : domains) out[d];
  for (const auto& e : entries()) {
    if (auto it = out.find(e.rule.domain); it != out.end()) it->second.push_back(e.subscription_id);
  }
  return out;
}

Policy SubscriptionStore::policy() {
  auto st = m_db.prepare("SELECT threshold, severity FROM subscription_policy WHERE id = 1");
  Policy p;
  if (st->step()) {
    std::string severity;
    st->read_all(p.threshold, severity);
    p.strongest = severity == "strongest";
  }
  return p;
}

void SubscriptionStore::set_policy(const Policy& p, UnixTime now) {
  m_db.prepare(
          "INSERT INTO subscription_policy (id, threshold, severity, updated_at) "
          "VALUES (1, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET threshold = excluded.threshold, "
          "severity = excluded.severity, updated_at = excluded.updated_at")
      ->bind_all(p.threshold, p.strongest ? "strongest" : "weakest", now)
      .run();
}

std::map<std::string, std::vector<std::int64_t>, std::less<>> SubscriptionStore::owned() {
  auto st = m_db.prepare("SELECT domain, holders FROM subscription_blocks");
  std::map<std::string, std::vector<std::int64_t>, std::less<>> out;
  while (st->step()) out.emplace(st->get_text(0), parse_holders(st->get_text(1)));
  return out;
}

bool SubscriptionStore::is_owned(std::string_view domain) {
  auto st = m_db.prepare("SELECT 1 FROM subscription_blocks WHERE domain = ?");
  st->bind_all(domain);
  return st->step();
}

void SubscriptionStore::set_owned(
    const std::map<std::string, std::optional<std::vector<std::int64_t>>>& owners, UnixTime now) {
  // Keyed by domain, so no statement names a domain twice (PostgreSQL refuses an upsert that
  // would change the same row twice).
  std::vector<std::pair<const std::string*, std::string>> rows;
  rows.reserve(owners.size());
  auto drop = m_db.prepare("DELETE FROM subscription_blocks WHERE domain = ?");
  for (const auto& [domain, ids] : owners) {
    if (ids) {
      rows.emplace_back(&domain, holders_text(*ids));
    } else {
      drop->reset();
      drop->bind_all(domain).run();
    }
  }
  db::write_rows(m_db, "INSERT INTO subscription_blocks (domain, updated_at, holders) VALUES",
                 "(?, ?, ?)",
                 "ON CONFLICT (domain) DO UPDATE SET updated_at = excluded.updated_at, "
                 "holders = excluded.holders",
                 rows.size(), [&](db::Statement& st, int first, std::size_t i) {
                   st.bind_from(first, *rows[i].first, now, rows[i].second);
                 });
}

std::map<std::string, std::string> SubscriptionStore::holder_names() {
  std::map<std::int64_t, std::string> names;
  {
    auto st = m_db.prepare("SELECT id, name FROM subscriptions");
    while (st->step()) names.emplace(st->get_int(0), st->get_text(1));
  }
  std::map<std::string, std::string> out;
  for (const auto& [domain, ids] : owned()) {
    std::string text;
    for (const auto id : ids) {
      if (auto it = names.find(id); it != names.end()) {
        text += (text.empty() ? "" : ", ") + it->second;
      }
    }
    if (!text.empty()) out.emplace(domain, std::move(text));
  }
  return out;
}

std::vector<Draft> SubscriptionStore::query_drafts(const std::string& where,
                                                   std::optional<std::int64_t> id) {
  auto st = m_db.prepare(
      "SELECT id, domain, kind, severity, reject_media, reject_reports, obfuscate, "
      "public_comment, held_by, fingerprint, state, created_at, decided_at FROM "
      "subscription_drafts " +
      where + " ORDER BY id");
  if (id) st->bind_all(*id);
  std::vector<Draft> out;
  while (st->step()) {
    Draft d;
    std::optional<std::string> severity;
    std::string state;
    DomainRule r;
    st->read_all(d.id, d.domain, db::parsed(d.kind, parse_draft_kind), severity, r.reject_media,
                 r.reject_reports, r.obfuscate, r.public_comment, d.held_by, d.fingerprint, state,
                 d.created_at, d.decided_at);
    if (severity) {
      r.domain = d.domain;
      r.severity = federation::parse_severity(*severity);
      d.rule = r;
    }
    d.rejected = state == "rejected";
    out.push_back(std::move(d));
  }
  return out;
}

std::vector<Draft> SubscriptionStore::drafts(bool pending_only) {
  return query_drafts(pending_only ? "WHERE state = 'pending'" : "", std::nullopt);
}

std::optional<Draft> SubscriptionStore::draft(std::int64_t id) {
  auto rows = query_drafts("WHERE id = ?", id);
  if (rows.empty()) return std::nullopt;
  return rows.front();
}

void SubscriptionStore::put_draft(const Draft& d, UnixTime now) {
  delete_draft(d.domain);
  const DomainRule none;
  const DomainRule& r = d.rule ? *d.rule : none;
  m_db.prepare(
          "INSERT INTO subscription_drafts (domain, kind, severity, reject_media, "
          "reject_reports, obfuscate, public_comment, held_by, fingerprint, state, created_at) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)")
      ->bind_all(
          d.domain, to_string(d.kind),
          d.rule ? std::optional<std::string>(federation::to_string(r.severity)) : std::nullopt,
          r.reject_media, r.reject_reports, r.obfuscate, r.public_comment, d.held_by, d.fingerprint,
          now)
      .run();
}

void SubscriptionStore::delete_draft(std::string_view domain) {
  m_db.prepare("DELETE FROM subscription_drafts WHERE domain = ?")->bind_all(domain).run();
}

void SubscriptionStore::reject_draft(std::int64_t id, UnixTime now) {
  m_db.prepare("UPDATE subscription_drafts SET state = 'rejected', decided_at = ? WHERE id = ?")
      ->bind_all(now, id)
      .run();
}

std::int64_t SubscriptionStore::count_pending() {
  auto st = m_db.prepare("SELECT count(*) FROM subscription_drafts WHERE state = 'pending'");
  st->step();
  return st->get_int(0);
}

}  // namespace instctl::subscriptions
