#include "instctl/members/data_export.hpp"

#include <limits>

#include "instctl/auth/oidc_service.hpp"
#include "instctl/invites/invite_service.hpp"
#include "instctl/moderation/moderation_service.hpp"
#include "instctl/reports/report_service.hpp"
#include "instctl/users/relationships.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/util/time.hpp"
#include "instctl/waitlist/waitlist_service.hpp"

namespace instctl::members {

namespace {

constexpr auto k_all = std::numeric_limits<std::int64_t>::max();

Json optional_time(const std::optional<UnixTime>& t) {
  return t ? Json(util::format_time(*t)) : Json(nullptr);
}

// What `users show --json` says of the account, and whether it has a password.
Json account_part(users::UserService& users, const users::User& u) {
  Json j = users.details(u);
  j["has_password"] = users.has_password(u.id);
  return j;
}

Json invites_part(Env& env, const users::User& u) {
  Json out = Json::array();
  const auto now = env.clock.now();
  for (const auto& inv : invites::InviteService(env).created_by(u.username)) {
    out.push_back(Json{{"code", inv.code},
                       {"status", invites::to_string(inv.status(now))},
                       {"uses", inv.uses},
                       {"max_uses", inv.max_uses},
                       {"message", inv.message},
                       {"created_at", util::format_time(inv.created_at)},
                       {"expires_at", optional_time(inv.expires_at)}});
  }
  return out;
}

// What the member wrote and what became of it; not the moderators' notes or assignment.
Json reports_part(Env& env, const users::User& u) {
  Json out = Json::array();
  for (const auto& r : reports::ReportService(env).filed_by(u.id)) {
    out.push_back(Json{{"id", r.id},
                       {"target", r.target},
                       {"category", reports::to_string(r.category)},
                       {"comment", r.comment},
                       {"status_urls", r.status_urls},
                       {"status", reports::to_string(r.status)},
                       {"created_at", util::format_time(r.created_at)},
                       {"resolved_at", optional_time(r.resolved_at)}});
  }
  return out;
}

// The moderation actions taken against the account, with the text the member was told; not the
// moderator's name nor the reports behind them (those are the moderators' records).
Json strikes_part(Env& env, const users::User& u) {
  Json out = Json::array();
  for (const auto& s : moderation::ModerationService(env).strikes(u.id)) {
    out.push_back(Json{{"action", moderation::to_string(s.action)},
                       {"text", s.text},
                       {"created_at", util::format_time(s.created_at)}});
  }
  return out;
}

// The waitlist entry made with the account's address, as the person gave it and what became
// of it; null when there is none.
Json waitlist_part(Env& env, const users::User& u) {
  if (!u.email) return nullptr;
  const auto e = waitlist::WaitlistService(env).by_email(*u.email);
  if (!e) return nullptr;
  return Json{{"email", e->email},
              {"username", e->username ? Json(*e->username) : Json(nullptr)},
              {"reason", e->reason},
              {"status", waitlist::to_string(e->status)},
              {"created_at", util::format_time(e->created_at)},
              {"confirmed_at", optional_time(e->confirmed_at)},
              {"invited_at", optional_time(e->invited_at)},
              {"joined_at", optional_time(e->joined_at)}};
}

}  // namespace

Json export_data(Env& env, const users::User& u) {
  users::UserService users(env);
  const auto& pub = users.instance().public_url;
  Json identities = Json::array();
  for (const auto& i : auth::OidcService(env).identities(u.id))
    identities.push_back(auth::to_json(i));
  return Json{{"version", k_export_version},
              {"exported_at", util::format_time(env.clock.now())},
              {"account", account_part(users, u)},
              {"identities", identities},
              {"followers", users::follower_uris(env.db, u.id, pub, k_all, 0)},
              {"following", users::following_uris(env.db, u.id, pub, k_all, 0)},
              {"follow_requests", users::follow_request_uris(env.db, u.id, pub, k_all, 0)},
              {"invites", invites_part(env, u)},
              {"reports_filed", reports_part(env, u)},
              {"strikes", strikes_part(env, u)},
              {"waitlist_entry", waitlist_part(env, u)}};
}

}  // namespace instctl::members
