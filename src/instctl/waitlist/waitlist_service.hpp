#pragma once

#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "instctl/core/error.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"
#include "instctl/invites/invite.hpp"
#include "instctl/users/registration.hpp"
#include "instctl/waitlist/entry.hpp"
#include "instctl/waitlist/waitlist_store.hpp"

namespace instctl::waitlist {

struct AddRequest {
  std::string email;
  std::optional<std::string> username;
  std::string reason;
  std::string source;
  std::int64_t priority = 0;
  // sign_up: the public page (needs waitlist.enabled, and a reason when
  // registrations.require_reason is set); admin: the command line.
  users::Channel channel = users::Channel::admin;
};

struct AdmitOptions {
  std::optional<UnixTime> expires_at;
  bool queue_mail = false;  // record an unsent mail with each admission, for --send
};

struct Admission {
  Entry entry;
  invites::Invite invite;
  std::optional<std::int64_t> mail_id;
};

struct ImportRow {
  std::size_t line = 0;
  AddRequest request;
};
struct ImportProblem {
  std::size_t line = 0;
  std::string email;
  std::string reason;
};
struct ImportReport {
  std::vector<Entry> added;
  std::vector<ImportProblem> problems;
};

using Progress = std::function<void(std::size_t done, std::size_t total)>;

// What a confirmation link found (`entry` unless the link is unknown).
struct Confirmation {
  ConfirmState state = ConfirmState::unknown;
  std::optional<Entry> entry;
};

// What a join from the public page found: the new entry, the address's own entry (on the
// waitlist already: only its own place is told), or an account that holds the address.
enum class JoinState { joined, listed, has_account };
struct Joined {
  JoinState state = JoinState::joined;
  std::optional<Entry> entry;  // joined, listed
};

// The rules about the waitlist, shared by the command line and the server.
class WaitlistService {
 public:
  explicit WaitlistService(Env& env);

  // An entry from the public page (channel sign_up) waits for its address to be confirmed when
  // mail is enabled: a confirmation mail with a one-time link is queued in the same
  // transaction. Entries an admin adds, and every entry while mail is off (no link could
  // reach anyone), are confirmed at once.
  Entry add(const AddRequest& req);
  // add() for the public page: an address on the waitlist already, or an account's, is an
  // answer for the person, not an error; every other refusal throws as add()'s does.
  Joined join(const AddRequest& req);
  // Every problem with the request's own values (email, username, reason), without reading
  // the database: what add() and import refuse first, and what a form shows all at once.
  static Problems validate(const AddRequest& req);

  // The confirmation link /waitlist/confirm/TOKEN: what it would do, then doing it (once; a
  // second use finds `confirmed`). Unconfirmed entries older than waitlist.confirm_within are
  // `expired`.
  Confirmation check_confirmation(std::string_view token);
  Confirmation confirm(std::string_view token);
  // Removes the entries not confirmed within waitlist.confirm_within (`process` does, first);
  // their addresses, which may join again.
  std::vector<std::string> purge_unconfirmed();
  // waitlist.confirm_within in seconds.
  std::int64_t confirm_within();
  // Adds every acceptable row (each on its own, so one bad row loses nothing else) and
  // reports the rest with their line numbers.
  ImportReport import(const std::vector<ImportRow>& rows, const Progress& progress = {});

  std::vector<Entry> list(std::optional<EntryStatus> status, std::int64_t limit);
  // EMAIL, ID or id:N; not_found otherwise.
  Entry find(std::string_view ref);
  // The entry made with this address (compared as the waitlist compares addresses), if any.
  std::optional<Entry> by_email(std::string_view email);

  // Each named waiting entry gets a single-use invite bound to its address. All or nothing.
  std::vector<Admission> admit(const std::vector<std::string>& refs, const AdmitOptions& opts);
  // The cron job: admits the next n confirmed waiting entries in queue order. Each chunk of entries
  // is claimed and given its invites in one transaction, so a crash leaves every entry either
  // admitted with its invite or still waiting, and concurrent runs never admit one twice.
  std::vector<Admission> process(std::int64_t n, const AdmitOptions& opts,
                                 const Progress& progress = {});
  // The entries `process` would admit now.
  std::vector<Entry> next(std::int64_t n);

  std::vector<Entry> reject(const std::vector<std::string>& refs,
                            const std::optional<std::string>& reason);
  std::vector<Entry> remove(const std::vector<std::string>& refs);

  // Counts per status, joins per day (30 days), conversion (joined / invited ever).
  Json stats();

 private:
  // Why this request cannot be added (read inside the caller's transaction), or nothing; a
  // conflict with the address's own entry or account says which (`standing`).
  enum class Standing { none, listed, has_account };
  struct Refusal {
    ErrorKind kind = ErrorKind::usage;
    Problem problem;
    Standing standing = Standing::none;
    std::optional<Entry> entry{};  // listed
  };
  std::optional<Refusal> problem(const AddRequest& req);
  // add() and join(): the new entry, or why not, inside the caller's transaction.
  std::variant<Entry, Refusal> insert_checked(const AddRequest& req);
  Admission admit_claimed(std::int64_t id, const std::string& email, const AdmitOptions& opts);
  // Before now - confirm_within: the unconfirmed entries made then have expired.
  UnixTime confirm_cutoff();
  // A new entry's confirmation: its token hash, and the mail with the link, queued.
  std::optional<std::string> start_confirmation(const std::string& email);
  Env& m_env;
  WaitlistStore m_store;
};

}  // namespace instctl::waitlist
