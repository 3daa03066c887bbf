// Mastodon's instance API: /api/v1/instance, /api/v2/instance, peers, rules, domain_blocks,
// privacy_policy.

#include "instctl/activitypub/instance_api.hpp"

#include "instctl/federation/public_lists.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/http/templates.hpp"
#include "instctl/instance/privacy_policy.hpp"
#include "instctl/instance/rules.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/overview/usage.hpp"
#include "instctl/util/time.hpp"

namespace instctl::http {

namespace {

Response api(const Json& body) {
  Response r = json_response(200, body);
  r.header("Access-Control-Allow-Origin", "*");
  return r;
}

activitypub::InstanceSummary summary(RouteContext& ctx) {
  const instance::Settings settings(ctx.env.db);
  const auto usage = overview::usage(ctx.env.db, ctx.env.clock.now());
  activitypub::InstanceSummary s;
  s.site = ctx.site();
  s.description = settings.get("instance.description");
  s.contact_email = settings.get("instance.contact_email");
  s.registrations_mode = settings.get("registrations.mode");
  s.rules = instance::list_rules(ctx.env.db);
  s.user_count = usage.users_total;
  s.active_month = usage.active_month;
  s.domain_count = usage.known_domains;
  if (instance::has_privacy_policy(ctx.env.db))
    s.privacy_policy_url = s.site.public_url + "/privacy-policy";
  return s;
}

Response rules(RouteContext& ctx) {
  Json out = Json::array();
  for (const auto& r : instance::list_rules(ctx.env.db)) out.push_back(activitypub::rule_entity(r));
  return api(out);
}

Response peers(RouteContext& ctx) { return api(federation::public_peers(ctx.env.db)); }

Response domain_blocks(RouteContext& ctx) {
  const auto blocks = federation::public_domain_blocks(ctx.env.db);
  if (!blocks) return error_response(404, "Record not found");
  return api(*blocks);
}

// Mastodon's PrivacyPolicy entity: {updated_at, content (HTML)}. Without a policy (or with a
// file that cannot be read, which the error log names): 404, as Mastodon answers a missing record.
Response privacy_policy(RouteContext& ctx) {
  const auto [p, problem] = instance::read_privacy_policy(ctx.env.db);
  if (!p) {
    Response r = error_response(404, "Record not found");
    r.log_note = problem;
    return r;
  }
  return api(Json{{"updated_at", util::format_time(p->updated_at)},
                  {"content", render_template("privacy_policy_content",
                                              {{"policy", markdown_data(p->text)}})}});
}

}  // namespace

void add_instance_api_routes(Router& r) {
  r.add(
      "GET", "/api/v1/instance",
      [](RouteContext& c) { return api(activitypub::instance_v1(summary(c))); },
      Caching::until_change);
  r.add(
      "GET", "/api/v2/instance",
      [](RouteContext& c) { return api(activitypub::instance_v2(summary(c))); },
      Caching::until_change);
  r.add("GET", "/api/v1/instance/rules", rules, Caching::until_change);
  r.add("GET", "/api/v1/instance/peers", peers, Caching::until_change);
  r.add("GET", "/api/v1/instance/domain_blocks", domain_blocks, Caching::until_change);
  // Read from its file at each request, as the page is: not cached.
  r.add("GET", "/api/v1/instance/privacy_policy", privacy_policy);
}

}  // namespace instctl::http
