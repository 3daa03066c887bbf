#pragma once

#include <optional>
#include <string>
#include <vector>

#include "instctl/core/expiry.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"
#include "instctl/invites/invite.hpp"
#include "instctl/invites/invite_store.hpp"

namespace instctl::invites {

struct CreateInviteRequest {
  std::int64_t max_uses = 1;
  std::optional<UnixTime> expires_at;
  std::string note;     // private to admins
  std::string message;  // shown to the invitee on the invite page
  std::optional<std::string> email;
  std::vector<std::string> autofollows;  // USER references, followed in this order
  std::int64_t count = 1;
  bool queue_mail = false;  // record an unsent mail to `email` in the same transaction
};

// The rules about invites, shared by the command line and the server.
class InviteService {
 public:
  explicit InviteService(Env& env);

  // `count` invites in one transaction.
  std::vector<Invite> create(const CreateInviteRequest& req);
  // One single-use invite bound to `email`, inside the caller's transaction (waitlist
  // admissions, imports). `waitlist_id`: the entry it admits; `username`: the one it asked for,
  // offered to the invitee.
  Invite create_for_email(const std::string& email, std::optional<UnixTime> expires_at,
                          const std::string& note, std::optional<std::int64_t> waitlist_id = {},
                          std::optional<std::string> username = {});

  std::vector<Invite> list(std::optional<InviteStatus> status, std::int64_t limit = 0);
  // The invites a member made (created_by their username), oldest first.
  std::vector<Invite> created_by(std::string_view username);
  Invite find(std::string_view code);
  // The invite, who redeemed it and when, its mails.
  Json details(std::string_view code);
  // All or nothing.
  std::vector<Invite> revoke(const std::vector<std::string>& codes);

  // Claims one use for an account with `email`, inside the caller's transaction. Throws
  // not_found (unknown code), conflict (revoked, used up, expired) or policy (bound to another
  // address).
  Invite redeem(std::string_view code, std::string_view email);
  // What a redemption brings once the account exists: the autofollows. Inside the caller's
  // transaction (users::AccountEvents::joined_with_invite; the waitlist marks its entry too).
  void complete_redemption(std::int64_t invite_id, std::int64_t account_id);

  // Records a mail of this invite to its bound address (reusing one still unsent) and returns
  // its id; conflict when the invite is not active, usage when it has no address.
  std::int64_t queue_mail(std::string_view code);

  std::string url(const Invite& inv);
  Json to_json(const Invite& inv) { return invites::to_json(inv, url(inv), m_env.clock.now()); }

 private:
  [[noreturn]] void explain_refusal(std::string_view code, std::string_view email);
  Env& m_env;
  InviteStore m_store;
  std::optional<std::string> m_public_url;
};

}  // namespace instctl::invites
