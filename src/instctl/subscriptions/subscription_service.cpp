#include "instctl/subscriptions/subscription_service.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "instctl/audit/audit_log.hpp"
#include "instctl/instance/client_options.hpp"
#include "instctl/subscriptions/consensus.hpp"
#include "instctl/subscriptions/list_fetch.hpp"
#include "instctl/util/escape.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/url.hpp"

namespace instctl::subscriptions {

namespace {

bool good_name(std::string_view n) {
  if (n.empty() || n.size() > 64) return false;
  for (const char c : n) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

SubscriptionService::SubscriptionService(Env& env, std::shared_ptr<net::HttpClient> client)
    : m_env(env), m_store(env.db), m_domains(env), m_client(std::move(client)) {}

net::HttpClient& SubscriptionService::client() {
  if (!m_client) {
    auto options = instance::client_options(m_env.db);
    options.max_body = k_max_list_bytes;
    m_client = net::make_http_client(options);
  }
  return *m_client;
}

Subscription SubscriptionService::add(const AddRequest& req) {
  const auto url = util::parse_url(req.url);
  if (!url) {
    throw Error(ErrorKind::usage,
                fmt::format("'{}' is not a URL: give the list's https:// address", req.url), "url");
  }
  Subscription s;
  s.url = url->to_string();
  s.name = req.name ? util::to_lower(*req.name) : url->host;
  if (!good_name(s.name)) {
    throw Error(ErrorKind::usage,
                fmt::format("'{}' is not a usable name: use lower-case letters, digits, '.', '-' "
                            "and '_' (at most 64)",
                            s.name),
                "name");
  }
  s.format = req.format;
  s.trust = req.trust;
  s.severity_cap = req.severity_cap;
  db::Transaction tx(m_env.db);
  if (m_store.by_name(s.name)) {
    throw Error(ErrorKind::conflict,
                fmt::format("a subscription named {} exists: choose another with --name", s.name));
  }
  for (const auto& other : m_store.all()) {
    if (other.url == s.url) {
      throw Error(ErrorKind::conflict,
                  fmt::format("{} is already subscribed as {}", s.url, other.name));
    }
  }
  s.id = m_store.insert(s, m_env.clock.now());
  audit::record(m_env, "federation.subscribe", "subscription:" + s.name, to_json(s));
  tx.commit();
  return *m_store.by_name(s.name);
}

std::vector<Subscription> SubscriptionService::list() { return m_store.all(); }

Subscription SubscriptionService::show(std::string_view name) {
  if (auto s = m_store.by_name(util::to_lower(name))) return *s;
  std::vector<std::string> names;
  for (const auto& s : m_store.all()) names.push_back(s.name);
  throw Error(ErrorKind::not_found,
              fmt::format("no subscription named {}{} ('instctl federation subscriptions list' "
                          "shows them)",
                          name, util::did_you_mean(name, names)));
}

RefreshReport SubscriptionService::remove(std::string_view name) {
  const Subscription s = show(name);
  RefreshReport report;
  db::Transaction tx(m_env.db);
  Removed removed{s.name, s.trust, {}};
  for (const auto& [domain, ids] : m_store.owned()) {
    if (std::find(ids.begin(), ids.end(), s.id) != ids.end()) removed.domains.insert(domain);
  }
  m_store.remove(s.id);
  audit::record(m_env, "federation.unsubscribe", "subscription:" + s.name, Json{{"url", s.url}});
  reconcile(report, &removed);
  tx.commit();
  count_consequences(report.changes);
  return report;
}

Policy SubscriptionService::policy() { return m_store.policy(); }

RefreshReport SubscriptionService::set_policy(std::int64_t threshold,
                                              std::optional<bool> strongest) {
  if (threshold < 1) {
    throw Error(ErrorKind::usage,
                fmt::format("--threshold {} is too small: give how many lists must name a domain "
                            "(1 or more)",
                            threshold),
                "threshold");
  }
  RefreshReport report;
  db::Transaction tx(m_env.db);
  Policy p = m_store.policy();
  p.threshold = threshold;
  if (strongest) p.strongest = *strongest;
  m_store.set_policy(p, m_env.clock.now());
  audit::record(m_env, "federation.subscriptions_policy", "", to_json(p));
  reconcile(report, nullptr);
  tx.commit();
  count_consequences(report.changes);
  return report;
}

ListOutcome SubscriptionService::fetch_one(const Subscription& s, std::vector<Fetched>& fetched) {
  ListOutcome out{s.name, "updated", std::nullopt, s.entries};
  FetchedList got;
  try {
    got = fetch_list(client(), s);
  } catch (const Error& e) {
    out.result = "failed";
    out.error = e.what();
    return out;
  }
  if (got.unchanged) {
    out.result = "unchanged";
    return out;
  }
  federation::ParsedFile file;
  try {
    file = federation::parse_domain_file(got.body, s.format);
    if (file.rows.empty() && !file.errors.empty()) {
      throw Error(ErrorKind::invalid_data,
                  fmt::format("no line is a domain (line {}: {})", file.errors.front().line,
                              file.errors.front().message));
    }
  } catch (const Error& e) {
    out.result = "garbage";
    out.error = fmt::format("{} is not a domain list: {}; the last good copy is kept", s.url,
                            util::escape_control(e.what()));
    return out;
  }
  Fetched f{s, {}, file.errors.size()};
  f.subscription.etag = got.etag;
  f.subscription.last_modified = got.last_modified;
  f.rules.reserve(file.rows.size());
  for (auto& row : file.rows) f.rules.push_back(capped(std::move(row.rule), s.severity_cap));
  if (!file.errors.empty()) {
    out.error =
        fmt::format("{} skipped (first: line {}: {})",
                    util::counted(static_cast<long long>(file.errors.size()), "line"),
                    file.errors.front().line, util::escape_control(file.errors.front().message));
  }
  out.entries = static_cast<std::int64_t>(f.rules.size());
  fetched.push_back(std::move(f));
  return out;
}

RefreshReport SubscriptionService::refresh(const std::vector<std::string>& names) {
  std::vector<Subscription> chosen;
  if (names.empty()) {
    chosen = m_store.all();
  } else {
    for (const auto& n : names) chosen.push_back(show(n));
  }
  RefreshReport report;
  std::vector<Fetched> fetched;
  for (const auto& s : chosen) report.lists.push_back(fetch_one(s, fetched));
  // The new entries and what they change, in one transaction: a run killed at any point
  // leaves the old state (and the old validators, so the next run fetches the lists again).
  const auto now = m_env.clock.now();
  db::Transaction tx(m_env.db);
  auto next = fetched.begin();
  for (std::size_t i = 0; i < chosen.size(); ++i) {
    const auto& out = report.lists[i];
    if (out.result != "updated") {
      m_store.record_result(chosen[i].id, out.result, out.error, now);
      continue;
    }
    const Fetched& f = *next++;
    m_store.replace_entries(f.subscription, f.rules, out.error, now);
    audit::record(m_env, "federation.subscription_refresh", "subscription:" + f.subscription.name,
                  Json{{"entries", f.rules.size()}, {"skipped", f.skipped}});
  }
  // Always, even when no list changed: whatever the entries ask for and is not yet applied.
  reconcile(report, nullptr, &fetched);
  tx.commit();
  count_consequences(report.changes);
  return report;
}

std::map<std::string, std::string> SubscriptionService::holders() { return m_store.holder_names(); }

}  // namespace instctl::subscriptions
