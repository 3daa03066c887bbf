#pragma once

// Cookies the instance's pages set: the CSRF nonce (web_guard) and the member's session
// (routes/members.cpp). Every one is HttpOnly, SameSite=Lax, Path=/, and Secure when the
// public URL is https (a browser on plain http would drop a Secure cookie).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "instctl/net/http_message.hpp"

namespace instctl::http {

inline constexpr std::string_view k_session_cookie = "instctl_session";

// The value of the request's cookie `name`, if it sent one.
std::optional<std::string> request_cookie(const Request& req, std::string_view name);

enum class CookieLife { browser_session, max_age, remove };
struct CookieSpec {
  std::string_view name{};
  std::string_view value{};
  bool secure = false;
  CookieLife life = CookieLife::browser_session;
  std::int64_t max_age = 0;  // seconds, for CookieLife::max_age
};
// A Set-Cookie header's value.
std::string set_cookie_value(const CookieSpec& c);
// Whether cookies for an instance with this public URL get the Secure attribute.
bool secure_cookies(std::string_view public_url);

}  // namespace instctl::http
