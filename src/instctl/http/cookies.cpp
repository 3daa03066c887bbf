#include "instctl/http/cookies.hpp"

#include <fmt/format.h>

#include "instctl/util/strings.hpp"

namespace instctl::http {

std::optional<std::string> request_cookie(const Request& req, std::string_view name) {
  const auto header = req.header("cookie");
  if (!header) return std::nullopt;
  for (const auto& part : util::split(*header, ';')) {
    const auto kv = util::trim(part);
    const auto eq = kv.find('=');
    if (eq != std::string_view::npos && kv.substr(0, eq) == name) {
      return std::string(kv.substr(eq + 1));
    }
  }
  return std::nullopt;
}

std::string set_cookie_value(const CookieSpec& c) {
  std::string life;
  if (c.life == CookieLife::max_age) life = fmt::format("; Max-Age={}", c.max_age);
  if (c.life == CookieLife::remove) life = "; Max-Age=0";
  return fmt::format("{}={}; Path=/; HttpOnly; SameSite=Lax{}{}", c.name,
                     c.life == CookieLife::remove ? std::string_view() : c.value, life,
                     c.secure ? "; Secure" : "");
}

bool secure_cookies(std::string_view public_url) {
  return util::starts_with_ci(public_url, "https://");
}

}  // namespace instctl::http
