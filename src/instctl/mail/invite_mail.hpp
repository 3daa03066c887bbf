#pragma once

#include <string>

#include "instctl/invites/handle_offer.hpp"
#include "instctl/invites/invite.hpp"
#include "instctl/mail/mail_template.hpp"

namespace instctl::mail {

// The invite mail (templates/invite.mustache): the instance's name, the link, the handle (in
// the invite page's words, invites::handle_sentence), the inviter's message and the expiry.
Composed invite_message(const Site& site, const invites::Invite& inv,
                        const invites::HandleOffer& handle, const std::string& url);

}  // namespace instctl::mail
