#include "instctl/waitlist/waitlist_service.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/crypto/digest.hpp"
#include "instctl/crypto/random.hpp"
#include "instctl/email_blocks/email_block_service.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/invites/invite_service.hpp"
#include "instctl/mail/mail_queue.hpp"
#include "instctl/mail/mail_store.hpp"
#include "instctl/mail/waitlist_mail.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/validation.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::waitlist {

namespace {
// Entries admitted per transaction by `process`: large enough to be fast, small enough that
// the write lock is never held for long.
constexpr std::int64_t k_chunk = 100;
constexpr std::size_t k_max_reason = 1000;

[[noreturn]] void not_found(std::string_view ref) {
  throw Error(
      ErrorKind::not_found,
      fmt::format("no waitlist entry '{}': 'instctl waitlist list --status all' lists them", ref));
}
}  // namespace

WaitlistService::WaitlistService(Env& env) : m_env(env), m_store(env.db) {}

Problems WaitlistService::validate(const AddRequest& req) {
  Problems out;
  if (auto p = users::email_problem(req.email)) out.push_back({"email", *p});
  if (req.username) {
    if (auto p = users::username_problem(*req.username)) out.push_back({"username", *p});
  }
  if (!util::is_valid_utf8(req.reason) || util::utf8_width(req.reason) > k_max_reason) {
    out.push_back({"reason", fmt::format("the reason must be UTF-8 text of at most {} characters",
                                         k_max_reason)});
  }
  return out;
}

std::optional<WaitlistService::Refusal> WaitlistService::problem(const AddRequest& req) {
  if (auto p = validate(req); !p.empty()) return Refusal{ErrorKind::usage, p.front()};
  if (req.channel == users::Channel::sign_up) {
    instance::Settings settings(m_env.db);
    if (!settings.get_bool("waitlist.enabled")) {
      return Refusal{ErrorKind::policy,
                     {"", "the waitlist is closed", "The waitlist is closed at the moment."}};
    }
    if (settings.get_bool("registrations.require_reason") && util::trim(req.reason).empty()) {
      return Refusal{ErrorKind::usage, {"reason", "please say why you would like to join"}};
    }
  }
  const auto email = users::normalize_email(req.email);
  if (auto block = email_blocks::EmailBlockService(m_env).blocking(users::email_domain(email))) {
    return Refusal{ErrorKind::policy,
                   {"email",
                    fmt::format("addresses at {} are refused: the email domain {} is blocked",
                                users::email_domain(email), *block),
                    "Addresses at this email domain cannot join the waitlist."}};
  }
  if (auto e = m_store.by_email_key(users::email_key(email))) {
    return Refusal{ErrorKind::conflict,
                   {"email", fmt::format("{} is already on the waitlist (entry {}, {})", e->email,
                                         e->id, to_string(e->status))},
                   Standing::listed,
                   *e};
  }
  if (users::AccountStore(m_env.db).local_by_email(email)) {
    return Refusal{ErrorKind::conflict,
                   {"email", fmt::format("{} already has an account", email)},
                   Standing::has_account};
  }
  return std::nullopt;
}

std::int64_t WaitlistService::confirm_within() {
  const auto s = instance::Settings(m_env.db).get("waitlist.confirm_within");
  return util::parse_duration(s).value_or(48 * 3600);
}

UnixTime WaitlistService::confirm_cutoff() { return m_env.clock.now() - confirm_within(); }

std::optional<std::string> WaitlistService::start_confirmation(const std::string& email) {
  mail::MailQueue queue(m_env);
  if (!queue.enabled()) return std::nullopt;
  const auto token = crypto::random_token();
  const auto site = mail::load_site(m_env.db);
  const auto url = site.info.public_url + "/waitlist/confirm/" + token;
  queue.enqueue(
      mail::MailKind::waitlist_confirmation, email,
      mail::waitlist_confirmation_message(site, url, m_env.clock.now() + confirm_within()));
  return crypto::sha256_hex(token);
}

std::variant<Entry, WaitlistService::Refusal> WaitlistService::insert_checked(
    const AddRequest& req) {
  // An address whose unconfirmed entry has expired may join again at once.
  const auto email = users::normalize_email(req.email);
  for (const auto& gone : m_store.purge_unconfirmed(confirm_cutoff(), users::email_key(email))) {
    audit::record(m_env, "waitlist.expire", "waitlist:" + gone, Json::object());
  }
  if (auto p = problem(req)) return std::move(*p);
  NewEntry ne{email,        req.username, req.reason,  req.source,
              req.priority, std::nullopt, std::nullopt};
  if (req.channel == users::Channel::sign_up) ne.confirm_token_hash = start_confirmation(email);
  if (!ne.confirm_token_hash) ne.confirmed_at = m_env.clock.now();
  const auto id = m_store.insert(ne, m_env.clock.now());
  Entry e = *m_store.by_id(id);
  audit::record(m_env, "waitlist.add", e.audit_target(),
                Json{{"priority", e.priority},
                     {"source", e.source},
                     {"confirmed", e.confirmed_at.has_value()}});
  return e;
}

Entry WaitlistService::add(const AddRequest& req) {
  db::Transaction tx(m_env.db);
  auto added = insert_checked(req);
  if (auto* no = std::get_if<Refusal>(&added)) throw Error(no->kind, Problems{no->problem});
  tx.commit();
  return std::get<Entry>(std::move(added));
}

Joined WaitlistService::join(const AddRequest& req) {
  db::Transaction tx(m_env.db);
  auto added = insert_checked(req);
  if (auto* no = std::get_if<Refusal>(&added)) {
    // Nothing was written: the transaction is rolled back.
    if (no->standing == Standing::listed) return {JoinState::listed, std::move(no->entry)};
    if (no->standing == Standing::has_account) return {JoinState::has_account, std::nullopt};
    throw Error(no->kind, Problems{no->problem});
  }
  tx.commit();
  return {JoinState::joined, std::get<Entry>(std::move(added))};
}

Confirmation WaitlistService::check_confirmation(std::string_view token) {
  auto [state, entry] = m_store.by_confirm_token(crypto::sha256_hex(token), confirm_cutoff());
  return {state, std::move(entry)};
}

Confirmation WaitlistService::confirm(std::string_view token) {
  const auto hash = crypto::sha256_hex(token);
  db::Transaction tx(m_env.db);
  const auto id = m_store.confirm(hash, m_env.clock.now(), confirm_cutoff());
  if (!id) return check_confirmation(token);
  Confirmation out{ConfirmState::usable, m_store.by_id(*id)};
  audit::record(m_env, "waitlist.confirm", out.entry->audit_target(), Json::object());
  tx.commit();
  return out;
}

std::vector<std::string> WaitlistService::purge_unconfirmed() {
  db::Transaction tx(m_env.db);
  const auto gone = m_store.purge_unconfirmed(confirm_cutoff());
  for (const auto& email : gone)
    audit::record(m_env, "waitlist.expire", "waitlist:" + email, Json::object());
  tx.commit();
  return gone;
}

ImportReport WaitlistService::import(const std::vector<ImportRow>& rows, const Progress& progress) {
  ImportReport report;
  // One transaction: the rows are checked before they are written, so a bad row is reported
  // and skipped while the good ones land together.
  db::Transaction tx(m_env.db);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& row = rows[i];
    if (auto p = problem(row.request)) {
      report.problems.push_back({row.line, row.request.email, p->problem.message});
    } else {
      const auto& r = row.request;
      // An admin's import: the addresses count as confirmed.
      const auto id = m_store.insert({users::normalize_email(r.email), r.username, r.reason,
                                      r.source, r.priority, m_env.clock.now(), std::nullopt},
                                     m_env.clock.now());
      report.added.push_back(*m_store.by_id(id));
    }
    if (progress) progress(i + 1, rows.size());
  }
  audit::record(m_env, "waitlist.import", "waitlist",
                Json{{"added", report.added.size()}, {"failed", report.problems.size()}});
  tx.commit();
  return report;
}

std::vector<Entry> WaitlistService::list(std::optional<EntryStatus> status, std::int64_t limit) {
  if (limit < 0) throw Error(ErrorKind::usage, "--limit must not be negative");
  return m_store.list(status, limit);
}

Entry WaitlistService::find(std::string_view raw) {
  const auto ref = util::trim(raw);
  std::string_view digits = ref;
  if (digits.substr(0, 3) == "id:") digits.remove_prefix(3);
  if (!digits.empty() && digits.size() < 19 &&
      digits.find_first_not_of("0123456789") == std::string_view::npos) {
    if (auto e = m_store.by_id(std::stoll(std::string(digits)))) return *e;
    not_found(raw);
  }
  if (auto e = by_email(ref)) return *e;
  not_found(raw);
}

std::optional<Entry> WaitlistService::by_email(std::string_view email) {
  return m_store.by_email_key(users::email_key(email));
}

Admission WaitlistService::admit_claimed(std::int64_t id, const std::string& email,
                                         const AdmitOptions& opts) {
  Admission a;
  // The username the entry asked for is offered on its invite page and in its mail.
  const auto requested = m_store.by_id(id)->username;
  a.invite = invites::InviteService(m_env).create_for_email(email, opts.expires_at, "waitlist", id,
                                                            requested);
  m_store.set_invite(id, a.invite.id);
  if (opts.queue_mail)
    a.mail_id = mail::MailStore(m_env.db).enqueue(a.invite.id, email, m_env.clock.now());
  a.entry = *m_store.by_id(id);
  audit::record(m_env, "waitlist.admit", a.entry.audit_target(), Json{{"invite", a.invite.code}});
  return a;
}

std::vector<Admission> WaitlistService::admit(const std::vector<std::string>& refs,
                                              const AdmitOptions& opts) {
  db::Transaction tx(m_env.db);
  std::vector<Admission> out;
  for (const auto& ref : refs) {
    const Entry e = find(ref);
    if (e.status == EntryStatus::waiting && !e.confirmed_at) {
      throw Error(
          ErrorKind::conflict,
          fmt::format("{} has not confirmed its address yet: only confirmed entries can be "
                      "admitted (it joined from the web and was mailed a confirmation link)",
                      e.email));
    }
    if (!m_store.claim(e.id, m_env.clock.now())) {
      throw Error(ErrorKind::conflict,
                  fmt::format("{} is {}, not waiting: only waiting entries can be admitted",
                              e.email, to_string(e.status)));
    }
    out.push_back(admit_claimed(e.id, e.email, opts));
  }
  tx.commit();
  return out;
}

std::vector<Admission> WaitlistService::process(std::int64_t n, const AdmitOptions& opts,
                                                const Progress& progress) {
  if (n < 0) throw Error(ErrorKind::usage, "--batch must not be negative");
  std::vector<Admission> out;
  while (static_cast<std::int64_t>(out.size()) < n) {
    db::Transaction tx(m_env.db);
    const auto want = std::min<std::int64_t>(k_chunk, n - static_cast<std::int64_t>(out.size()));
    const auto claimed = m_store.claim_next(want, m_env.clock.now());
    if (claimed.empty()) break;
    std::vector<Admission> chunk;
    for (const auto& c : claimed) chunk.push_back(admit_claimed(c.id, c.email, opts));
    tx.commit();
    for (auto& a : chunk) out.push_back(std::move(a));
    if (progress) progress(out.size(), static_cast<std::size_t>(n));
  }
  return out;
}

std::vector<Entry> WaitlistService::next(std::int64_t n) {
  if (n < 0) throw Error(ErrorKind::usage, "--batch must not be negative");
  if (n == 0) return {};
  return m_store.in_line(n);
}

std::vector<Entry> WaitlistService::reject(const std::vector<std::string>& refs,
                                           const std::optional<std::string>& reason) {
  db::Transaction tx(m_env.db);
  std::vector<Entry> out;
  for (const auto& ref : refs) {
    const Entry e = find(ref);
    if (!m_store.reject(e.id, reason, m_env.clock.now())) {
      throw Error(
          ErrorKind::conflict,
          fmt::format("{} is {}, not waiting: only waiting entries can be rejected{}", e.email,
                      to_string(e.status),
                      e.invite_code
                          ? fmt::format(" (revoke its invite with 'instctl invites revoke {}')",
                                        *e.invite_code)
                          : ""));
    }
    Json details = Json::object();
    if (reason) details["reason"] = *reason;
    audit::record(m_env, "waitlist.reject", e.audit_target(), details);
    out.push_back(*m_store.by_id(e.id));
  }
  tx.commit();
  return out;
}

std::vector<Entry> WaitlistService::remove(const std::vector<std::string>& refs) {
  db::Transaction tx(m_env.db);
  std::vector<Entry> out;
  for (const auto& ref : refs) {
    const Entry e = find(ref);
    m_store.remove(e.id);
    audit::record(m_env, "waitlist.remove", e.audit_target(),
                  Json{{"status", to_string(e.status)}});
    out.push_back(e);
  }
  tx.commit();
  return out;
}

Json WaitlistService::stats() {
  const auto counts = m_store.count_by_status();
  const UnixTime now = m_env.clock.now();
  const UnixTime day0 = now - (now % 86400) - 29 * 86400;
  Json j = Json::object();
  std::int64_t total = 0;
  for (const auto& [k, v] : counts) {
    j[k] = v;
    total += v;
  }
  j["total"] = total;
  // Of the waiting entries, those whose address is not confirmed yet (not in line).
  j["unconfirmed"] = m_store.count_unconfirmed();
  const auto admitted = counts.at("invited") + counts.at("joined");
  j["admitted"] = admitted;
  j["conversion_rate"] =
      admitted == 0 ? 0.0
                    : static_cast<double>(counts.at("joined")) / static_cast<double>(admitted);
  j["joins_per_day"] = m_store.joins_per_day(day0);
  j["registered_per_day"] = m_store.registered_per_day(day0);
  Json mails = Json::object();
  for (const auto& [k, v] : mail::MailStore(m_env.db).count_by_state("invite")) mails[k] = v;
  j["mails"] = mails;
  j["first_day"] = util::format_date(day0);
  return j;
}

}  // namespace instctl::waitlist
