#pragma once

#include <string>

#include "instctl/invites/handle_offer.hpp"
#include "instctl/invites/invite.hpp"
#include "instctl/mail/mail_seams.hpp"
#include "instctl/mail/mail_template.hpp"

namespace instctl::invites {

// The invite mail (mail/templates/invite.mustache): the instance's name, the link, the handle
// (in the invite page's words, handle_sentence), the inviter's message and the expiry.
mail::Composed invite_message(const mail::Site& site, const Invite& inv, const HandleOffer& handle,
                              const std::string& url);

// The mail sender's invite mails (mail::InviteMailWriter), written from the invite as it is now.
class InviteMailWriter final : public mail::InviteMailWriter {
 public:
  mail::WrittenMail write(Env& env, const mail::Site& site, std::int64_t invite_id) override;
};

}  // namespace instctl::invites
