#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/db/connection.hpp"

namespace instctl::mail {

// One queued mail of any kind: unsent -> sending (claimed by one process) -> sent, or back to
// unsent when the send failed, to be tried again at next_attempt_at (the retry rule,
// core/retry.hpp), or failed once it was given up; an invite mail is cancelled when its
// invite was revoked first.
// An invite mail is written from its invite when it is sent; every other kind carries the
// subject and body it was written with when queued.
struct MailRow {
  std::int64_t id = 0;
  std::string kind;
  std::optional<std::int64_t> invite_id;
  std::string recipient;
  std::optional<std::string> subject;
  std::optional<std::string> body;
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
// A `due_by` that takes every unsent mail, whatever its retry time.
inline constexpr UnixTime k_any_time = std::numeric_limits<UnixTime>::max() / 2;

// SQL only; no rules.
class MailStore {
 public:
  explicit MailStore(db::Connection& db) : m_db(db) {}

  // An invite mail, written from the invite when it is sent.
  std::int64_t enqueue(std::int64_t invite_id, const std::string& recipient, UnixTime now);
  // A mail of another kind, with its words.
  std::int64_t enqueue_composed(std::string_view kind, const std::string& recipient,
                                const std::string& subject, const std::string& body, UnixTime now);
  std::optional<std::int64_t> unsent_for_invite(std::int64_t invite_id);
  // Claims the oldest claimable mail (unsent with its retry time not after `due_by`, or
  // sending past its lease) after `after_id` whose invite is not revoked, in one statement:
  // two processes never claim the same row. A claim fixes the mail's Message-ID before its
  // first send (`message_id`, unless it has one already), so a send repeated after a crash
  // carries the same Message-ID and mail clients show one message.
  std::optional<MailRow> claim_next(std::int64_t after_id, UnixTime now, UnixTime due_by,
                                    const std::string& message_id);
  // Claims this mail if it is claimable, whatever its retry time (an admin asked for it).
  std::optional<MailRow> claim(std::int64_t id, UnixTime now, const std::string& message_id);
  void mark_sent(std::int64_t id, const std::string& message_id, UnixTime now);
  // A failed send: unsent again, with the reason, claimable from `next_attempt_at`.
  void release(std::int64_t id, const std::string& error, UnixTime next_attempt_at);
  // A failed send that is not tried again: state 'failed', with the reason.
  void give_up(std::int64_t id, const std::string& error);
  // Mails a sender would claim now.
  std::int64_t count_due(UnixTime now);
  void cancel_unsent(std::int64_t invite_id);
  std::vector<MailRow> for_invite(std::int64_t invite_id);
  // Every state, for one kind or ("") for all.
  std::map<std::string, std::int64_t> count_by_state(std::string_view kind = "");
  // kind -> state -> count, for the kinds that have mails.
  std::map<std::string, std::map<std::string, std::int64_t>> count_by_kind();
  // Unsent mails whose last attempt failed (they wait for their retry time).
  std::int64_t count_failing();
  // Attempts that did not end in a sent mail, over every mail kept: each claim counts one
  // attempt, and a sent or still sending mail's last attempt is not a failure.
  std::int64_t failed_attempts();

 private:
  db::Connection& m_db;
};

}  // namespace instctl::mail
