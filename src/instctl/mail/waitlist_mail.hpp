#pragma once

#include <string>

#include "instctl/core/clock.hpp"
#include "instctl/mail/mail_template.hpp"

namespace instctl::mail {

// The waitlist's confirmation mail (templates/waitlist_confirmation.mustache): the link that
// confirms the address, and until when it works. Nobody has a name yet: "Hello,".
Composed waitlist_confirmation_message(const Site& site, const std::string& url,
                                       UnixTime expires_at);

}  // namespace instctl::mail
