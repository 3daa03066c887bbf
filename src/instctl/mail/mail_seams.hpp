#pragma once

// What the mail concept needs from the concepts above it, declared here, implemented there and
// registered by the composition root (core/seams.hpp).

#include <cstdint>
#include <string>
#include <vector>

#include "instctl/db/env.hpp"
#include "instctl/mail/mail_template.hpp"

namespace instctl::mail {

// Mails queued by the clock, at each round of serve's mail worker before it sends: the staff's
// daily digests (overview/staff_digest.hpp).
class DueMails {
 public:
  virtual ~DueMails() = default;
  virtual void queue_due(Env& env) = 0;
};

// An invite mail is written from its invite when it is sent, so it says what the invite says
// then (invites/invite_mail.hpp).
struct WrittenMail {
  Composed words;
  std::string audit_target;  // the invite, for the audit entry of its sending
};
class InviteMailWriter {
 public:
  virtual ~InviteMailWriter() = default;
  virtual WrittenMail write(Env& env, const Site& site, std::int64_t invite_id) = 0;
};

// The registered implementations; Error(internal) when the Env has no seams wired.
std::vector<DueMails*> due_mails(const Env& env);
InviteMailWriter& invite_mail_writer(const Env& env);

}  // namespace instctl::mail
