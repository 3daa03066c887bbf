#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::mail {

// One invite mail: unsent -> sending (claimed by one process) -> sent, or back to unsent when
// the send failed; cancelled when its invite was revoked first.
struct MailRow {
  std::int64_t id = 0;
  std::int64_t invite_id = 0;
  std::string recipient;
  std::string state;
  std::int64_t attempts = 0;
  std::optional<std::string> last_error;
  std::optional<UnixTime> sent_at;
  std::optional<std::string> message_id;
  UnixTime created_at = 0;
};

// A mail left "sending" longer than this was claimed by a run that died before it could mark
// it sent or failed (killed, or the machine went down); the next run claims it again. Far
// longer than an SMTP conversation may take (net::SmtpConfig::timeout_seconds). A run killed
// after the server accepted the message and before it was marked sent may so send it twice:
// at least once, never lost.
inline constexpr std::int64_t k_mail_claim_lease = 15 * 60;

// SQL only; no rules.
class MailStore {
 public:
  explicit MailStore(db::Connection& db) : m_db(db) {}

  std::int64_t enqueue(std::int64_t invite_id, const std::string& recipient, UnixTime now);
  std::optional<std::int64_t> unsent_for_invite(std::int64_t invite_id);
  // Claims the oldest claimable mail (unsent, or sending past its lease) after `after_id`
  // whose invite is not revoked, in one statement: two processes never claim the same row.
  std::optional<MailRow> claim_next(std::int64_t after_id, UnixTime now);
  // Claims this mail if it is claimable.
  std::optional<MailRow> claim(std::int64_t id, UnixTime now);
  // Fixes the Message-ID of a claimed mail before its first send, so a send repeated after a
  // crash carries the same Message-ID and mail clients show one message.
  void set_message_id(std::int64_t id, const std::string& message_id);
  void mark_sent(std::int64_t id, const std::string& message_id, UnixTime now);
  // A failed send: unsent again, with the reason, for the next run.
  void release(std::int64_t id, const std::string& error);
  void cancel_unsent(std::int64_t invite_id);
  std::vector<MailRow> for_invite(std::int64_t invite_id);
  std::map<std::string, std::int64_t> count_by_state();
  // Unsent mails whose last attempt failed (they wait for the next --send run).
  std::int64_t count_failing();
  // Attempts that did not end in a sent mail, over every mail kept: each claim counts one
  // attempt, and a sent or still sending mail's last attempt is not a failure.
  std::int64_t failed_attempts();

 private:
  db::Connection& m_db;
};

}  // namespace instctl::mail
