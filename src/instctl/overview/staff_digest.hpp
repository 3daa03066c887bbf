#pragma once

// The daily digest for moderators and admins who chose it (`users modify --notify digest`):
// instead of a mail per new report and per sign-up waiting for approval, one mail a day
// about those that came since their last digest. Queued by serve's mail worker
// (mail/mail_loop.hpp, through mail::DueMails) and by `instctl mails digest` (for cron),
// whichever comes first: each
// account's digest is claimed with one UPDATE (accounts.digest_at) in the transaction that
// queues it, so two serve processes and a cron run queue one digest a day. A day with
// nothing new is claimed without a mail. Only ever to active local moderators and admins
// (users::staff_for).

#include <cstdint>
#include <string>
#include <vector>

#include "instctl/db/env.hpp"
#include "instctl/mail/mail_seams.hpp"
#include "instctl/mail/mail_template.hpp"
#include "instctl/users/user.hpp"

namespace instctl::overview {

using mail::Composed;
using mail::Site;

// A digest is due a day after the last one.
inline constexpr std::int64_t k_digest_period = 86400;

struct DigestReport {
  struct Item {
    std::int64_t id = 0;
    std::string target, reporter, category;
    UnixTime at = 0;
  };
  std::vector<Item> reports;
  std::vector<users::User> pending;
  UnixTime since = 0, until = 0;
};
// The words of one digest to `to`. Pure.
Composed digest_message(const Site& site, const users::User& to, const DigestReport& d);

struct DigestRun {
  std::vector<std::int64_t> mail_ids;  // the digests queued
  std::size_t claimed = 0;             // accounts whose digest was due (with or without a mail)
};

class StaffDigest {
 public:
  explicit StaffDigest(Env& env) : m_env(env) {}
  // Queues every due digest (nothing when mail is not enabled).
  DigestRun queue_due();

 private:
  Env& m_env;
};

// The digests as serve's mail worker queues them at each round (mail::DueMails).
class DueDigests final : public mail::DueMails {
 public:
  void queue_due(Env& env) override;
};

}  // namespace instctl::overview
