#pragma once

// The "Followers" section of a member's /settings: whether follows wait for approval, the
// requests waiting (Approve, Reject) and the followers (Remove), each a small form with the
// CSRF token; and the pages that say why such a form could not be done. Rendered by the
// _followers template, which escapes every value.

#include <string>
#include <vector>

#include "instctl/federation/follower_service.hpp"
#include "instctl/http/routes/site_frame.hpp"
#include "instctl/users/user.hpp"

namespace instctl::http::views {

// Data for {{#followers}}{{> _followers}}{{/followers}}: the approval form and both lists.
TemplateData followers_section(const users::User& member,
                               const std::vector<federation::Follower>& followers,
                               const std::string& csrf_token);

// What the page says once a follower form is done: `account` is the follower (user@domain).
enum class FollowerAction { approve, reject, remove };
std::string follower_done_notice(FollowerAction action, const std::string& account);
// ... and once the approval box is saved (`changed` false: it was already so).
std::string approval_notice(bool manually_approves, bool changed);

// A follower form whose `follower` value is not an account id (400).
inline constexpr int k_follower_malformed_status = 400;
std::string follower_malformed_page(const Site& site);
// A follower form the service refused, with the refusal's public message: it names no follower
// or request of this member (404), or a request that was approved meanwhile (409).
std::string follower_refused_page(const Site& site, int status, const std::string& message);

}  // namespace instctl::http::views
