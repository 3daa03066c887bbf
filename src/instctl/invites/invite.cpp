#include "instctl/invites/invite.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/crypto/random.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/time.hpp"

namespace instctl::invites {

const char* to_string(InviteStatus s) {
  switch (s) {
    case InviteStatus::active:
      return "active";
    case InviteStatus::expired:
      return "expired";
    case InviteStatus::exhausted:
      return "exhausted";
    case InviteStatus::revoked:
      return "revoked";
  }
  return "active";
}

InviteStatus parse_status(std::string_view s) {
  for (auto st : {InviteStatus::active, InviteStatus::expired, InviteStatus::exhausted,
                  InviteStatus::revoked}) {
    if (s == to_string(st)) return st;
  }
  throw Error(
      ErrorKind::usage,
      fmt::format("unknown invite status '{}': use active, expired, exhausted, revoked or all", s));
}

std::string new_code() { return crypto::random_string(k_code_length, k_code_alphabet); }

std::string normalize_code(std::string_view code) {
  std::string c(util::trim(code));
  for (char& ch : c) {
    if (ch >= 'a' && ch <= 'z') ch = static_cast<char>(ch - 'a' + 'A');
  }
  return c;
}

InviteStatus Invite::status(UnixTime now) const {
  if (revoked_at) return InviteStatus::revoked;
  if (uses >= max_uses) return InviteStatus::exhausted;
  if (expires_at && *expires_at <= now) return InviteStatus::expired;
  return InviteStatus::active;
}

std::string invite_url(std::string_view public_url, const Invite& inv) {
  return fmt::format("{}/invite/{}", public_url, inv.code);
}

Json to_json(const Invite& inv, const std::string& url, UnixTime now) {
  auto opt_time = [](const std::optional<UnixTime>& t) {
    return t ? Json(util::format_time(*t)) : Json(nullptr);
  };
  return Json{
      {"code", inv.code},
      {"url", url},
      {"max_uses", inv.max_uses},
      {"uses", inv.uses},
      {"expires_at", opt_time(inv.expires_at)},
      {"status", to_string(inv.status(now))},
      {"note", inv.note},
      {"email", inv.email ? Json(*inv.email) : Json(nullptr)},
      {"created_at", util::format_time(inv.created_at)},
      {"message", inv.message},
      {"username", inv.username ? Json(*inv.username) : Json(nullptr)},
      {"autofollow", inv.autofollows.empty() ? Json(nullptr) : Json(inv.autofollows.front())},
      {"autofollows", inv.autofollows},
      {"revoked_at", opt_time(inv.revoked_at)}};
}

}  // namespace instctl::invites
