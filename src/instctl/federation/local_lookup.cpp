#include "instctl/federation/local_lookup.hpp"

#include <fmt/format.h>

#include "instctl/activitypub/urls.hpp"
#include "instctl/activitypub/webfinger.hpp"
#include "instctl/core/error.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/version.hpp"

namespace instctl::federation {

namespace {

Json summary(const instance::InstanceInfo& site, const std::string& handle, const std::string& id,
             const char* type, const std::string& name, const std::string& url) {
  const std::string inbox = id + "/inbox";
  return Json{{"acct", handle},
              {"id", id},
              {"type", type},
              {"name", name},
              {"url", url},
              {"inbox", inbox},
              {"shared_inbox", activitypub::shared_inbox_url(site.public_url)},
              {"key_id", activitypub::key_id(id)},
              {"software", "instctl"},
              {"software_version", std::string(k_version)},
              {"domain", site.domain},
              {"local", true}};
}

}  // namespace

std::optional<Json> lookup_local(Env& env, std::string_view target) {
  const auto site = instance::load(env.db);
  const auto found = activitypub::parse_webfinger_resource(target, site);
  if (!found) return std::nullopt;
  if (found->kind == activitypub::WebfingerTarget::Kind::instance_actor) {
    Json j = summary(site, fmt::format("{0}@{0}", site.account_domain),
                     activitypub::instance_actor_url(site.public_url), "Application", site.title,
                     site.public_url + "/about");
    j["account_id"] = nullptr;
    j["status"] = "active";
    return j;
  }
  users::UserService users(env);
  const auto user = users.find_local(found->username);
  if (!user || user->status == users::Status::pending) {
    throw Error(ErrorKind::not_found,
                fmt::format("{} names this instance, which has no user '{}': 'instctl users list' "
                            "lists them",
                            target, found->username));
  }
  Json j = summary(site, user->username + "@" + site.account_domain,
                   activitypub::actor_url(site.public_url, user->username), "Person",
                   user->display_name, activitypub::profile_url(site.public_url, user->username));
  j["account_id"] = user->id;
  j["status"] = users::to_string(user->status);
  return j;
}

}  // namespace instctl::federation
