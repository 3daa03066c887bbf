#include "instctl/reports/report_service.hpp"

#include <algorithm>
#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/federation/delivery_queue.hpp"
#include "instctl/federation/domain_policy.hpp"
#include "instctl/instance/rules.hpp"
#include "instctl/mail/account_mails.hpp"
#include "instctl/mail/mail_queue.hpp"
#include "instctl/users/user_ref.hpp"
#include "instctl/users/user_store.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"
#include "instctl/util/url.hpp"

namespace instctl::reports {

namespace {

constexpr std::size_t k_max_comment = 1000;          // code points, as Mastodon
constexpr std::size_t k_max_remote_comment = 10000;  // bytes kept from a Flag
constexpr std::size_t k_max_note = 2000;
constexpr std::size_t k_max_status_urls = 50;

std::string target_of(std::int64_t id) { return fmt::format("report:{}", id); }

void check_text(std::string_view what, std::string_view text, std::size_t max) {
  if (!util::is_valid_utf8(text)) throw Error(ErrorKind::usage, fmt::format("{} must be UTF-8", what));
  if (util::utf8_width(text) > max) {
    throw Error(ErrorKind::usage, fmt::format("{} is limited to {} characters", what, max));
  }
}

bool is_web_url(std::string_view url) {
  return util::parse_url(url).has_value();
}

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

ReportService::ReportService(Env& env) : m_env(env), m_moderation(env), m_store(env.db) {}

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
    throw Error(ErrorKind::usage, fmt::format("a report names at most {} posts", k_max_status_urls));
  }
  for (const auto& url : req.status_urls) {
    if (!is_web_url(url)) {
      throw Error(ErrorKind::usage,
                  fmt::format("--status '{}' is not a post's URL: give an https:// address", url));
    }
  }
}

users::User ReportService::resolve_target(std::string_view ref, bool& recorded) {
  auto& users = m_moderation.users();
  try {
    return users.resolve_account(ref);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::not_found) throw;
    const auto& inst = users.instance();
    const auto parsed = users::parse_user_ref(ref, inst.account_domain, inst.domain, true);
    if (parsed.kind != users::UserRef::Kind::remote_acct) throw;
    if (!is_remote_username(parsed.username)) {
      throw Error(ErrorKind::usage, fmt::format("'{}' is not an account: use user@domain", ref));
    }
    const auto domain = instance::normalize_domain(parsed.domain);
    users::UserStore store(m_env.db);
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
    throw Error(ErrorKind::conflict, fmt::format("{} is deleted: there is nothing to report", target.acct()));
  }
  NewReport nr;
  nr.category = req.category;
  nr.target_id = target.id;
  nr.comment = req.comment;
  nr.rule_ids = req.rule_ids;
  nr.status_urls = req.status_urls;
  if (req.reporter) {
    const users::User reporter = m_moderation.users().resolve(*req.reporter);
    if (reporter.status == users::Status::deleted) {
      throw Error(ErrorKind::conflict, fmt::format("the reporter {} is deleted", reporter.username));
    }
    nr.reporter_id = reporter.id;
  }
  for (auto rule : req.rule_ids) instance::get_rule(m_env.db, rule);
  const auto id = m_store.insert(nr, m_env.clock.now());
  result.report = must_get(id);
  audit::record(m_env, "reports.create", target_of(id),
                Json{{"target", target.acct()},
                     {"category", to_string(req.category)},
                     {"rule_ids", req.rule_ids},
                     {"reporter", result.report.reporter ? Json(*result.report.reporter) : Json(nullptr)},
                     {"status_urls", req.status_urls.size()},
                     {"remote_account_recorded", result.remote_account_recorded}});
  tell_moderators(result.report);
  if (req.forward) {
    const auto fwd = forward_in_transaction(result.report, {std::nullopt, m_env.actor});
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
  if (req.target) f.target_id = m_moderation.users().resolve_account(*req.target).id;
  if (req.assigned_to) f.assigned_id = m_moderation.users().resolve(*req.assigned_to).id;
  return m_store.list(f);
}

Json ReportService::details(std::int64_t id) {
  db::Transaction tx(m_env.db, db::Transaction::Mode::read);
  const Report r = must_get(id);
  Json j = to_json(r);
  const auto target = users::UserStore(m_env.db).by_id(r.target_id);
  j["target_status"] = target ? users::to_string(target->status) : "unknown";
  j["rules"] = m_store.rules(id);
  Json notes = Json::array();
  for (const auto& n : m_store.notes(id)) notes.push_back(to_json(n));
  j["notes"] = notes;
  ListFilter others;
  others.target_id = r.target_id;
  Json previous = Json::array();
  for (const auto& o : m_store.list(others)) {
    if (o.id == r.id) continue;
    previous.push_back(Json{{"id", o.id},
                            {"status", to_string(o.status)},
                            {"category", to_string(o.category)},
                            {"action_taken", o.action_taken ? Json(*o.action_taken) : Json(nullptr)},
                            {"created_at", util::format_time(o.created_at)}});
  }
  j["previous_reports"] = previous;
  Json strikes = Json::array();
  for (const auto& s : m_moderation.strikes(r.target_id)) strikes.push_back(moderation::to_json(s));
  j["strikes"] = strikes;
  audit::Filter history;
  history.target = target_of(id);
  Json entries = Json::array();
  for (const auto& e : audit::list(m_env.db, history)) entries.push_back(audit::to_json(e));
  j["history"] = entries;
  tx.commit();
  return j;
}

Report ReportService::assign(std::int64_t id, const std::optional<std::string>& to,
                             const std::optional<std::string>& as) {
  db::Transaction tx(m_env.db);
  must_get(id);
  const auto by = m_moderation.identify(as);
  std::optional<users::User> assignee;
  if (to) {
    assignee = moderation::require_staff(m_moderation.users(), *to);
  } else if (by.account_id) {
    assignee = users::UserStore(m_env.db).by_id(*by.account_id);
  } else {
    throw Error(ErrorKind::usage,
                "whom to assign? give --to USER, or --as USER (or INSTCTL_ACTOR=USER) to take it yourself");
  }
  if (!m_store.assign(id, assignee->id, m_env.clock.now())) {
    throw Error(ErrorKind::conflict, fmt::format("report {} is already assigned to {}", id, assignee->username));
  }
  moderation::record_audit(m_env, by, "reports.assign", target_of(id),
                Json{{"assigned_to", assignee->username}});
  tx.commit();
  return must_get(id);
}

Report ReportService::unassign(std::int64_t id, const std::optional<std::string>& as) {
  db::Transaction tx(m_env.db);
  const Report before = must_get(id);
  const auto by = m_moderation.identify(as);
  if (!m_store.assign(id, std::nullopt, m_env.clock.now())) {
    throw Error(ErrorKind::conflict, fmt::format("report {} is not assigned to anyone", id));
  }
  moderation::record_audit(m_env, by, "reports.unassign", target_of(id),
                Json{{"was_assigned_to", before.assigned_to.value_or("")}});
  tx.commit();
  return must_get(id);
}

Note ReportService::note(std::int64_t id, std::string_view raw, const std::optional<std::string>& as) {
  const auto text = std::string(util::trim(raw));
  if (text.empty()) throw Error(ErrorKind::usage, "a note needs a text");
  check_text("a note", text, k_max_note);
  db::Transaction tx(m_env.db);
  must_get(id);
  const auto by = m_moderation.identify(as);
  const auto note_id = m_store.add_note(id, by, text, m_env.clock.now());
  moderation::record_audit(m_env, by, "reports.note", target_of(id),
                Json{{"note_id", note_id}, {"text", text}});
  tx.commit();
  for (auto& n : m_store.notes(id)) {
    if (n.id == note_id) return n;
  }
  throw Error(ErrorKind::internal, "the note just written is missing");
}

ResolveResult ReportService::resolve(std::int64_t id, moderation::Action action,
                                     const std::optional<std::string>& text,
                                     const std::optional<std::string>& as) {
  if (text) check_text("--text", *text, k_max_note);
  if (!moderation::is_strike(action) && action != moderation::Action::none) {
    throw Error(ErrorKind::usage, "use none, warn, disable, silence or suspend to resolve a report");
  }
  db::Transaction tx(m_env.db);
  const auto by = m_moderation.identify(as);
  const auto now = m_env.clock.now();
  // The claim: of two moderators resolving at once, exactly one gets the row.
  const auto target_id = m_store.claim_resolve(id, action, by, now);
  if (!target_id) {
    const Report r = must_get(id);
    throw Error(ErrorKind::conflict,
                fmt::format("report {} is already resolved (by {} at {}): 'instctl reports reopen {}' "
                            "reopens it",
                            id, r.resolved_by.value_or("?"), util::format_time(r.resolved_at.value_or(0)), id));
  }
  const users::User account = *users::UserStore(m_env.db).by_id(*target_id);
  const auto outcome = m_moderation.act_in_transaction(account, by, {action, text, id});
  if (action == moderation::Action::none && text) m_store.add_note(id, by, *text, now);
  ResolveResult result;
  result.account = outcome.account;
  result.strike = outcome.strike;
  result.also_resolved = outcome.resolved_reports;
  result.summary = action == moderation::Action::none
                       ? fmt::format("Resolved report {} without acting on {} ({}).", id,
                                     outcome.account.acct(), users::to_string(outcome.account.status))
                       : fmt::format("Resolved report {}. {}", id, moderation::outcome_sentence(outcome));
  moderation::record_audit(m_env, by, "reports.resolve", target_of(id),
                Json{{"action", moderation::to_string(action)},
                     {"account", account.acct()},
                     {"text", text ? Json(*text) : Json(nullptr)},
                     {"strike_id", outcome.strike ? Json(outcome.strike->id) : Json(nullptr)},
                     {"also_resolved", outcome.resolved_reports}});
  result.report = must_get(id);
  tx.commit();
  return result;
}

Report ReportService::reopen(std::int64_t id, const std::optional<std::string>& as) {
  db::Transaction tx(m_env.db);
  const Report before = must_get(id);
  const auto by = m_moderation.identify(as);
  if (!m_store.reopen(id, m_env.clock.now())) {
    throw Error(ErrorKind::conflict, fmt::format("report {} is already open", id));
  }
  moderation::record_audit(m_env, by, "reports.reopen", target_of(id),
                Json{{"action_taken", before.action_taken.value_or("")}});
  tx.commit();
  return must_get(id);
}

ForwardResult ReportService::forward(std::int64_t id, const std::optional<std::string>& as) {
  db::Transaction tx(m_env.db);
  const Report r = must_get(id);
  const auto by = m_moderation.identify(as);
  auto result = forward_in_transaction(r, by);
  tx.commit();
  return result;
}

ForwardResult ReportService::forward_in_transaction(const Report& r, const moderation::Moderator& by) {
  if (!r.origin.empty()) {
    throw Error(ErrorKind::conflict,
                fmt::format("report {} came from {}: only reports filed here are forwarded", r.id, r.origin));
  }
  const auto target = *users::UserStore(m_env.db).by_id(r.target_id);
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
    throw Error(ErrorKind::conflict,
                fmt::format("the actor of {} is not known yet: 'instctl federation lookup {}' fetches "
                            "it, then forward again",
                            target.acct(), target.acct()));
  }
  const auto& inst = m_moderation.users().instance();
  ForwardResult result;
  result.activity = build_flag(fmt::format("{}/reports/{}/flag", inst.public_url, r.id),
                               inst.public_url + "/actor", *target.actor_uri, r.status_urls, r.comment);
  m_store.mark_forwarded(r.id, result.activity, m_env.clock.now());
  // Signed by the instance actor; a blocked (suspended) instance is never sent anything.
  const auto queued = federation::DeliveryQueue(m_env).to_accounts(
      result.activity, federation::Sender::instance_actor(), {target.id});
  result.state = queued.queued > 0 ? "queued" : "stored";
  result.message =
      queued.queued > 0
          ? fmt::format("The Flag for {} is queued for delivery ('instctl federation deliver' sends it).",
                        target.domain)
          : fmt::format("The Flag for {} is stored with report {} but not sent: that instance is "
                        "blocked by federation policy.",
                        target.domain, r.id);
  moderation::record_audit(m_env, by, "reports.forward", target_of(r.id),
                Json{{"domain", target.domain},
                     {"activity_id", result.activity["id"]},
                     {"state", result.state}});
  result.report = must_get(r.id);
  return result;
}

std::optional<std::string_view> ReportService::local_actor_name(std::string_view uri) {
  const std::string prefix = m_moderation.users().instance().public_url + "/users/";
  if (uri.substr(0, prefix.size()) != prefix) return std::nullopt;
  const auto name = uri.substr(prefix.size());
  if (name.empty() || name.find_first_of("/?#") != std::string_view::npos) return std::nullopt;
  return name;
}

std::vector<Report> ReportService::receive_flag(const IncomingFlag& flag) {
  const std::string origin = flag.actor_domain.empty() ? host_of(flag.actor_uri)
                                                       : util::to_lower(flag.actor_domain);
  if (origin.empty()) {
    throw Error(ErrorKind::invalid_data, "a Flag without a sender: its actor has no host");
  }
  // The one place for this rule: reports from suspended domains and from domains blocked
  // with reject_reports are dropped, whoever hands them over.
  const federation::DomainPolicy policy(m_env.db);
  if (policy.is_suspended(origin) || policy.rejects_reports(origin)) return {};
  const std::string local_prefix = m_moderation.users().instance().public_url + "/";
  std::vector<std::int64_t> targets;
  std::vector<std::string> statuses;
  db::Transaction tx(m_env.db);
  for (const auto& uri : flag.object_uris) {
    if (auto name = local_actor_name(uri)) {
      const auto u = users::UserStore(m_env.db).local_by_username(*name);
      if (u && std::find(targets.begin(), targets.end(), u->id) == targets.end()) targets.push_back(u->id);
    } else if (uri.substr(0, local_prefix.size()) == local_prefix && statuses.size() < k_max_status_urls) {
      statuses.push_back(uri);
    }
  }
  std::optional<std::int64_t> reporter;
  {
    auto st = m_env.db.prepare("SELECT id FROM accounts WHERE actor_uri = ?");
    st->bind_all(flag.actor_uri);
    if (st->step()) reporter = st->get_int(0);
  }
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
    audit::record(m_env, "reports.receive", target_of(id),
                  Json{{"origin", origin}, {"activity_id", flag.activity_id}, {"reporter", flag.actor_uri}});
    tell_moderators(out.back());
  }
  tx.commit();
  return out;
}

// Moderators and admins who want it hear of a new report as it arrives (users/notify.hpp).
void ReportService::tell_moderators(const Report& r) {
  mail::MailQueue queue(m_env);
  if (!queue.enabled()) return;
  mail::ReportNotice n{r.id, r.target, r.reporter.value_or(""), to_string(r.category), r.comment, {}, r.created_at};
  for (auto id : r.rule_ids) n.rules.push_back(instance::get_rule(m_env.db, id).text);
  const auto site = mail::load_site(m_env.db);
  queue.notify_staff(mail::StaffTopic::reports,
                     [&](const users::User& to) { return mail::report_message(site, to, n); });
}

}  // namespace instctl::reports
