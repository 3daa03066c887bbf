#include "instctl/mail/mail_seams.hpp"

namespace instctl::mail {

std::vector<DueMails*> due_mails(const Env& env) { return wired<DueMails>(env.seams); }

InviteMailWriter& invite_mail_writer(const Env& env) {
  return wired_one<InviteMailWriter>(env.seams);
}

}  // namespace instctl::mail
