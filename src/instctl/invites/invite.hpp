#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/core/json.hpp"

namespace instctl::invites {

enum class InviteStatus { active, expired, exhausted, revoked };
const char* to_string(InviteStatus s);
// Throws Error(usage) naming the accepted values.
InviteStatus parse_status(std::string_view s);

// Codes use digits and capitals without the look-alikes 0/O and 1/I (lower-case l never
// appears): 32 symbols, 5 bits each.
inline constexpr std::string_view k_code_alphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
inline constexpr std::size_t k_code_length = 12;
std::string new_code();
// Codes are typed by people: trimmed and upper-cased before look-up.
std::string normalize_code(std::string_view code);

struct Invite {
  std::int64_t id = 0;
  std::string code;
  std::int64_t max_uses = 1;
  std::int64_t uses = 0;
  std::optional<UnixTime> expires_at;
  std::string note;     // for admins only (who it is for); never shown to the invitee
  std::string message;  // for the invitee: shown on the invite page
  std::optional<std::string> email;
  // The username offered on the invite page (a waitlist entry's request); the invitee may
  // choose another.
  std::optional<std::string> username;
  std::vector<std::string> autofollows;  // usernames of the accounts new members follow
  std::string created_by;
  std::optional<UnixTime> revoked_at;
  UnixTime created_at = 0;
  std::optional<std::int64_t> waitlist_id;  // the waitlist entry this invite admitted

  // revoked > exhausted > expired > active.
  InviteStatus status(UnixTime now) const;
  std::string audit_target() const { return "invite:" + code; }
};

// The invite's page, under the instance's public URL.
std::string invite_url(std::string_view public_url, const Invite& inv);

// SPEC.md's fields (code, url, max_uses, uses, expires_at, status, note, email, created_at)
// plus message, username, autofollows (every account new members follow), autofollow (the first, or
// null: what scripts read before there could be several) and revoked_at.
Json to_json(const Invite& inv, const std::string& url, UnixTime now);

}  // namespace instctl::invites
