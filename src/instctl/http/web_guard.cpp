#include "instctl/http/web_guard.hpp"

#include <fmt/format.h>

#include "instctl/crypto/digest.hpp"
#include "instctl/crypto/random.hpp"
#include "instctl/http/client_address.hpp"
#include "instctl/http/cookies.hpp"
#include "instctl/http/form.hpp"
#include "instctl/http/html_page.hpp"
#include "instctl/onboarding/rate_limiter.hpp"
#include "instctl/onboarding/web_store.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/url.hpp"

namespace instctl::http {

namespace {

std::string secret(RouteContext& ctx) {
  return onboarding::WebStore(ctx.env.db)
      .secret("csrf", util::base64url_encode(crypto::random_bytes(32)), ctx.env.clock.now());
}

std::string mac(std::string_view secret, std::string_view nonce, std::int64_t ts) {
  return util::base64url_encode(crypto::hmac_sha256(secret, fmt::format("csrf|{}|{}", nonce, ts)));
}

bool plausible_nonce(std::string_view v) {
  if (v.size() < 32 || v.size() > 64) return false;
  for (char c : v) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

// scheme://host[:port] of a URL, lower case.
std::string origin_of(std::string_view url) {
  const auto u = util::parse_url(url);
  return u ? u->origin() : "";
}

}  // namespace

CsrfPair csrf_pair(RouteContext& ctx) {
  CsrfPair p;
  const auto existing = request_cookie(ctx.req, k_csrf_cookie);
  if (existing && plausible_nonce(*existing)) {
    p.nonce = *existing;
  } else {
    p.nonce = crypto::random_token();
    p.new_cookie = true;
  }
  const auto now = ctx.env.clock.now();
  p.token = fmt::format("{}.{}", now, mac(secret(ctx), p.nonce, now));
  return p;
}

void set_csrf_cookie(RouteContext& ctx, Response& r, const CsrfPair& pair) {
  if (!pair.new_cookie) return;
  r.header("Set-Cookie", set_cookie_value({.name = k_csrf_cookie,
                                           .value = pair.nonce,
                                           .secure = secure_cookies(ctx.site().public_url)}));
}

Response html_with_csrf(RouteContext& ctx, int status, std::string document, const CsrfPair& pair) {
  Response r = html_response(status, std::move(document));
  set_csrf_cookie(ctx, r, pair);
  return r;
}

bool csrf_valid(RouteContext& ctx, std::string_view token) {
  const auto nonce = request_cookie(ctx.req, k_csrf_cookie);
  const auto dot = token.find('.');
  if (!nonce || !plausible_nonce(*nonce) || dot == std::string_view::npos || dot == 0 || dot > 12) {
    return false;
  }
  const auto ts_text = token.substr(0, dot);
  if (ts_text.find_first_not_of("0123456789") != std::string_view::npos) return false;
  const std::int64_t ts = std::stoll(std::string(ts_text));
  const auto now = ctx.env.clock.now();
  if (ts > now + 300 || now - ts > k_csrf_validity) return false;
  return crypto::constant_time_equals(token.substr(dot + 1), mac(secret(ctx), *nonce, ts));
}

bool same_origin(RouteContext& ctx) {
  const auto& req = ctx.req;
  if (const auto site = req.header("sec-fetch-site")) {
    if (*site != "same-origin" && *site != "none") return false;
  }
  std::string origin;
  if (const auto o = req.header("origin")) {
    origin = util::to_lower(*o);
  } else if (const auto ref = req.header("referer")) {
    origin = origin_of(*ref);
  } else {
    return true;
  }
  if (origin == origin_of(ctx.site().public_url)) return true;
  if (const auto host = req.header("host")) {
    const auto h = util::to_lower(*host);
    return origin == "http://" + h || origin == "https://" + h;
  }
  return false;
}

std::optional<Refusal> check_rate(RouteContext& ctx, std::string_view bucket) {
  const std::string client = client_key(client_address(ctx.req));
  if (auto wait = onboarding::RateLimiter(ctx.env).take(bucket, client)) {
    const auto minutes = (*wait + 59) / 60;
    return Refusal{429,
                   fmt::format("Too many attempts from your address. Please try again in {}.",
                               util::counted(minutes, "minute")),
                   *wait};
  }
  return std::nullopt;
}

std::optional<Refusal> check_form(RouteContext& ctx, Expect expect) {
  if (ctx.req.body.size() > k_form_body_limit) {
    return Refusal{413,
                   fmt::format("The form is too large: at most {} KiB.", k_form_body_limit / 1024)};
  }
  const char* type =
      expect == Expect::form ? "application/x-www-form-urlencoded" : "application/json";
  if (!has_content_type(ctx.req, type)) {
    return Refusal{415, fmt::format("Send the request as {}.", type)};
  }
  if (!same_origin(ctx)) {
    return Refusal{403, "This form was sent from another site, so it was refused."};
  }
  if (expect == Expect::form && !csrf_valid(ctx, Form::of(ctx.req).get(k_csrf_field))) {
    return Refusal{403,
                   "This form has expired or lost its security token. Please go back, reload "
                   "the page and send it again."};
  }
  return std::nullopt;
}

std::optional<Refusal> check_post(RouteContext& ctx, std::string_view bucket, Expect expect) {
  if (auto refusal = check_form(ctx, expect)) return refusal;
  return check_rate(ctx, bucket);
}

}  // namespace instctl::http
