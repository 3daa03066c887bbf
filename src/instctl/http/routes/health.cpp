// GET /health: 200 when the database answers with the schema this binary expects, else 503.
// GET /health/ready: 200 while serve is ready for traffic (http/readiness.hpp: the database
// answers its probe in time, the delivery worker is alive), else 503 with a short reason.

#include "instctl/db/migrations.hpp"
#include "instctl/http/readiness.hpp"
#include "instctl/http/routes/routes.hpp"

namespace instctl::http {

namespace {

Response no_store(Response r) {
  r.header("Cache-Control", "no-store");
  return r;
}

Response health(RouteContext& ctx) {
  try {
    db::require_current_schema(ctx.env.db);
    instance::load(ctx.env.db);
  } catch (const std::exception& e) {
    Response r = json_response(503, Json{{"status", "unavailable"}});
    r.log_note = e.what();
    return no_store(std::move(r));
  }
  return no_store(json_response(200, Json{{"status", "ok"}}));
}

// Reads the last verdict only: no query here, so a load balancer's polling costs nothing and
// a database that hangs does not hold this worker.
Response ready(RouteContext&) {
  const Readiness* readiness = Readiness::current();
  if (readiness == nullptr) {
    return no_store(json_response(503, Json{{"status", "unavailable"}, {"reason", "starting"}}));
  }
  const auto verdict = readiness->verdict();
  if (!verdict.ready) {
    return no_store(
        json_response(503, Json{{"status", "unavailable"}, {"reason", verdict.reason}}));
  }
  return no_store(json_response(200, Json{{"status", "ok"}}));
}

}  // namespace

void add_health_routes(Router& r) {
  r.add("GET", "/health", health);
  r.add("GET", "/health/ready", ready);
}

}  // namespace instctl::http
