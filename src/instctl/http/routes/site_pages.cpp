// The pages people follow links to: /@USERNAME (a member's profile, the actor's `url`),
// /about, / (leads to /about or the waitlist), /privacy-policy and /favicon.ico. Rendered from
// the templates in src/instctl/http/templates/; the data comes from the services.

#include <fmt/format.h>

#include "instctl/activitypub/urls.hpp"
#include "instctl/federation/public_lists.hpp"
#include "instctl/http/html_page.hpp"
#include "instctl/http/routes/local_accounts.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/http/routes/site_frame.hpp"
#include "instctl/http/web_assets.hpp"
#include "instctl/instance/privacy_policy.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/util/time.hpp"

namespace instctl::http {

namespace {

using views::Site;

Response notice(const Site& site, int status, std::string heading, std::string text,
                std::string handle = "") {
  return html_response(status, views::render_page("notice", site, heading,
                                                  {{"heading", heading},
                                                   {"text", std::move(text)},
                                                   {"handle", std::move(handle)}}));
}

Response profile(RouteContext& ctx) {
  const auto site = views::load_site(ctx);
  const auto& username = ctx.param("username");
  auto found = lookup_member(ctx, username);
  const auto handle = instance::handle(site.info, username);
  if (!found.user) {
    if (found.answer.status != 410) {
      return notice(site, 404, "No such account",
                    fmt::format("There is no account {} on this server.", handle));
    }
    const bool deleted = found.status == users::Status::deleted;
    return notice(site, 410,
                  deleted ? "This account has been deleted" : "This account is suspended",
                  deleted ? "Its owner deleted it. Its handle stays reserved."
                          : "The admins of this server have suspended it.",
                  handle);
  }
  const auto& u = *found.user;
  const auto actor = activitypub::actor_url(site.info.public_url, u.username);
  const auto name = u.display_name.empty() ? u.username : u.display_name;
  TemplateData data{
      {"display_name", name},
      {"handle", instance::handle(site.info, u.username)},
      {"bio", !u.note.empty()},
      {"paragraphs", text_paragraphs(u.note)},
      {"joined", util::format_date(u.created_at)},
      {"joined_iso", util::format_time(u.created_at)},
      // instctl has no setting that hides a member's counts: the actor shows them too.
      {"show_followers", true},
      {"followers", std::to_string(users::AccountStore(ctx.env.db).followers_count(u.id))},
      {"locked", u.manually_approves_followers},
      {"actor_url", actor}};
  const auto indexing = u.discoverable ? views::Indexing::allowed : views::Indexing::noindex;
  Response r =
      html_response(200, views::render_page("profile", site, name, std::move(data), indexing));
  r.header("Link",
           fmt::format("<{}>; rel=\"alternate\"; type=\"application/activity+json\"", actor));
  return r;
}

std::string join_text(const Site& site) {
  switch (site.texts.mode) {
    case users::RegistrationMode::open:
      return "Anyone may create an account.";
    case users::RegistrationMode::approval:
      return "Anyone may ask for an account: a moderator reviews each one before it can be used.";
    case users::RegistrationMode::invite:
      return "Joining is by invitation: you need an invite link from a member or the admins.";
    case users::RegistrationMode::closed:
      break;
  }
  return "This server is not taking new members at the moment.";
}

// The moderated servers as /api/v1/instance/domain_blocks shows them (api.show_domain_blocks,
// obfuscation): the same list, or none when that setting hides it.
void add_domain_blocks(RouteContext& ctx, TemplateData& data) {
  const auto blocks = federation::public_domain_blocks(ctx.env.db);
  data.emplace("show_blocks", blocks.has_value());
  if (!blocks) return;
  mstch::array rows;
  for (const auto& b : *blocks) {
    const auto severity = b.value("severity", "");
    rows.emplace_back(
        mstch::map{{"domain", b.value("domain", "")},
                   {"severity", std::string(severity == "suspend" ? "Blocked" : "Limited")},
                   {"comment", b.value("comment", "")}});
  }
  data.emplace("has_blocks", !rows.empty());
  data.emplace("blocks", std::move(rows));
}

Response about(RouteContext& ctx) {
  const auto site = views::load_site(ctx);
  const auto& t = site.texts;
  const bool closed = t.mode == users::RegistrationMode::closed;
  const bool partner = t.partner_name && !closed &&
                       (views::signs_up_without_invite(t) || t.partner_bypasses_invites);
  TemplateData data{{"join_text", join_text(site)},
                    {"sign_up", views::signs_up_without_invite(t)},
                    {"waitlist", t.waitlist_enabled},
                    {"partner_name", partner ? *t.partner_name : std::string()}};
  views::add_rules(site, data);
  add_domain_blocks(ctx, data);
  return html_response(
      200, views::render_page("about", site, "About", std::move(data), views::Indexing::allowed));
}

Response front_door(RouteContext& ctx) {
  const auto site = views::load_site(ctx);
  Response r;
  r.status = 302;
  r.content_type = media::k_text;
  r.header("Location", views::waitlist_is_front_door(site.texts) ? "/waitlist" : "/about");
  return r;
}

Response privacy(RouteContext& ctx) {
  const auto site = views::load_site(ctx);
  const auto [text, problem] = instance::read_privacy_policy(ctx.env.db);
  if (!text) {
    Response r =
        notice(site, 404, "No privacy policy", "The admins have not published a privacy policy.");
    r.log_note = problem;  // the admins read it in the error log; visitors see no policy
    return r;
  }
  return html_response(
      200, views::render_page("privacy_policy", site, "Privacy policy",
                              {{"policy", markdown_data(text->text)}}, views::Indexing::allowed));
}

Response favicon(RouteContext&) {
  Response r;
  r.content_type = "image/x-icon";
  r.body = std::string(favicon_ico());
  // The icon changes with a new release at most: browsers keep it for a year.
  r.header("Cache-Control", "public, max-age=31536000");
  return r;
}

}  // namespace

void add_site_page_routes(Router& r) {
  r.add("GET", "/@{username}", profile, Caching::until_change);
  r.add("GET", "/about", about, Caching::until_change);
  r.add("GET", "/", front_door, Caching::until_change);
  r.add("GET", "/privacy-policy", privacy);
  r.add("GET", "/favicon.ico", favicon);
}

}  // namespace instctl::http
