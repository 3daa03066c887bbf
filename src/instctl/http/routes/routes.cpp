#include "instctl/http/routes/routes.hpp"

namespace instctl::http {

Router make_router() {
  Router r;
  add_well_known_routes(r);
  add_actor_routes(r);
  add_instance_api_routes(r);
  add_health_routes(r);
  add_metrics_routes(r);
  add_inbox_routes(r);
  add_onboarding_routes(r);
  add_waitlist_routes(r);
  add_directory_routes(r);
  add_oidc_routes(r);
  add_member_routes(r);
  add_forgot_password_routes(r);
  add_account_routes(r);
  add_site_page_routes(r);
  return r;
}

}  // namespace instctl::http
