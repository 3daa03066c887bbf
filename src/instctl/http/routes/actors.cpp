// Actors and their collections: /users/U, /users/U/{outbox,followers,following}, /actor,
// /actor/outbox.

#include <charconv>

#include "instctl/activitypub/actor.hpp"
#include "instctl/activitypub/collections.hpp"
#include "instctl/activitypub/urls.hpp"
#include "instctl/http/routes/local_accounts.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/public_profile.hpp"
#include "instctl/users/relationships.hpp"
#include "instctl/users/user_service.hpp"

namespace instctl::http {

namespace {

Response activity(const Json& doc) {
  Response r = json_response(200, doc, media::k_activity);
  r.header("Vary", "Accept");
  return r;
}

Response actor(RouteContext& ctx) {
  auto found = lookup_member(ctx, ctx.param("username"));
  // A browser following a link to an account gets its profile page (which says when the
  // account is gone), as on Mastodon. The name is an account's, so safe in a header.
  if (wants_html(ctx.req) && found.answer.status != 404) {
    Response r;
    r.status = 302;
    r.content_type = media::k_text;
    r.header("Location", activitypub::profile_url(ctx.site().public_url, ctx.param("username")));
    r.header("Vary", "Accept");
    return r;
  }
  if (!found.user) return std::move(found.answer);
  // Keys are made when first needed: here, when the first server asks for the actor (on a
  // worker, like every route: making an RSA key pair takes tens of milliseconds).
  const auto key = users::UserService(ctx.env).ensure_public_key(found.user->id);
  return activity(activitypub::local_actor(ctx.site(), users::public_profile(*found.user), key));
}

// ?page=N (1-based); nullopt without a page parameter, 0 for a malformed one.
std::optional<std::int64_t> page_number(const Request& req) {
  const auto p = req.query_param("page");
  if (!p) return std::nullopt;
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(p->data(), p->data() + p->size(), n);
  if (ec != std::errc() || end != p->data() + p->size() || n < 1 || n > 1'000'000) return 0;
  return n;
}

enum class Which { followers, following, outbox };

Response collection(RouteContext& ctx, Which which) {
  auto found = lookup_member(ctx, ctx.param("username"));
  if (!found.user) return std::move(found.answer);
  const auto& u = *found.user;
  const std::string base = activitypub::actor_url(ctx.site().public_url, u.username);
  users::AccountStore store(ctx.env.db);
  std::int64_t total = 0;
  std::string id;
  switch (which) {
    case Which::followers:
      total = store.followers_count(u.id), id = base + "/followers";
      break;
    case Which::following:
      total = store.following_count(u.id), id = base + "/following";
      break;
    case Which::outbox:
      total = 0, id = base + "/outbox";
      break;  // instctl publishes no posts
  }
  const auto page = page_number(ctx.req);
  if (!page) return activity(activitypub::ordered_collection(id, total));
  if (*page == 0) return error_response(400, "page must be a number from 1");
  std::vector<std::string> items;
  const auto limit = activitypub::k_collection_page_size;
  const auto offset = (*page - 1) * limit;
  const auto& pub = ctx.site().public_url;
  if (which == Which::followers) items = users::follower_uris(ctx.env.db, u.id, pub, limit, offset);
  if (which == Which::following)
    items = users::following_uris(ctx.env.db, u.id, pub, limit, offset);
  return activity(activitypub::ordered_collection_page(id, *page, total, items));
}

Response instance_actor(RouteContext& ctx) {
  const auto keys = instance::instance_actor_keys(ctx.env.db);
  return activity(activitypub::instance_actor(ctx.site(), keys.public_key_pem));
}

// The instance actor publishes nothing; its inbox is the shared one (routes/inbox.cpp).
Response instance_outbox(RouteContext& ctx) {
  return activity(activitypub::ordered_collection(
      activitypub::instance_actor_url(ctx.site().public_url) + "/outbox", 0));
}

}  // namespace

void add_actor_routes(Router& r) {
  r.add("GET", "/users/{username}", actor, Caching::until_change);
  r.add(
      "GET", "/users/{username}/followers",
      [](RouteContext& c) { return collection(c, Which::followers); }, Caching::until_change);
  r.add(
      "GET", "/users/{username}/following",
      [](RouteContext& c) { return collection(c, Which::following); }, Caching::until_change);
  r.add(
      "GET", "/users/{username}/outbox",
      [](RouteContext& c) { return collection(c, Which::outbox); }, Caching::until_change);
  r.add("GET", "/actor", instance_actor, Caching::until_change);
  r.add("GET", "/actor/outbox", instance_outbox, Caching::until_change);
}

}  // namespace instctl::http
