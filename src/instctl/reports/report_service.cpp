#include "instctl/reports/report_service.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/federation/delivery_queue.hpp"
#include "instctl/federation/domain_policy.hpp"
#include "instctl/instance/rules.hpp"
#include "instctl/mail/mail_queue.hpp"
#include "instctl/users/account_mails.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/notify.hpp"
#include "instctl/users/user_ref.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"
#include "instctl/util/url.hpp"

namespace instctl::reports {

namespace {

constexpr std::size_t k_max_comment = 1000;          // code points, as Mastodon
constexpr std::size_t k_max_remote_comment = 10000;  // bytes kept from a Flag
constexpr std::size_t k_max_status_urls = 50;

bool is_web_url(std::string_view url) { return util::parse_url(url).has_value(); }

bool is_remote_username(std::string_view name) {
  if (name.empty() || name.size() > 100) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '.' || c == '-';
  });
}

// Cuts at a code point boundary.
std::string truncate_utf8(std::string_view s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  return std::string(s.substr(0, n));
}

std::string host_of(std::string_view uri) {
  const auto u = util::parse_url(uri);
  return u ? u->host_header() : "";
}

}  // namespace

ReportService::ReportService(Env& env) : m_env(env), m_users(env), m_store(env.db) {}

Report ReportService::must_get(std::int64_t id) {
  auto r = m_store.by_id(id);
  if (!r) {
    throw Error(ErrorKind::not_found,
                fmt::format("no report {}: 'instctl reports list --status all' lists them", id));
  }
  return *r;
}

Report ReportService::get(std::int64_t id) { return must_get(id); }

void ReportService::validate(CreateRequest& req) {
  check_text("a report's comment", req.comment, k_max_comment);
  std::sort(req.rule_ids.begin(), req.rule_ids.end());
  req.rule_ids.erase(std::unique(req.rule_ids.begin(), req.rule_ids.end()), req.rule_ids.end());
  if (req.category == Category::violation && req.rule_ids.empty()) {
    throw Error(ErrorKind::usage,
                "a violation report names the rules broken: add --rule ID ('instctl rules list' "
                "shows them)");
  }
  if (req.category != Category::violation && !req.rule_ids.empty()) {
    throw Error(ErrorKind::usage,
                fmt::format("--rule applies only to violation reports, not {}: use --category "
                            "violation, or leave out --rule",
                            to_string(req.category)));
  }
  if (req.status_urls.size() > k_max_status_urls) {
    throw Error(ErrorKind::usage,
                fmt::format("a report names at most {} posts", k_max_status_urls));
  }
  for (const auto& url : req.status_urls) {
    if (!is_web_url(url)) {
      throw Error(ErrorKind::usage,
                  fmt::format("--status '{}' is not a post's URL: give an https:// address", url));
    }
  }
}

users::User ReportService::resolve_target(std::string_view ref, bool& recorded) {
  try {
    return m_users.resolve_account(ref);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found) throw;
    const auto& inst = m_users.instance();
    const auto parsed = users::parse_user_ref(ref, inst.account_domain, inst.domain, true);
    if (parsed.kind != users::UserRef::Kind::remote_acct) throw;
    if (!is_remote_username(parsed.username)) {
      throw Error(ErrorKind::usage, fmt::format("'{}' is not an account: use user@domain", ref));
    }
    const auto domain = instance::normalize_domain(parsed.domain);
    users::AccountStore store(m_env.db);
    recorded = true;
    return *store.by_id(store.insert_remote(parsed.username, domain, m_env.clock.now()));
  }
}

CreateResult ReportService::create(const CreateRequest& in) {
  CreateRequest req = in;
  validate(req);
  CreateResult result;
  db::Transaction tx(m_env.db);
  const users::User target = resolve_target(req.target, result.remote_account_recorded);
  if (target.status == users::Status::deleted) {
    throw Error(ErrorKind::conflict,
                fmt::format("{} is deleted: there is nothing to report", target.acct()));
  }
  NewReport nr;
  nr.category = req.category;
  nr.target_id = target.id;
  nr.comment = req.comment;
  nr.rule_ids = req.rule_ids;
  nr.status_urls = req.status_urls;
  if (req.reporter) {
    const users::User reporter = m_users.resolve(*req.reporter);
    if (reporter.status == users::Status::deleted) {
      throw Error(ErrorKind::conflict,
                  fmt::format("the reporter {} is deleted", reporter.username));
    }
    nr.reporter_id = reporter.id;
  }
  for (auto rule : req.rule_ids) instance::get_rule(m_env.db, rule);
  const auto id = m_store.insert(nr, m_env.clock.now());
  result.report = must_get(id);
  audit::record(
      m_env, "reports.create", audit_target(id),
      Json{{"target", target.acct()},
           {"category", to_string(req.category)},
           {"rule_ids", req.rule_ids},
           {"reporter", result.report.reporter ? Json(*result.report.reporter) : Json(nullptr)},
           {"status_urls", req.status_urls.size()},
           {"remote_account_recorded", result.remote_account_recorded}});
  tell_moderators(result.report);
  if (req.forward) {
    const auto fwd = forward_in_transaction(result.report, m_env.actor);
    result.forward_note = fwd.message;
    result.report = fwd.report;
  }
  tx.commit();
  return result;
}

std::vector<Report> ReportService::filed_by(std::int64_t account_id) {
  ListFilter f;
  f.reporter_id = account_id;
  return m_store.list(f);
}

std::vector<Report> ReportService::list(const ListRequest& req) {
  if (req.limit < 0) throw Error(ErrorKind::usage, "--limit must not be negative");
  if (req.assigned_to && req.unassigned) {
    throw Error(ErrorKind::usage, "give --assigned-to USER or --unassigned, not both");
  }
  ListFilter f;
  f.status = req.status;
  f.category = req.category;
  f.origin = req.origin;
  f.unassigned = req.unassigned;
  f.limit = req.limit;
  if (req.target) f.target_id = m_users.resolve_account(*req.target).id;
  if (req.assigned_to) f.assigned_id = m_users.resolve(*req.assigned_to).id;
  return m_store.list(f);
}

ForwardResult ReportService::forward_in_transaction(const Report& r, const std::string& by) {
  if (!r.origin.empty()) {
    throw Error(ErrorKind::conflict,
                fmt::format("report {} came from {}: only reports filed here are forwarded", r.id,
                            r.origin));
  }
  const auto target = *users::AccountStore(m_env.db).by_id(r.target_id);
  if (target.is_local()) {
    throw Error(ErrorKind::conflict,
                fmt::format("report {} is about the local user {}: only reports about remote "
                            "accounts are forwarded",
                            r.id, target.username));
  }
  if (r.forwarded_at) {
    throw Error(ErrorKind::conflict, fmt::format("report {} was already forwarded at {}", r.id,
                                                 util::format_time(*r.forwarded_at)));
  }
  if (!target.actor_uri || !(target.inbox_url || target.shared_inbox_url)) {
    throw Error(
        ErrorKind::conflict,
        fmt::format("the actor of {} is not known yet: 'instctl federation lookup {}' fetches "
                    "it, then forward again",
                    target.acct(), target.acct()));
  }
  const auto& inst = m_users.instance();
  ForwardResult result;
  result.activity = federation::build_flag(fmt::format("{}/reports/{}/flag", inst.public_url, r.id),
                                           inst.public_url + "/actor", *target.actor_uri,
                                           r.status_urls, r.comment);
  m_store.mark_forwarded(r.id, result.activity, m_env.clock.now());
  // Signed by the instance actor; a blocked (suspended) instance is never sent anything.
  const auto queued = federation::DeliveryQueue(m_env).to_accounts(
      result.activity, federation::Sender::instance_actor(), {target.id});
  result.state = queued.queued > 0 ? "queued" : "stored";
  result.message =
      queued.queued > 0
          ? fmt::format(
                "The Flag for {} is queued for delivery ('instctl federation deliver' sends it).",
                target.domain)
          : fmt::format(
                "The Flag for {} is stored with report {} but not sent: that instance is "
                "blocked by federation policy.",
                target.domain, r.id);
  Env as_moderator{m_env.db, m_env.clock, by};
  audit::record(as_moderator, "reports.forward", audit_target(r.id),
                Json{{"domain", target.domain},
                     {"activity_id", result.activity["id"]},
                     {"state", result.state}});
  result.report = must_get(r.id);
  return result;
}

std::optional<std::string_view> ReportService::local_actor_name(std::string_view uri) {
  const std::string prefix = m_users.instance().public_url + "/users/";
  if (uri.substr(0, prefix.size()) != prefix) return std::nullopt;
  const auto name = uri.substr(prefix.size());
  if (name.empty() || name.find_first_of("/?#") != std::string_view::npos) return std::nullopt;
  return name;
}

std::vector<Report> ReportService::receive_flag(const federation::IncomingFlag& flag) {
  const std::string origin =
      flag.actor_domain.empty() ? host_of(flag.actor_uri) : util::to_lower(flag.actor_domain);
  if (origin.empty()) {
    throw Error(ErrorKind::invalid_data, "a Flag without a sender: its actor has no host");
  }
  // The one place for this rule: reports from suspended domains and from domains blocked
  // with reject_reports are dropped, whoever hands them over.
  const federation::DomainPolicy policy(m_env.db);
  if (policy.is_suspended(origin) || policy.rejects_reports(origin)) return {};
  const std::string local_prefix = m_users.instance().public_url + "/";
  std::vector<std::int64_t> targets;
  std::vector<std::string> statuses;
  db::Transaction tx(m_env.db);
  for (const auto& uri : flag.object_uris) {
    if (auto name = local_actor_name(uri)) {
      const auto u = users::AccountStore(m_env.db).local_by_username(*name);
      if (u && std::find(targets.begin(), targets.end(), u->id) == targets.end())
        targets.push_back(u->id);
    } else if (uri.substr(0, local_prefix.size()) == local_prefix &&
               statuses.size() < k_max_status_urls) {
      statuses.push_back(uri);
    }
  }
  const auto reporter = users::AccountStore(m_env.db).id_by_actor_uri(flag.actor_uri);
  std::vector<Report> out;
  for (auto target : targets) {
    if (!flag.activity_id.empty()) {
      if (auto existing = m_store.by_activity(flag.activity_id, target)) {
        out.push_back(must_get(*existing));
        continue;
      }
    }
    NewReport nr;
    nr.target_id = target;
    nr.reporter_id = reporter;
    if (!reporter) nr.reporter_uri = flag.actor_uri;
    nr.origin = origin;
    nr.comment = truncate_utf8(flag.content, k_max_remote_comment);
    if (!flag.activity_id.empty()) nr.activity_uri = flag.activity_id;
    nr.status_urls = statuses;
    const auto id = m_store.insert(nr, m_env.clock.now());
    out.push_back(must_get(id));
    audit::record(
        m_env, "reports.receive", audit_target(id),
        Json{{"origin", origin}, {"activity_id", flag.activity_id}, {"reporter", flag.actor_uri}});
    tell_moderators(out.back());
  }
  tx.commit();
  return out;
}

// Moderators and admins who want it hear of a new report as it arrives (users/notify.hpp).
void ReportService::tell_moderators(const Report& r) {
  if (!mail::MailQueue(m_env).enabled()) return;
  users::ReportNotice n{
      r.id, r.target, r.reporter.value_or(""), to_string(r.category), r.comment, {}, r.created_at};
  for (auto id : r.rule_ids) n.rules.push_back(instance::get_rule(m_env.db, id).text);
  const auto site = mail::load_site(m_env.db);
  users::notify_staff(m_env, mail::StaffTopic::reports,
                      [&](const users::User& to) { return users::report_message(site, to, n); });
}

}  // namespace instctl::reports
