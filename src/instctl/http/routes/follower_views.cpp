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

int follower_problem_status(FollowerProblem problem) {
  switch (problem) {
    case FollowerProblem::malformed:
      return 400;
    case FollowerProblem::not_found:
      return 404;
    case FollowerProblem::already_accepted:
      return 409;
  }
  return 400;
}

std::string follower_problem_page(const Site& site, FollowerProblem problem) {
  const PageLink back{"/settings#followers", "Back to your followers"};
  switch (problem) {
    case FollowerProblem::malformed:
      return message_page(site, "This form names no follower",
                          "The follower it was sent for is missing or not written as the page "
                          "wrote it. Go back to your settings and use the buttons there.",
                          back);
    case FollowerProblem::not_found:
      return message_page(site, "This is not one of your followers",
                          "The account does not follow you and has no follow request waiting for "
                          "you: it may have been removed or rejected already, or it withdrew its "
                          "request. Your settings show who follows you now.",
                          back);
    case FollowerProblem::already_accepted:
      return message_page(site, "This request was approved already",
                          "The account follows you now. Your settings list it among your "
                          "followers, where you can remove it.",
                          back);
  }
  return "";
}

}  // namespace instctl::http::views
