// Mastodon's profile directory: GET /api/v1/directory, and the blank pictures its accounts
// point at.

#include "instctl/users/directory.hpp"

#include "instctl/activitypub/account_entity.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/users/public_profile.hpp"

namespace instctl::http {

namespace {

Response directory(RouteContext& ctx) {
  const auto& q = ctx.req;
  const auto query = users::parse_directory_query(q.query_param("offset"), q.query_param("limit"),
                                                  q.query_param("order"), q.query_param("local"));
  if (!query) return error_response(400, query.error);
  Json out = Json::array();
  for (const auto& e : users::list_directory(ctx.env, *query)) {
    out.push_back(activitypub::account_entity(ctx.site(), users::public_profile(e.user),
                                              {e.followers_count, e.following_count}));
  }
  Response r = json_response(200, out);
  r.header("Access-Control-Allow-Origin", "*");
  return r;
}

// A 1x1 transparent PNG.
constexpr unsigned char k_blank_png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48,
    0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00,
    0x00, 0x1f, 0x15, 0xc4, 0x89, 0x00, 0x00, 0x00, 0x0b, 0x49, 0x44, 0x41, 0x54, 0x78,
    0x9c, 0x63, 0x60, 0x00, 0x02, 0x00, 0x00, 0x05, 0x00, 0x01, 0x7a, 0x5e, 0xab, 0x3f,
    0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82};

Response blank_picture(RouteContext&) {
  Response r;
  r.content_type = "image/png";
  r.body.assign(reinterpret_cast<const char*>(k_blank_png), sizeof k_blank_png);
  r.header("Cache-Control", "public, max-age=86400");
  return r;
}

}  // namespace

void add_directory_routes(Router& r) {
  r.add("GET", "/api/v1/directory", directory);
  r.add("GET", activitypub::k_missing_avatar_path, blank_picture);
  r.add("GET", activitypub::k_missing_header_path, blank_picture);
}

}  // namespace instctl::http
