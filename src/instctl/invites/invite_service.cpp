#include "instctl/invites/invite_service.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/email_blocks/email_block_service.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/mail/mail_store.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/users/validation.hpp"
#include "instctl/util/time.hpp"

namespace instctl::invites {

namespace {
constexpr std::int64_t k_max_count = 10000;
constexpr std::int64_t k_max_uses = 1000000;

[[noreturn]] void unknown(std::string_view code) {
  throw Error(ErrorKind::not_found,
              fmt::format("no invite '{}': 'instctl invites list --status all' lists them", code))
      .with_public("This invite link is not valid.");
}
}  // namespace

InviteService::InviteService(Env& env) : m_env(env), m_store(env.db) {}

std::string InviteService::url(const Invite& inv) {
  if (!m_public_url) m_public_url = instance::load(m_env.db).public_url;
  return invite_url(*m_public_url, inv);
}

std::vector<Invite> InviteService::create(const CreateInviteRequest& req) {
  if (req.max_uses < 1 || req.max_uses > k_max_uses) {
    throw Error(ErrorKind::usage, fmt::format("--max-uses must be between 1 and {}", k_max_uses));
  }
  if (req.count < 1 || req.count > k_max_count) {
    throw Error(ErrorKind::usage, fmt::format("--count must be between 1 and {}", k_max_count));
  }
  if (auto p = users::note_problem(req.note)) throw Error(ErrorKind::usage, *p);
  if (auto p = users::note_problem(req.message)) {
    throw Error(ErrorKind::usage,
                "--message: " + *p + " (the invitee reads it on the invite page)");
  }
  NewInvite ni;
  ni.max_uses = req.max_uses;
  ni.expires_at = req.expires_at;
  ni.note = req.note;
  ni.message = req.message;
  ni.created_by = m_env.actor;
  if (req.email) {
    if (req.count > 1) {
      throw Error(ErrorKind::usage,
                  "--email binds one invite to one address: it cannot go with --count");
    }
    ni.email = users::require_valid_email(*req.email);
  }
  if (req.expires_at && *req.expires_at <= m_env.clock.now()) {
    throw Error(ErrorKind::usage, "the expiry has already passed");
  }
  db::Transaction tx(m_env.db);
  if (ni.email)
    email_blocks::EmailBlockService(m_env).require_allowed(users::email_domain(*ni.email));
  users::UserService users(m_env);
  for (const auto& ref : req.autofollows) {
    const auto u = users.resolve(ref);
    if (u.status == users::Status::deleted) {
      throw Error(ErrorKind::conflict,
                  fmt::format("{} is deleted and cannot be followed", u.username));
    }
    if (std::find(ni.autofollow_ids.begin(), ni.autofollow_ids.end(), u.id) !=
        ni.autofollow_ids.end()) {
      throw Error(ErrorKind::usage, fmt::format("--autofollow names {} twice", u.username));
    }
    ni.autofollow_ids.push_back(u.id);
  }
  std::vector<Invite> out;
  for (std::int64_t i = 0; i < req.count; ++i) {
    ni.code = new_code();
    const auto id = m_store.insert(ni, m_env.clock.now());
    out.push_back(*m_store.by_id(id));
    if (req.queue_mail) mail::MailStore(m_env.db).enqueue(id, *ni.email, m_env.clock.now());
    audit::record(m_env, "invites.create", out.back().audit_target(),
                  Json{{"max_uses", ni.max_uses},
                       {"expires_at",
                        ni.expires_at ? Json(util::format_time(*ni.expires_at)) : Json(nullptr)},
                       {"email", ni.email ? Json(*ni.email) : Json(nullptr)},
                       {"message", ni.message},
                       {"autofollows", out.back().autofollows}});
  }
  tx.commit();
  return out;
}

Invite InviteService::create_for_email(const std::string& email, std::optional<UnixTime> expires_at,
                                       const std::string& note,
                                       std::optional<std::int64_t> waitlist_id,
                                       std::optional<std::string> username) {
  NewInvite ni;
  ni.code = new_code();
  ni.max_uses = 1;
  ni.expires_at = expires_at;
  ni.note = note;
  ni.email = email;
  ni.waitlist_id = waitlist_id;
  ni.username = std::move(username);
  ni.created_by = m_env.actor;
  const auto id = m_store.insert(ni, m_env.clock.now());
  Invite inv = *m_store.by_id(id);
  audit::record(m_env, "invites.create", inv.audit_target(),
                Json{{"max_uses", 1}, {"email", email}, {"note", note}});
  return inv;
}

std::vector<Invite> InviteService::list(std::optional<InviteStatus> status, std::int64_t limit) {
  return m_store.list(status, m_env.clock.now(), limit);
}

std::vector<Invite> InviteService::created_by(std::string_view username) {
  return m_store.created_by(username);
}

Invite InviteService::find(std::string_view code) {
  const auto c = normalize_code(code);
  auto inv = m_store.by_code(c);
  if (!inv) unknown(code);
  return *inv;
}

Json InviteService::details(std::string_view code) {
  const Invite inv = find(code);
  Json j = to_json(inv);
  j["created_by"] = inv.created_by;
  Json redeemed = Json::array();
  for (const auto& r : users::AccountStore(m_env.db).redeemed_with(inv.code)) {
    redeemed.push_back(Json{{"username", r.username},
                            {"status", r.status},
                            {"redeemed_at", util::format_time(r.created_at)}});
  }
  j["redeemed_by"] = redeemed;
  Json mails = Json::array();
  for (const auto& m : mail::MailStore(m_env.db).for_invite(inv.id)) {
    mails.push_back(
        Json{{"to", m.recipient},
             {"state", m.state},
             {"attempts", m.attempts},
             {"sent_at", m.sent_at ? Json(util::format_time(*m.sent_at)) : Json(nullptr)},
             {"last_error", m.last_error ? Json(*m.last_error) : Json(nullptr)}});
  }
  j["mails"] = mails;
  return j;
}

std::vector<Invite> InviteService::revoke(const std::vector<std::string>& codes) {
  db::Transaction tx(m_env.db);
  std::vector<Invite> out;
  for (const auto& code : codes) {
    const Invite inv = find(code);
    if (!m_store.revoke(inv.id, m_env.clock.now())) {
      throw Error(ErrorKind::conflict, fmt::format("the invite {} is already revoked", inv.code));
    }
    // Mail not yet sent for it must not go out any more.
    mail::MailStore(m_env.db).cancel_unsent(inv.id);
    audit::record(m_env, "invites.revoke", inv.audit_target());
    out.push_back(*m_store.by_id(inv.id));
  }
  tx.commit();
  return out;
}

std::int64_t InviteService::queue_mail(std::string_view code) {
  db::Transaction tx(m_env.db);
  const Invite inv = find(code);
  if (!inv.email) {
    throw Error(
        ErrorKind::usage,
        fmt::format("the invite {} is not bound to an email address, so there is nowhere to "
                    "send it; create one with 'instctl invites create --email EMAIL --send'",
                    inv.code));
  }
  const auto status = inv.status(m_env.clock.now());
  if (status != InviteStatus::active) {
    throw Error(ErrorKind::conflict,
                fmt::format("the invite {} is {}: there is no point sending it", inv.code,
                            to_string(status)));
  }
  mail::MailStore mails(m_env.db);
  auto id = mails.unsent_for_invite(inv.id);
  if (!id) id = mails.enqueue(inv.id, *inv.email, m_env.clock.now());
  audit::record(m_env, "invites.send", inv.audit_target(), Json{{"to", *inv.email}});
  tx.commit();
  return *id;
}

Invite InviteService::redeem(std::string_view code, std::string_view email) {
  const auto c = normalize_code(code);
  const auto id = m_store.claim_use(c, users::email_key(email), m_env.clock.now());
  if (!id) explain_refusal(c, email);
  return *m_store.by_id(*id);
}

void InviteService::explain_refusal(std::string_view code, std::string_view email) {
  const auto inv = m_store.by_code(code);
  if (!inv) unknown(code);
  switch (inv->status(m_env.clock.now())) {
    case InviteStatus::revoked:
      throw Error(ErrorKind::conflict, fmt::format("the invite {} has been revoked", inv->code))
          .with_public("This invite has been revoked.");
    case InviteStatus::exhausted:
      throw Error(ErrorKind::conflict, fmt::format("the invite {} is used up ({} of {} uses)",
                                                   inv->code, inv->uses, inv->max_uses))
          .with_public("This invite has been used up.");
    case InviteStatus::expired:
      throw Error(ErrorKind::conflict, fmt::format("the invite {} expired at {}", inv->code,
                                                   util::format_time(*inv->expires_at)))
          .with_public("This invite has expired.");
    case InviteStatus::active:
      break;
  }
  throw Error(
      ErrorKind::policy,
      Problems{{"email",
                fmt::format("the invite {} is for another email address, not {}", inv->code, email),
                "This invite is for another email address."}});
}

void InviteService::complete_redemption(std::int64_t invite_id, std::int64_t account_id) {
  m_store.add_autofollows(invite_id, account_id, m_env.clock.now());
}

}  // namespace instctl::invites
