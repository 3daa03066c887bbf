#pragma once

#include "instctl/http/router.hpp"
#include "instctl/http/server.hpp"

namespace instctl::http {

// Every endpoint of `instctl serve`. A feature adds its routes with one add_* function here.
Router make_router();

void add_well_known_routes(Router& r);    // WebFinger, host-meta, NodeInfo
void add_actor_routes(Router& r);         // /users/U, its collections, /actor
void add_instance_api_routes(Router& r);  // /api/v1/instance..., /api/v2/instance
void add_health_routes(Router& r);        // /health, /health/ready
void add_metrics_routes(Router& r);       // /metrics (server.metrics)

// When metrics are on (server.metrics local, or a token file): counts every request by route
// template in `hooks.on_request` (before what it did already). Error(usage) when the token file
// cannot be read.
void count_requests(const Router& router, db::Connection& db, ServerHooks& hooks);
void add_inbox_routes(Router& r);            // POST /inbox, /users/U/inbox
void add_onboarding_routes(Router& r);       // /invite/CODE, /auth/sign_up
void add_waitlist_routes(Router& r);         // /waitlist, /api/v1/waitlist, /waitlist/confirm/T
void add_directory_routes(Router& r);        // /api/v1/directory
void add_oidc_routes(Router& r);             // /auth/oidc/*: partner sign-up
void add_forgot_password_routes(Router& r);  // /auth/forgot
void add_member_routes(Router& r);     // /auth/activate, /auth/reset, /auth/sign_in, /settings
void add_account_routes(Router& r);    // /settings/password, /settings/export, /settings/delete
void add_site_page_routes(Router& r);  // /@U, /about, /, /privacy-policy, /favicon.ico

}  // namespace instctl::http
