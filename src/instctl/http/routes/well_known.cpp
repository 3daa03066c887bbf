// WebFinger, host-meta and NodeInfo: how other servers find this instance and its users.

#include "instctl/activitypub/nodeinfo.hpp"
#include "instctl/activitypub/webfinger.hpp"
#include "instctl/http/routes/local_accounts.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/overview/usage.hpp"

namespace instctl::http {

namespace {

// Discovery documents are public and read by browsers' scripts too.
Response cors(Response r) {
  r.header("Access-Control-Allow-Origin", "*");
  return r;
}

Response webfinger(RouteContext& ctx) {
  const auto resource = ctx.req.query_param("resource");
  if (!resource || resource->empty()) {
    return error_response(400, "the resource parameter is missing: ?resource=acct:USER@DOMAIN");
  }
  const auto target = activitypub::parse_webfinger_resource(*resource, ctx.site());
  if (!target) return error_response(404, "Record not found");
  if (target->kind == activitypub::WebfingerTarget::Kind::instance_actor) {
    return cors(json_response(200, activitypub::instance_actor_jrd(ctx.site()), media::k_jrd));
  }
  auto found = lookup_member(ctx, target->username);
  if (!found.user) return cors(std::move(found.answer));
  return cors(json_response(200, activitypub::webfinger_jrd(ctx.site(), found.user->username),
                            media::k_jrd));
}

Response host_meta(RouteContext& ctx) {
  Response r;
  r.content_type = media::k_xrd;
  r.body = activitypub::host_meta_xrd(ctx.site());
  return cors(std::move(r));
}

Response nodeinfo_links(RouteContext& ctx) {
  return cors(json_response(200, activitypub::nodeinfo_discovery(ctx.site().public_url)));
}

Response nodeinfo_document(RouteContext& ctx, const char* version) {
  const instance::Settings settings(ctx.env.db);
  const auto usage = overview::usage(ctx.env.db, ctx.env.clock.now());
  const std::string mode = settings.get("registrations.mode");
  activitypub::NodeInfoData d;
  d.users_total = usage.users_total;
  d.active_month = usage.active_month;
  d.active_halfyear = usage.active_halfyear;
  d.open_registrations = mode == "open" || mode == "approval";
  d.node_name = ctx.site().title;
  d.node_description = settings.get("instance.description");
  Response r = json_response(200, activitypub::nodeinfo(version, d));
  r.content_type = activitypub::nodeinfo_content_type(version);
  return cors(std::move(r));
}

}  // namespace

void add_well_known_routes(Router& r) {
  r.add("GET", "/.well-known/webfinger", webfinger, Caching::until_change);
  r.add("GET", "/.well-known/host-meta", host_meta, Caching::until_change);
  r.add("GET", "/.well-known/nodeinfo", nodeinfo_links, Caching::until_change);
  r.add(
      "GET", "/nodeinfo/2.0", [](RouteContext& c) { return nodeinfo_document(c, "2.0"); },
      Caching::until_change);
  r.add(
      "GET", "/nodeinfo/2.1", [](RouteContext& c) { return nodeinfo_document(c, "2.1"); },
      Caching::until_change);
}

}  // namespace instctl::http
