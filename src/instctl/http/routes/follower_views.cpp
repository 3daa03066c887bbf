#include "instctl/http/routes/follower_views.hpp"

#include "instctl/http/routes/form_data.hpp"
#include "instctl/http/routes/onboarding_views.hpp"
#include "instctl/http/web_guard.hpp"
#include "instctl/util/time.hpp"

namespace instctl::http::views {

namespace {

using federation::FollowState;

TemplateData follower_row(const federation::Follower& f) {
  return TemplateData{{"id", std::to_string(f.account.id)},
                      {"account", f.account.acct()},
                      {"display_name", f.account.display_name},
                      {"actor_uri", f.account.actor_uri.value_or("")},
                      {"since", util::format_time_for_people(f.follow.created_at)}};
}

}  // namespace

TemplateData followers_section(const users::User& member,
                               const std::vector<federation::Follower>& followers,
                               const std::string& csrf_token) {
  Form approval{.id = "approval-form",
                .title = "Followers",
                .action = "/settings/followers/approval",
                .button = "Save follower approval"};
  approval.hidden.emplace_back(k_csrf_field, csrf_token);
  approval.fields.push_back(
      Input{.name = "manually_approves_followers",
            .label = "Followers need my approval",
            .hint = "Follow requests wait below until you approve or reject them. Turning this "
                    "off approves every request waiting.",
            .required = false,
            .checkbox = true,
            .checked = member.manually_approves_followers});
  mstch::array requests;
  mstch::array accepted;
  for (const auto& f : followers) {
    (f.follow.state == FollowState::pending ? requests : accepted).push_back(follower_row(f));
  }
  const bool has_requests = !requests.empty();
  const bool has_followers = !accepted.empty();
  return TemplateData{{"approval", form_data(approval)}, {"csrf_field", std::string(k_csrf_field)},
                      {"csrf_token", csrf_token},        {"has_requests", has_requests},
                      {"requests", std::move(requests)}, {"has_followers", has_followers},
                      {"accepted", std::move(accepted)}};
}

std::string follower_done_notice(FollowerAction action, const std::string& account) {
  switch (action) {
    case FollowerAction::approve:
      return account + " follows you now.";
    case FollowerAction::reject:
      return "You rejected the follow request of " + account + ".";
    case FollowerAction::remove:
      return account + " no longer follows you.";
  }
  return "";
}

std::string approval_notice(bool manually_approves, bool changed) {
  if (!changed) return "Nothing changed.";
  return manually_approves ? "New followers now need your approval."
                           : "Anyone can follow you now, without your approval.";
}

namespace {
const PageLink k_back_to_followers{"/settings#followers", "Back to your followers"};
}  // namespace

std::string follower_malformed_page(const Site& site) {
  return message_page(site, "This form names no follower",
                      "The follower it was sent for is missing or not written as the page "
                      "wrote it. Go back to your settings and use the buttons there.",
                      k_back_to_followers);
}

std::string follower_refused_page(const Site& site, int status, const std::string& message) {
  return message_page(
      site,
      status == 409 ? "This request was approved already" : "This is not one of your followers",
      message, k_back_to_followers);
}

}  // namespace instctl::http::views
