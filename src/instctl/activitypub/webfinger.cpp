#include "instctl/activitypub/webfinger.hpp"

#include <fmt/format.h>

#include "instctl/activitypub/urls.hpp"
#include "instctl/util/html.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::activitypub {

namespace {

std::optional<WebfingerTarget> from_acct(std::string_view acct,
                                         const instance::InstanceInfo& site) {
  if (!acct.empty() && acct.front() == '@') acct.remove_prefix(1);
  const auto at = acct.rfind('@');
  if (at == std::string_view::npos || at == 0) return std::nullopt;
  const std::string_view user = acct.substr(0, at);
  const std::string_view domain = acct.substr(at + 1);
  if (!util::iequals(domain, site.account_domain) && !util::iequals(domain, site.domain)) {
    return std::nullopt;
  }
  if (util::iequals(user, site.domain) || util::iequals(user, site.account_domain)) {
    return WebfingerTarget{WebfingerTarget::Kind::instance_actor, {}};
  }
  if (user.find_first_of("@/") != std::string_view::npos) return std::nullopt;
  return WebfingerTarget{WebfingerTarget::Kind::user, std::string(user)};
}

std::optional<WebfingerTarget> from_url(std::string_view url, const instance::InstanceInfo& site) {
  const std::string base = site.public_url;
  if (url.size() <= base.size() || !util::iequals(url.substr(0, base.size()), base)) {
    return std::nullopt;
  }
  const std::string_view path = url.substr(base.size());
  if (path == "/actor") return WebfingerTarget{WebfingerTarget::Kind::instance_actor, {}};
  for (const std::string_view prefix : {"/users/", "/@"}) {
    if (path.substr(0, prefix.size()) != prefix) continue;
    const std::string_view user = path.substr(prefix.size());
    if (user.empty() || user.find_first_of("/?#@") != std::string_view::npos) return std::nullopt;
    return WebfingerTarget{WebfingerTarget::Kind::user, std::string(user)};
  }
  return std::nullopt;
}

}  // namespace

std::optional<WebfingerTarget> parse_webfinger_resource(std::string_view resource,
                                                        const instance::InstanceInfo& site) {
  resource = util::trim(resource);
  if (util::starts_with_ci(resource, "acct:")) return from_acct(resource.substr(5), site);
  if (util::starts_with_ci(resource, "https://") || util::starts_with_ci(resource, "http://")) {
    return from_url(resource, site);
  }
  return from_acct(resource, site);
}

Json webfinger_jrd(const instance::InstanceInfo& site, std::string_view username) {
  const std::string actor = actor_url(site.public_url, username);
  const std::string profile = profile_url(site.public_url, username);
  return Json{
      {"subject", fmt::format("acct:{}@{}", username, site.account_domain)},
      {"aliases", Json::array({profile, actor})},
      {"links",
       Json::array(
           {Json{{"rel", "http://webfinger.net/rel/profile-page"},
                 {"type", "text/html"},
                 {"href", profile}},
            Json{{"rel", "self"}, {"type", "application/activity+json"}, {"href", actor}}})}};
}

Json instance_actor_jrd(const instance::InstanceInfo& site) {
  const std::string actor = instance_actor_url(site.public_url);
  return Json{
      {"subject", fmt::format("acct:{0}@{0}", site.account_domain)},
      {"aliases", Json::array({actor})},
      {"links", Json::array({Json{
                    {"rel", "self"}, {"type", "application/activity+json"}, {"href", actor}}})}};
}

std::string host_meta_xrd(const instance::InstanceInfo& site) {
  return fmt::format(
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
      "<XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n"
      "  <Link rel=\"lrdd\" template=\"{}/.well-known/webfinger?resource={{uri}}\"/>\n"
      "</XRD>\n",
      util::html_escape(site.public_url));
}

}  // namespace instctl::activitypub
