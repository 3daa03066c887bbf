#include "instctl/users/import.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <memory>
#include <unordered_map>
#include <vector>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/crypto/digest.hpp"
#include "instctl/crypto/random.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/mail/mail_store.hpp"
#include "instctl/users/account_events.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/users/validation.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::users {

namespace {

constexpr std::size_t k_token_bytes = 32;
// Rows per multi-row INSERT: 7,000 parameters, within both engines' limits.
constexpr std::size_t k_chunk_rows = 500;

// The accounts this import created, with the line that created each. Kept in pages of ids,
// so memory follows the number of accounts created (4 bytes each), not the file's size.
class CreatedAccounts {
 public:
  void mark(std::int64_t id, std::size_t line) {
    auto& page = m_pages[id >> k_shift];
    if (!page) page = std::make_unique<Page>();
    (*page)[static_cast<std::size_t>(id & k_mask)] = static_cast<std::uint32_t>(line);
  }
  // 0 when this import did not create the account.
  std::size_t line_of(std::int64_t id) const {
    const auto it = m_pages.find(id >> k_shift);
    return it == m_pages.end() ? 0 : (*it->second)[static_cast<std::size_t>(id & k_mask)];
  }

 private:
  static constexpr int k_shift = 12;
  static constexpr std::int64_t k_mask = (1 << k_shift) - 1;
  using Page = std::array<std::uint32_t, 1 << k_shift>;
  std::unordered_map<std::int64_t, std::unique_ptr<Page>> m_pages;
};

// A username or email address as the duplicate check records it, and the first line that
// named it (0: none before this row).
struct Key {
  std::string key;
  std::size_t first = 0;
};

// A row whose values passed validation, ready to write.
struct Candidate {
  std::size_t index = 0;  // into the batch's outcomes
  NewLocalUser user;
  // What the file gives; a field it lacks keeps an existing user's value on update.
  bool has_role = false;
  bool has_display_name = false;
  bool has_note = false;
  std::optional<std::string> token;  // the activation token, shown once
};

// Why the row's values are unacceptable, using the same rules as `users create`. The values
// move into the candidate.
std::optional<std::string> check_values(ImportRow& row, Candidate& c) {
  auto& username = row.fields[static_cast<std::size_t>(ImportField::username)];
  auto& email = row.fields[static_cast<std::size_t>(ImportField::email)];
  auto& display_name = row.fields[static_cast<std::size_t>(ImportField::display_name)];
  auto& note = row.fields[static_cast<std::size_t>(ImportField::note)];
  const auto& role = row.get(ImportField::role);
  if (!username) return "the username is missing";
  if (!email) return "the email address is missing";
  CreateRequest req;
  req.username = *username;
  req.email = *email;
  if (display_name) req.display_name = *display_name;
  if (note) req.note = *note;
  if (auto problems = UserService::validate(req); !problems.empty())
    return problems.front().message;
  if (display_name) {
    c.has_display_name = true;
    c.user.display_name = std::move(*display_name);
  }
  if (note) {
    c.has_note = true;
    c.user.note = std::move(*note);
  }
  if (role && !util::trim(*role).empty()) {
    try {
      c.user.role = parse_role(util::trim(*role));
    } catch (const Error& e) {
      return std::string(e.what());
    }
    c.has_role = true;
  }
  c.user.username = std::move(*username);
  c.user.email = normalize_email(*email);
  return std::nullopt;
}

class Importer {
 public:
  Importer(Env& env, const ImportOptions& options, ImportListener& listener)
      : m_env(env), m_options(options), m_listener(listener), m_store(env.db), m_users(env) {}

  // The first `n` rows.
  void run_batch(std::vector<ImportRow>& rows, std::size_t n, ImportSummary& summary) {
    m_outcomes.assign(n, RowOutcome{});
    std::vector<Candidate> candidates;
    candidates.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
      auto& out = m_outcomes[i];
      out.line = rows[i].line;
      if (const auto& u = rows[i].get(ImportField::username)) out.username = *u;
      if (const auto& e = rows[i].get(ImportField::email)) out.email = *e;
      Candidate c;
      c.index = i;
      auto problem = rows[i].problem ? rows[i].problem : check_values(rows[i], c);
      if (problem) {
        fail(out, std::move(*problem));
        continue;
      }
      out.email = c.user.email;
      candidates.push_back(std::move(c));
    }
    if (!m_options.dry_run) add_activation_tokens(candidates);
    {
      std::optional<db::Transaction> tx;
      if (!m_options.dry_run) tx.emplace(m_env.db);  // a dry run holds one for the whole file
      const UnixTime now = m_env.clock.now();
      write_all(candidates, now);
      if (tx) tx->commit();
    }
    for (auto& out : m_outcomes) {
      count(out.result, summary);
      m_listener.row_done(out);
    }
  }

 private:
  static void fail(RowOutcome& out, std::string reason) {
    out.result = RowResult::failed;
    out.reason = std::move(reason);
  }

  static void count(RowResult r, ImportSummary& s) {
    ++s.rows;
    switch (r) {
      case RowResult::created:
        ++s.created;
        break;
      case RowResult::updated:
        ++s.updated;
        break;
      case RowResult::skipped:
        ++s.skipped;
        break;
      case RowResult::failed:
        ++s.failed;
        break;
    }
  }

  // One call to the CSPRNG per batch; each token is stored only as its hash.
  void add_activation_tokens(std::vector<Candidate>& candidates) {
    const std::string bytes = crypto::random_bytes(k_token_bytes * candidates.size());
    const UnixTime expires = m_env.clock.now() + k_activation_validity;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
      auto& c = candidates[i];
      c.token =
          util::base64url_encode(std::string_view(bytes).substr(i * k_token_bytes, k_token_bytes));
      c.user.activation_token_hash = crypto::sha256_hex(*c.token);
      c.user.activation_expires_at = expires;
    }
  }

  // Rows go in chunks, one multi-row INSERT each. A chunk where a row meets a taken username
  // or email address, or a key an earlier row named, goes again row by row, which finds and
  // explains that row: the outcome is the same, rows of new users just cost less.
  void write_all(std::vector<Candidate>& candidates, UnixTime now) {
    for (std::size_t begin = 0; begin < candidates.size(); begin += k_chunk_rows) {
      const std::size_t end = std::min(candidates.size(), begin + k_chunk_rows);
      if (insert_chunk(candidates, begin, end, now)) continue;
      for (std::size_t i = begin; i < end; ++i) {
        write(candidates[i], m_outcomes[candidates[i].index], now);
      }
    }
  }

  bool insert_chunk(std::vector<Candidate>& candidates, std::size_t begin, std::size_t end,
                    UnixTime now) {
    std::vector<std::string> keys;
    std::vector<const NewLocalUser*> users;
    for (std::size_t i = begin; i < end; ++i) {
      keys.push_back(name_key(candidates[i].user));
      keys.push_back(address_key(candidates[i].user));
      users.push_back(&candidates[i].user);
    }
    if (m_store.any_claimed(keys)) return false;
    const auto ids = m_store.insert_all_or_none(users, now);
    if (!ids) return false;
    for (std::size_t i = begin; i < end; ++i) {
      created(candidates[i], m_outcomes[candidates[i].index], (*ids)[i - begin], now);
    }
    return true;
  }

  void created(const Candidate& c, RowOutcome& out, std::int64_t id, UnixTime now) {
    m_created.mark(id, out.line);
    out.result = RowResult::created;
    if (m_options.invite) return invite(c, out, now);
    if (c.token) out.activation_url = m_users.activation_url(*c.token);
  }

  static std::string name_key(const NewLocalUser& u) { return "u:" + username_key(u.username); }
  static std::string address_key(const NewLocalUser& u) { return "e:" + email_key(u.email); }

  // A created row's keys are in the accounts table, and the line that created each account
  // is in m_created. Every other row that passed validation records its keys in the store,
  // with the first line that named them, so a later row naming one again is a duplicate
  // whatever became of the first.
  void write(Candidate& c, RowOutcome& out, UnixTime now) {
    const std::size_t line = out.line;
    Key name{name_key(c.user)};
    Key email{address_key(c.user)};
    name.first = m_store.claimed_by(name.key);
    email.first = m_store.claimed_by(email.key);
    if (name.first == 0 && email.first == 0) {
      if (const auto id = m_store.insert_unless_taken(c.user, now))
        return created(c, out, *id, now);
    }
    const auto by_name = m_store.by_username(c.user.username);
    const auto by_email = m_store.by_email(c.user.email);
    if (name.first == 0 && by_name) name.first = m_created.line_of(by_name->id);
    if (email.first == 0 && by_email) email.first = m_created.line_of(by_email->id);
    m_store.claim_key(name.key, name.first != 0 ? name.first : line);
    m_store.claim_key(email.key, email.first != 0 ? email.first : line);
    if (name.first != 0) {
      return fail(out, fmt::format("duplicate: the username '{}' is also on line {}",
                                   c.user.username, name.first));
    }
    if (email.first != 0) {
      return fail(out, fmt::format("duplicate: the email address {} is also on line {}",
                                   c.user.email, email.first));
    }
    switch (m_options.on_conflict) {
      case OnConflict::fail:
        return fail(out, conflict_reason(c, by_name, by_email));
      case OnConflict::skip:
        return skip(out, by_name, by_email);
      case OnConflict::update:
        return update(c, out, by_name, by_email, now);
    }
  }

  // The activation token stays unshown: the invite is the way in.
  void invite(const Candidate& c, RowOutcome& out, UnixTime now) {
    const auto inv = invitations(m_env).issue_for(m_env, c.user.email);
    if (m_options.queue_mail) mail::MailStore(m_env.db).enqueue(inv.id, c.user.email, now);
    if (!m_options.dry_run) out.invite_url = inv.url;
  }

  static std::string conflict_reason(const Candidate& c, const std::optional<TakenBy>& by_name,
                                     const std::optional<TakenBy>& by_email) {
    if (by_name && by_name->deleted) {
      return fmt::format("the username '{}' belonged to a deleted account and is never reused",
                         by_name->username);
    }
    if (by_name) {
      return fmt::format(
          "the user '{}' already exists (--on-conflict skip leaves existing "
          "users alone, --on-conflict update changes them)",
          by_name->username);
    }
    return fmt::format("the email address {} already belongs to the user '{}'", c.user.email,
                       by_email ? by_email->username : "?");
  }

  static void skip(RowOutcome& out, const std::optional<TakenBy>& by_name,
                   const std::optional<TakenBy>& by_email) {
    out.result = RowResult::skipped;
    out.reason = by_name ? fmt::format("the user '{}' exists", by_name->username)
                         : fmt::format("the email address belongs to the user '{}'",
                                       by_email ? by_email->username : "?");
  }

  void update(const Candidate& c, RowOutcome& out, const std::optional<TakenBy>& by_name,
              const std::optional<TakenBy>& by_email, UnixTime now) {
    if (!by_name) {
      return fail(out, fmt::format("the email address {} already belongs to the user '{}' (a "
                                   "row updates the user its username names)",
                                   c.user.email, by_email ? by_email->username : "?"));
    }
    if (by_name->deleted) {
      return fail(out,
                  fmt::format("the user '{}' is deleted and cannot be updated", by_name->username));
    }
    if (by_email && by_email->id != by_name->id) {
      return fail(out, fmt::format("the email address {} already belongs to the user '{}'",
                                   c.user.email, by_email->username));
    }
    const auto given = [](bool has, const auto& value) {
      return has ? std::optional(value) : std::nullopt;
    };
    m_store.update_profile(by_name->id, c.user.email,
                           given(c.has_display_name, c.user.display_name),
                           given(c.has_role, c.user.role), given(c.has_note, c.user.note), now);
    out.result = RowResult::updated;
  }

  Env& m_env;
  const ImportOptions& m_options;
  ImportListener& m_listener;
  AccountStore::Bulk m_store;
  UserService m_users;
  CreatedAccounts m_created;
  std::vector<RowOutcome> m_outcomes;
};

void record_audit(Env& env, const ByteReader& in, const ImportSummary& s) {
  db::Transaction tx(env.db);
  Json details = to_json(s);
  details.erase("dry_run");
  audit::record(env, "users.import", fmt::format("file:{}", in.name()), details);
  tx.commit();
}

}  // namespace

const char* to_string(OnConflict c) {
  switch (c) {
    case OnConflict::fail:
      return "fail";
    case OnConflict::skip:
      return "skip";
    case OnConflict::update:
      return "update";
  }
  return "fail";
}

OnConflict parse_on_conflict(std::string_view s) {
  for (auto c : {OnConflict::fail, OnConflict::skip, OnConflict::update}) {
    if (s == to_string(c)) return c;
  }
  throw Error(ErrorKind::usage,
              fmt::format("unknown --on-conflict '{}': use fail, skip or update", s));
}

const char* to_string(RowResult r) {
  switch (r) {
    case RowResult::created:
      return "created";
    case RowResult::updated:
      return "updated";
    case RowResult::skipped:
      return "skipped";
    case RowResult::failed:
      return "failed";
  }
  return "failed";
}

Json to_json(const RowOutcome& o) {
  Json j{{"line", o.line},
         {"result", to_string(o.result)},
         {"username", o.username},
         {"email", o.email}};
  if (!o.reason.empty()) j["reason"] = o.reason;
  if (o.invite_url) {
    j["invite_url"] = *o.invite_url;
  } else if (o.result == RowResult::created) {
    j["activation_url"] = o.activation_url ? Json(*o.activation_url) : Json(nullptr);
  }
  return j;
}

Json to_json(const ImportSummary& s) {
  return Json{{"format", to_string(s.format)}, {"on_conflict", to_string(s.on_conflict)},
              {"dry_run", s.dry_run},          {"rows", s.rows},
              {"created", s.created},          {"updated", s.updated},
              {"skipped", s.skipped},          {"failed", s.failed}};
}

ImportSummary import_users(Env& env, ByteReader& in, const ImportOptions& options,
                           ImportListener& listener) {
  ImportSummary summary;
  summary.format = options.format ? *options.format : detect_import_format(in);
  summary.on_conflict = options.on_conflict;
  summary.dry_run = options.dry_run;
  auto source = open_rows(summary.format, in);
  Importer importer(env, options, listener);
  // A dry run makes every change inside one transaction and rolls it back at the end, so what
  // it reports is exactly what a real run would do.
  std::optional<db::Transaction> dry_run;
  if (options.dry_run) dry_run.emplace(env.db);
  std::vector<ImportRow> batch(options.batch_size);
  for (;;) {
    std::size_t n = 0;
    while (n < batch.size() && source->next(batch[n])) ++n;
    if (n == 0) break;
    importer.run_batch(batch, n, summary);
    listener.progress(in.consumed(), in.size());
    if (n < batch.size()) break;
  }
  if (!options.dry_run) record_audit(env, in, summary);
  return summary;
}

}  // namespace instctl::users
