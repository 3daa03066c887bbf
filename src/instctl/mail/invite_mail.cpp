#include "instctl/mail/invite_mail.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/config_keys.hpp"
#include "instctl/core/error.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::mail {

namespace {
// After this many failures in a row the server is treated as down for this run.
constexpr int k_max_consecutive_failures = 3;

std::string read_password_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) {
    throw Error(ErrorKind::usage,
                fmt::format("cannot read the SMTP password file {} (mail.smtp_password_file); "
                            "check the path and its permissions", path));
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
                fmt::format("--send needs the mail settings {} (e.g. 'instctl config set "
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
  return Json{{"sent", r.sent},         {"failed", r.failed},   {"unsent", r.unsent_left},
              {"connections", r.connections}, {"stopped", r.stopped}, {"errors", r.errors}};
}

Message invite_message(const instance::InstanceInfo& inst, const invites::Invite& inv,
                       const invites::HandleOffer& handle, const std::string& url,
                       const std::string& from, const std::string& from_name) {
  Message m;
  m.from_name = from_name.empty() ? inst.title : from_name;
  m.from = from;
  m.to = inv.email.value_or("");
  m.subject = fmt::format("Your invite to {}", inst.title);
  std::string body = fmt::format(
      "Hello,\n\nyou are invited to join {} ({}).\n\nCreate your account here:\n{}\n\n", inst.title,
      inst.account_domain, url);
  if (!inv.message.empty()) body += fmt::format("A message from your inviter:\n{}\n\n", inv.message);
  body += invites::handle_sentence(inst, handle) + "\n";
  if (!inv.autofollows.empty()) {
    body += fmt::format("You will follow {} when you join.\n",
                        instance::handle_list(inst, inv.autofollows));
  }
  body += "\n";
  if (inv.max_uses == 1) body += "The invite works once";
  else body += fmt::format("The invite works {} times", inv.max_uses);
  if (inv.expires_at) body += fmt::format(" and expires at {}", util::format_time(*inv.expires_at));
  body += fmt::format(".\nYour invite code: {}\n\n-- \n{}\n{}\n", inv.code, inst.title, inst.public_url);
  m.body = body;
  return m;
}

InviteMailer::InviteMailer(Env& env, net::Mailer& mailer, MailConfig config)
    : m_env(env), m_mailer(mailer), m_config(std::move(config)), m_store(env.db),
      m_invites(env.db), m_invite_service(env), m_instance(instance::load(env.db)) {}

bool InviteMailer::deliver(const MailRow& row, SendReport& report) {
  const auto inv = m_invites.by_id(row.invite_id);
  Message msg = invite_message(m_instance, *inv, invites::handle_offer(m_env.db, *inv),
                               m_invite_service.url(*inv), m_config.from, m_config.from_name);
  msg.to = row.recipient;
  msg.date = m_env.clock.now();
  if (row.message_id) {
    msg.message_id = *row.message_id;
  } else {
    msg.message_id = new_message_id(m_instance.domain);
    m_store.set_message_id(row.id, msg.message_id);
  }
  const auto result = m_mailer.send(m_config.from, row.recipient, render(msg));
  if (result.ok) {
    db::Transaction tx(m_env.db);
    m_store.mark_sent(row.id, msg.message_id, m_env.clock.now());
    audit::record(m_env, "invites.mail", inv->audit_target(),
                  Json{{"to", row.recipient}, {"message_id", msg.message_id}});
    tx.commit();
    ++report.sent;
    report.sent_ids.push_back(row.id);
    m_consecutive_failures = 0;
    return true;
  }
  m_store.release(row.id, result.error);
  ++report.failed;
  report.errors.push_back(fmt::format("{}: {}", row.recipient, result.error));
  if (result.connection_failed || ++m_consecutive_failures >= k_max_consecutive_failures) {
    report.stopped = true;
    return false;
  }
  return true;
}

void InviteMailer::finish(SendReport& report) {
  report.connections = m_mailer.connections();
  report.unsent_left = m_store.count_by_state()["unsent"];
}

SendReport InviteMailer::send_unsent(const Progress& progress) {
  SendReport report;
  const auto total = static_cast<std::size_t>(m_store.count_by_state()["unsent"]);
  std::int64_t cursor = 0;
  std::size_t done = 0;
  while (auto row = m_store.claim_next(cursor, m_env.clock.now())) {
    cursor = row->id;
    const bool go_on = deliver(*row, report);
    if (progress) progress(++done, std::max(total, done));
    if (!go_on) break;
  }
  finish(report);
  return report;
}

SendReport InviteMailer::send(const std::vector<std::int64_t>& mail_ids, const Progress& progress) {
  SendReport report;
  std::size_t done = 0;
  for (auto id : mail_ids) {
    auto row = m_store.claim(id, m_env.clock.now());
    if (progress) progress(++done, mail_ids.size());
    if (row && !deliver(*row, report)) break;
  }
  finish(report);
  return report;
}

}  // namespace instctl::mail
