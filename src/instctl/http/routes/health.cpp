// GET /health: 200 when the database answers with the schema this binary expects, else 503.

#include "instctl/db/migrations.hpp"
#include "instctl/http/routes/routes.hpp"

namespace instctl::http {

namespace {

Response health(RouteContext& ctx) {
  try {
    db::require_current_schema(ctx.env.db);
    instance::load(ctx.env.db);
  } catch (const std::exception& e) {
    Response r = json_response(503, Json{{"status", "unavailable"}});
    r.header("Cache-Control", "no-store");
    r.log_note = e.what();
    return r;
  }
  Response r = json_response(200, Json{{"status", "ok"}});
  r.header("Cache-Control", "no-store");
  return r;
}

}  // namespace

void add_health_routes(Router& r) { r.add("GET", "/health", health); }

}  // namespace instctl::http
