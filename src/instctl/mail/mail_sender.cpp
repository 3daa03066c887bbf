#include "instctl/mail/mail_sender.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/config_keys.hpp"
#include "instctl/core/error.hpp"
#include "instctl/core/retry.hpp"
#include "instctl/crypto/random.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/mail/mail_seams.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::mail {

namespace {
// After this many failures in a row the server is treated as down for this run.
constexpr int k_max_consecutive_failures = 3;

std::string read_password_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw Error(ErrorKind::usage,
                fmt::format("cannot read the SMTP password file {} (mail.smtp_password_file); "
                            "check the path and its permissions",
                            path));
  }
  std::string line;
  std::getline(in, line);
  while (!line.empty() && (line.back() == '\r' || line.back() == '\n')) line.pop_back();
  return line;
}
}  // namespace

MailConfig load_mail_config(db::Connection& db) {
  instance::Settings s(db);
  MailConfig c;
  c.smtp.url = s.get("mail.smtp_url");
  // Stored canonical (validate_config_value): an address, or Name <address>.
  if (const auto from = parse_mailbox(s.get("mail.from"))) {
    c.from = from->address;
    c.from_name = from->name;
  }
  std::vector<std::string> missing;
  if (c.smtp.url.empty()) missing.push_back("mail.smtp_url");
  if (c.from.empty()) missing.push_back("mail.from");
  if (!missing.empty()) {
    throw Error(ErrorKind::usage,
                fmt::format("sending mail needs the mail settings {} (e.g. 'instctl config set "
                            "mail.smtp_url smtp://mail.example:587' and 'instctl config set "
                            "mail.from invites@example.com')",
                            fmt::join(missing, " and ")));
  }
  c.smtp.user = s.get("mail.smtp_user");
  if (const auto file = s.get("mail.smtp_password_file"); !file.empty()) {
    c.smtp.password = read_password_file(file);
  }
  c.smtp.ca_file = s.get("mail.smtp_ca_file");
  if (!c.smtp.ca_file.empty() && !std::ifstream(c.smtp.ca_file)) {
    throw Error(ErrorKind::usage,
                fmt::format("cannot read the CA file {} (mail.smtp_ca_file); check the path and "
                            "its permissions, or 'instctl config unset mail.smtp_ca_file' to "
                            "verify the SMTP server against the system's certificates",
                            c.smtp.ca_file));
  }
  return c;
}

Json to_json(const SendReport& r) {
  return Json{{"sent", r.sent},       {"failed", r.failed},           {"unsent", r.unsent_left},
              {"gave_up", r.gave_up}, {"connections", r.connections}, {"stopped", r.stopped},
              {"errors", r.errors}};
}

MailSender::MailSender(Env& env, net::Mailer& mailer, MailConfig config)
    : m_env(env),
      m_mailer(mailer),
      m_config(std::move(config)),
      m_store(env.db),
      m_site(load_site(env.db)) {}

Message MailSender::compose(const MailRow& row, std::string& action, std::string& target) {
  Message msg;
  if (row.invite_id) {
    const auto written = invite_mail_writer(m_env).write(m_env, m_site, *row.invite_id);
    msg.subject = written.words.subject;
    msg.body = written.words.body;
    action = "invites.mail";
    target = written.audit_target;
  } else {
    msg.subject = row.subject.value_or("");
    msg.body = row.body.value_or("");
    action = "mail.send";
    target = fmt::format("mail:{}", row.id);
  }
  msg.from_name = m_config.from_name.empty() ? m_site.info.title : m_config.from_name;
  msg.from = m_config.from;
  return msg;
}

bool MailSender::deliver(const MailRow& row, SendReport& report) {
  Accepted accepted;
  Message msg = compose(row, accepted.action, accepted.target);
  msg.to = row.recipient;
  msg.date = m_env.clock.now();
  msg.message_id = row.message_id.value_or("");  // fixed by the claim
  const auto result = m_mailer.send(m_config.from, row.recipient, render(msg));
  if (result.ok) {
    accepted.id = row.id;
    accepted.message_id = std::move(msg.message_id);
    accepted.at = m_env.clock.now();
    accepted.details = Json{{"to", row.recipient}, {"message_id", accepted.message_id}};
    if (!row.invite_id) accepted.details["kind"] = row.kind;
    m_accepted = std::move(accepted);  // recorded with the next claim (record_and_claim)
    m_consecutive_failures = 0;
    return true;
  }
  record_accepted(report);
  retry_or_give_up(row, result.error, report);
  ++report.failed;
  report.errors.push_back(fmt::format("{}: {}", row.recipient, result.error));
  if (result.connection_failed || ++m_consecutive_failures >= k_max_consecutive_failures) {
    report.stopped = true;
    return false;
  }
  return true;
}

void MailSender::write_accepted() {
  const auto& a = *m_accepted;
  m_store.mark_sent(a.id, a.message_id, a.at);
  audit::record(m_env, a.action, a.target, a.details);
}

void MailSender::count_accepted(SendReport& report) {
  ++report.sent;
  report.sent_ids.push_back(m_accepted->id);
  m_accepted.reset();
}

void MailSender::record_accepted(SendReport& report) {
  if (!m_accepted) return;
  db::Transaction tx(m_env.db);
  write_accepted();
  tx.commit();
  count_accepted(report);
}

template <class Claim>
std::optional<MailRow> MailSender::record_and_claim(SendReport& report, Claim&& claim) {
  if (!m_accepted) return claim();  // one statement: no transaction needed
  db::Transaction tx(m_env.db);
  write_accepted();
  auto row = claim();
  tx.commit();
  count_accepted(report);
  return row;
}

// The deliveries' retry rule (core/retry.hpp), counted from when the mail was queued.
void MailSender::retry_or_give_up(const MailRow& row, const std::string& error,
                                  SendReport& report) {
  const auto now = m_env.clock.now();
  const auto give_up_at = row.created_at + k_retry_give_up_after;
  if (now < give_up_at) {
    m_store.release(row.id, error,
                    next_retry(row.attempts, now, give_up_at, crypto::random_fraction()));
    return;
  }
  db::Transaction tx(m_env.db);
  m_store.give_up(
      row.id, fmt::format("{} (gave up after {})", error, util::counted(row.attempts, "attempt")));
  audit::record(m_env, "mail.give_up", fmt::format("mail:{}", row.id),
                Json{{"to", row.recipient}, {"kind", row.kind}, {"attempts", row.attempts}});
  tx.commit();
  ++report.gave_up;
}

void MailSender::finish(SendReport& report) {
  record_accepted(report);
  report.connections = m_mailer.connections();
  report.unsent_left = m_store.count_by_state()["unsent"];
}

SendReport MailSender::send_unsent(Backoff backoff, const Progress& progress) {
  SendReport report;
  const auto total = static_cast<std::size_t>(m_store.count_by_state()["unsent"]);
  std::int64_t cursor = 0;
  std::size_t done = 0;
  try {
    while (auto row = record_and_claim(report, [&] {
             const auto now = m_env.clock.now();
             return m_store.claim_next(cursor, now, backoff == Backoff::wait ? now : k_any_time,
                                       new_message_id(m_site.info.domain));
           })) {
      cursor = row->id;
      const bool go_on = deliver(*row, report);
      if (progress) progress(++done, std::max(total, done));
      if (!go_on) break;
    }
  } catch (...) {
    record_accepted_after_error(report);
    throw;
  }
  finish(report);
  return report;
}

SendReport MailSender::send(const std::vector<std::int64_t>& mail_ids, const Progress& progress) {
  SendReport report;
  std::size_t done = 0;
  try {
    for (auto id : mail_ids) {
      auto row = record_and_claim(report, [&] {
        return m_store.claim(id, m_env.clock.now(), new_message_id(m_site.info.domain));
      });
      if (progress) progress(++done, mail_ids.size());
      if (row && !deliver(*row, report)) break;
    }
  } catch (...) {
    record_accepted_after_error(report);
    throw;
  }
  finish(report);
  return report;
}

// An error stopped the run: the mail the server accepted is still recorded if the database
// lets it (otherwise it stays "sending" and is sent again once its claim lapses).
void MailSender::record_accepted_after_error(SendReport& report) noexcept {
  try {
    record_accepted(report);
  } catch (...) {  // NOLINT(bugprone-empty-catch): the first error is the one to report
  }
}

}  // namespace instctl::mail
