#include "instctl/activitypub/account_entity.hpp"

#include "instctl/activitypub/urls.hpp"
#include "instctl/util/html.hpp"
#include "instctl/util/time.hpp"

namespace instctl::activitypub {

Json account_entity(const instance::InstanceInfo& site, const LocalProfile& u,
                    const AccountCounts& c) {
  const std::string avatar = site.public_url + k_missing_avatar_path;
  const std::string header = site.public_url + k_missing_header_path;
  return Json{{"id", std::to_string(u.id)},
              {"username", u.username},
              {"acct", u.username},  // Mastodon leaves the domain out for local accounts
              {"display_name", u.display_name},
              {"locked", u.manually_approves_followers},
              {"bot", false},
              {"discoverable", u.discoverable},
              {"indexable", false},
              {"group", false},
              // Mastodon publishes the day an account was made, at midnight.
              {"created_at", util::format_date(u.created_at) + "T00:00:00.000Z"},
              {"note", util::text_to_html(u.note)},
              {"url", profile_url(site.public_url, u.username)},
              {"uri", actor_url(site.public_url, u.username)},
              {"avatar", avatar},
              {"avatar_static", avatar},
              {"header", header},
              {"header_static", header},
              {"followers_count", c.followers},
              {"following_count", c.following},
              {"statuses_count", 0},
              {"last_status_at", nullptr},
              {"emojis", Json::array()},
              {"fields", Json::array()}};
}

}  // namespace instctl::activitypub
