#pragma once

// What stands between the public forms and the rest of the world: CSRF tokens bound to a
// cookie, a same-origin check, body size limits and per-client-address rate limits.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "instctl/http/router.hpp"

namespace instctl::http {

inline constexpr std::size_t k_form_body_limit = 16 * 1024;
inline constexpr std::string_view k_csrf_cookie = "instctl_csrf";
inline constexpr std::string_view k_csrf_field = "csrf_token";
// How long a page's form may be submitted after it was served.
inline constexpr std::int64_t k_csrf_validity = 24 * 3600;

// A browser's CSRF pair: a random nonce in a cookie (made here when the browser has none) and
// the token for the forms, an HMAC of the nonce and the time under a secret kept in the
// database. A token is worth nothing without the cookie it was made for, which other sites
// can neither read nor send with a cross-site POST (SameSite=Lax).
struct CsrfPair {
  std::string nonce;
  bool new_cookie = false;
  std::string token;
};
CsrfPair csrf_pair(RouteContext& ctx);
// Sets the cookie on a page's response when the browser did not have it.
void set_csrf_cookie(RouteContext& ctx, Response& r, const CsrfPair& pair);
// A page holding a form with `pair`'s token: html_response with the cookie when it is new.
Response html_with_csrf(RouteContext& ctx, int status, std::string document, const CsrfPair& pair);
// The token in a form matches the request's cookie and is recent.
bool csrf_valid(RouteContext& ctx, std::string_view token);

// A request comes from a page of this site: no Sec-Fetch-Site other than same-origin or none,
// and an Origin (or, without one, a Referer) naming the public URL or the Host it was sent
// to. Clients that send neither (scripts, curl) pass here and are judged by the token.
bool same_origin(RouteContext& ctx);

struct Refusal {
  int status = 403;
  std::string message;
  std::int64_t retry_after = 0;  // 429 only
};
enum class Expect { form, json };
// The checks every public POST makes, in order: body size (413), media type (415), origin
// (403), CSRF token for forms (403), then the client's rate-limit bucket (429).
std::optional<Refusal> check_post(RouteContext& ctx, std::string_view bucket, Expect expect);
// The same checks without the rate limit (signing out costs nothing to refuse).
std::optional<Refusal> check_form(RouteContext& ctx, Expect expect);
// The rate limit alone (the invite page counts look-ups of unknown codes).
std::optional<Refusal> check_rate(RouteContext& ctx, std::string_view bucket);

}  // namespace instctl::http
