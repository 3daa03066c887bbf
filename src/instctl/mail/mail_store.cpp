#include "instctl/mail/mail_store.hpp"

#include <fmt/format.h>

#include "instctl/db/dialect.hpp"

namespace instctl::mail {

namespace {
const char* const k_columns =
    "id, kind, invite_id, recipient, subject, body, state, attempts, last_error, sent_at, "
    "message_id, created_at";

MailRow read_row(db::Statement& st) {
  MailRow r;
  st.read_all(r.id, r.kind, r.invite_id, r.recipient, r.subject, r.body, r.state, r.attempts,
              r.last_error, r.sent_at, r.message_id, r.created_at);
  return r;
}

std::optional<MailRow> one(db::Statement& st) {
  if (!st.step()) return std::nullopt;
  MailRow r = read_row(st);
  st.run();
  return r;
}
}  // namespace

std::int64_t MailStore::enqueue(std::int64_t invite_id, const std::string& recipient,
                                UnixTime now) {
  auto st = m_db.prepare(
      "INSERT INTO mails (invite_id, recipient, created_at) VALUES (?, ?, ?) RETURNING id");
  st->bind_all(invite_id, recipient, now);
  st->step();
  const auto id = st->get_int(0);
  st->reset();
  return id;
}

std::int64_t MailStore::enqueue_composed(std::string_view kind, const std::string& recipient,
                                         const std::string& subject, const std::string& body,
                                         UnixTime now) {
  auto st = m_db.prepare(
      "INSERT INTO mails (kind, recipient, subject, body, created_at) VALUES (?, ?, ?, ?, ?) "
      "RETURNING id");
  st->bind_all(std::string(kind), recipient, subject, body, now);
  st->step();
  const auto id = st->get_int(0);
  st->reset();
  return id;
}

std::optional<std::int64_t> MailStore::unsent_for_invite(std::int64_t invite_id) {
  auto st = m_db.prepare(
      "SELECT id FROM mails WHERE invite_id = ? AND state = 'unsent' ORDER BY id LIMIT 1");
  st->bind_all(invite_id);
  if (!st->step()) return std::nullopt;
  return st->get_int(0);
}

namespace {
// Unsent and due (its retry time is not after the first parameter), or sending past its lease
// (the second parameter: the lease cut-off).
std::string claimable(std::string_view table) {
  return fmt::format(
      "(({0}state = 'unsent' AND {0}next_attempt_at <= ?) OR "
      "({0}state = 'sending' AND {0}claimed_at <= ?))",
      table);
}
}  // namespace

namespace {
const char* const k_claim =
    "UPDATE mails SET state = 'sending', claimed_at = ?, attempts = attempts + 1, "
    "message_id = coalesce(message_id, ?) ";
}  // namespace

std::optional<MailRow> MailStore::claim_next(std::int64_t after_id, UnixTime now, UnixTime due_by,
                                             const std::string& message_id) {
  // Each state is looked up on its own, walking mails_state (state, id) from after_id and
  // stopping at its first match: one OR over both states would collect and sort every
  // remaining row, at every claim, so that a batch would cost the square of its size.
  // The outer condition is checked again against the row as it is when the update takes it,
  // so a row another process claimed meanwhile is not claimed twice.
  const auto first = [this](std::string_view state, std::string_view due) {
    return fmt::format(
        "SELECT id FROM (SELECT m.id FROM mails m LEFT JOIN invites i ON i.id = m.invite_id "
        "WHERE m.state = '{}' AND m.id > ? AND m.{} <= ? AND "
        "(m.invite_id IS NULL OR i.revoked_at IS NULL) ORDER BY m.id LIMIT 1{}) AS {}",
        state, due, db::skip_locked(m_db.dialect(), "m"), state);
  };
  auto st = m_db.prepare(
      fmt::format("{}WHERE id = (SELECT min(id) FROM ({} UNION ALL {}) AS c) AND {} RETURNING {}",
                  k_claim, first("unsent", "next_attempt_at"), first("sending", "claimed_at"),
                  claimable(""), k_columns));
  st->bind_all(now, message_id, after_id, due_by, after_id, now - k_mail_claim_lease, due_by,
               now - k_mail_claim_lease);
  return one(*st);
}

std::optional<MailRow> MailStore::claim(std::int64_t id, UnixTime now,
                                        const std::string& message_id) {
  auto st = m_db.prepare(
      fmt::format("{}WHERE id = ? AND {} RETURNING {}", k_claim, claimable(""), k_columns));
  st->bind_all(now, message_id, id, k_any_time, now - k_mail_claim_lease);
  return one(*st);
}

void MailStore::mark_sent(std::int64_t id, const std::string& message_id, UnixTime now) {
  m_db.prepare(
          "UPDATE mails SET state = 'sent', sent_at = ?, message_id = ?, last_error = NULL "
          "WHERE id = ?")
      ->bind_all(now, message_id, id)
      .run();
}

void MailStore::release(std::int64_t id, const std::string& error, UnixTime next_attempt_at) {
  m_db.prepare(
          "UPDATE mails SET state = 'unsent', last_error = ?, next_attempt_at = ? "
          "WHERE id = ? AND state = 'sending'")
      ->bind_all(error, next_attempt_at, id)
      .run();
}

void MailStore::give_up(std::int64_t id, const std::string& error) {
  m_db.prepare(
          "UPDATE mails SET state = 'failed', last_error = ? WHERE id = ? AND state = 'sending'")
      ->bind_all(error, id)
      .run();
}

std::int64_t MailStore::count_due(UnixTime now) {
  auto st = m_db.prepare(fmt::format("SELECT count(*) FROM mails WHERE {}", claimable("")));
  st->bind_all(now, now - k_mail_claim_lease);
  st->step();
  return st->get_int(0);
}

void MailStore::cancel_unsent(std::int64_t invite_id) {
  m_db.prepare("UPDATE mails SET state = 'cancelled' WHERE invite_id = ? AND state = 'unsent'")
      ->bind_all(invite_id)
      .run();
}

std::vector<MailRow> MailStore::for_invite(std::int64_t invite_id) {
  auto st = m_db.prepare(std::string("SELECT ") + k_columns +
                         " FROM mails WHERE invite_id = ? ORDER BY id");
  st->bind_all(invite_id);
  std::vector<MailRow> out;
  while (st->step()) out.push_back(read_row(*st));
  return out;
}

namespace {
std::map<std::string, std::int64_t> every_state() {
  return {{"unsent", 0}, {"sending", 0}, {"sent", 0}, {"cancelled", 0}, {"failed", 0}};
}
}  // namespace

std::map<std::string, std::int64_t> MailStore::count_by_state(std::string_view kind) {
  auto out = every_state();
  auto st = m_db.prepare(
      "SELECT state, count(*) FROM mails WHERE CAST(? AS TEXT) = '' OR kind = ? GROUP BY state");
  st->bind_all(std::string(kind), std::string(kind));
  while (st->step()) out[st->get_text(0)] = st->get_int(1);
  return out;
}

std::int64_t MailStore::count_failing() {
  auto st =
      m_db.prepare("SELECT count(*) FROM mails WHERE state = 'unsent' AND last_error IS NOT NULL");
  st->step();
  return st->get_int(0);
}

std::int64_t MailStore::failed_attempts() {
  auto st = m_db.prepare(
      "SELECT CAST(coalesce(sum(CASE WHEN state IN ('sent', 'sending') AND attempts > 0 "
      "THEN attempts - 1 ELSE attempts END), 0) AS BIGINT) FROM mails");
  st->step();
  return st->get_int(0);
}

std::map<std::string, std::map<std::string, std::int64_t>> MailStore::count_by_kind() {
  std::map<std::string, std::map<std::string, std::int64_t>> out;
  auto st = m_db.prepare("SELECT kind, state, count(*) FROM mails GROUP BY kind, state");
  while (st->step()) {
    auto [it, fresh] = out.try_emplace(st->get_text(0), every_state());
    it->second[st->get_text(1)] = st->get_int(2);
  }
  return out;
}

}  // namespace instctl::mail
