#pragma once

// The pages of a waitlist confirmation link (/waitlist/confirm/TOKEN): the button, and what
// the link found (confirmed now, used before, expired, unknown). Template waitlist_confirm and
// message.

#include <string>

#include "instctl/http/routes/site_frame.hpp"
#include "instctl/waitlist/waitlist_service.hpp"

namespace instctl::http::views {

// The form that confirms: one button posting back to `path`.
std::string waitlist_confirm_page(const Site& site, const std::string& path,
                                  const std::string& csrf_token);
// What a link that cannot confirm (any more) found, or the confirmation just made (`usable`
// after the POST); with its status: 200, 404 unknown, 410 expired.
int waitlist_confirmation_status(waitlist::ConfirmState state);
std::string waitlist_confirmation_page(const Site& site, const waitlist::Confirmation& c);

}  // namespace instctl::http::views
