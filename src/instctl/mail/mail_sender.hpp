#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/mail/mail_store.hpp"
#include "instctl/mail/mail_template.hpp"
#include "instctl/mail/message.hpp"
#include "instctl/net/mailer.hpp"
#include "instctl/net/smtp_mailer.hpp"

namespace instctl::mail {

struct MailConfig {
  std::string from;       // the address (the SMTP envelope's MAIL FROM)
  std::string from_name;  // mail.from's Name, for the From header ("": the instance's title)
  net::SmtpConfig smtp;
};

// The mail.* settings, with the password read from mail.smtp_password_file. Error(usage)
// naming the settings to set when mail.smtp_url or mail.from is missing, or when the
// password file cannot be read.
MailConfig load_mail_config(db::Connection& db);

struct SendReport {
  std::int64_t sent = 0;
  std::int64_t failed = 0;       // attempts that failed (retried later, or given up)
  std::int64_t gave_up = 0;      // of those, mails given up for good (state 'failed')
  std::int64_t unsent_left = 0;  // unsent mails after this run, for the next --send run
  long connections = 0;
  bool stopped = false;  // the server failed; the remaining mails were left for the next run
  std::vector<std::string> errors;
  std::vector<std::int64_t> sent_ids;
};
Json to_json(const SendReport& r);

using Progress = std::function<void(std::size_t done, std::size_t total)>;

// Sends queued mails of every kind (mail_queue.hpp) over one connection. Each mail is claimed
// (one statement) before it goes out, so concurrent runs (two `serve` processes, a cron run)
// never send one twice, and is recorded as sent once the server has accepted it, in the
// transaction that claims the next mail (one commit per mail; the last one, or the one before
// a failure or an error, is recorded on its own). So at most one mail at a time is accepted and
// not yet recorded: a run killed then leaves it "sending", to be sent again once its claim
// lapses (at least once, never lost). A failure leaves it unsent until
// its retry time, by the deliveries' rule (core/retry.hpp: 1 min doubling to at most 6 h), and
// a mail still failing 3 days after it was queued is given up (state 'failed'). An invite mail is
// written from its invite now (mail::InviteMailWriter); the others carry their words.
class MailSender {
 public:
  MailSender(Env& env, net::Mailer& mailer, MailConfig config);

  // Every unsent mail, oldest first. Backoff::wait (serve's mail worker) leaves a failing mail
  // until its retry time; Backoff::ignore (an admin's command, which asks for a try now) takes
  // it at once.
  enum class Backoff { wait, ignore };
  SendReport send_unsent(Backoff backoff, const Progress& progress = {});
  // These mails only.
  SendReport send(const std::vector<std::int64_t>& mail_ids, const Progress& progress = {});

 private:
  // A mail the server accepted, to be recorded as sent.
  struct Accepted {
    std::int64_t id = 0;
    std::string message_id;
    UnixTime at = 0;
    std::string action, target;
    Json details;
  };
  // Records the accepted mail (if any) and runs `claim` in one transaction.
  template <class Claim>
  std::optional<MailRow> record_and_claim(SendReport& report, Claim&& claim);
  // Records the accepted mail, if any, in a transaction of its own.
  void record_accepted(SendReport& report);
  void record_accepted_after_error(SendReport& report) noexcept;
  void write_accepted();
  void count_accepted(SendReport& report);
  // False when sending should stop (the server or the connection failed).
  bool deliver(const MailRow& row, SendReport& report);
  // The mail's words and the audit entry its sending writes (action, target).
  Message compose(const MailRow& row, std::string& action, std::string& target);
  void retry_or_give_up(const MailRow& row, const std::string& error, SendReport& report);
  void finish(SendReport& report);
  Env& m_env;
  net::Mailer& m_mailer;
  MailConfig m_config;
  MailStore m_store;
  Site m_site;
  int m_consecutive_failures = 0;
  std::optional<Accepted> m_accepted;
};

}  // namespace instctl::mail
