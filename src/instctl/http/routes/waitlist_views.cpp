#include "instctl/http/routes/waitlist_views.hpp"

#include <fmt/format.h>

#include "instctl/http/routes/form_data.hpp"
#include "instctl/http/routes/onboarding_views.hpp"
#include "instctl/http/web_guard.hpp"

namespace instctl::http::views {

using waitlist::ConfirmState;

std::string waitlist_confirm_page(const Site& site, const std::string& path,
                                  const std::string& csrf_token) {
  Form f{.id = "confirm-form",
         .title = "Confirm your address",
         .action = path,
         .button = "Confirm my place"};
  f.hidden.emplace_back(k_csrf_field, csrf_token);
  return render_page("waitlist_confirm", site, "Confirm your address", {{"form", form_data(f)}});
}

int waitlist_confirmation_status(ConfirmState state) {
  switch (state) {
    case ConfirmState::unknown:
      return 404;
    case ConfirmState::expired:
      return 410;
    default:
      return 200;
  }
}

std::string waitlist_confirmation_page(const Site& site, const waitlist::Confirmation& c) {
  const auto place = [&] {
    if (!c.entry || c.entry->status != waitlist::EntryStatus::waiting) return std::string();
    if (c.entry->position) {
      return fmt::format(
          " Your place in the queue is {}: we will email you an invite when it is your turn.",
          *c.entry->position);
    }
    return std::string(" We will email you an invite when it is your turn.");
  };
  switch (c.state) {
    case ConfirmState::unknown:
      return message_page(
          site, "Unknown link",
          "This confirmation link is not known here. Check that it was copied whole, "
          "or join the waitlist again.");
    case ConfirmState::expired:
      return message_page(
          site, "This link has expired",
          "The address was not confirmed in time, so it was taken off the waitlist. "
          "You can join again.",
          PageLink{"/waitlist", "Join the waitlist"});
    case ConfirmState::confirmed:
      return message_page(
          site, "Already confirmed",
          "This link was used already: your address is confirmed and keeps its place." + place());
    case ConfirmState::usable:
      break;
  }
  return message_page(site, "Your address is confirmed", "Thank you." + place());
}

}  // namespace instctl::http::views
