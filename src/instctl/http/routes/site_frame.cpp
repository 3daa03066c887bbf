#include "instctl/http/routes/site_frame.hpp"

#include "instctl/auth/provider.hpp"
#include "instctl/instance/privacy_policy.hpp"
#include "instctl/instance/settings.hpp"

namespace instctl::http::views {

Site load_site(RouteContext& ctx) {
  auto texts = onboarding::OnboardingService(ctx.env).site();
  if (const auto partner = auth::load_oidc_settings(ctx.env.db); partner.enabled()) {
    texts.partner_name = partner.button_name();
    texts.partner_bypasses_invites = partner.bypass_waitlist;
  }
  return Site{ctx.site(), std::move(texts),
              instance::Settings(ctx.env.db).get("instance.contact_email"),
              instance::has_privacy_policy(ctx.env.db)};
}

std::string title_of(const Site& s) { return s.info.title.empty() ? s.info.domain : s.info.title; }

bool signs_up_without_invite(const onboarding::SiteTexts& t) {
  return t.mode == users::RegistrationMode::open || t.mode == users::RegistrationMode::approval;
}

bool waitlist_is_front_door(const onboarding::SiteTexts& t) {
  return t.waitlist_enabled && !signs_up_without_invite(t);
}

TemplateData page_data(const Site& s, std::string_view page_title, TemplateData data,
                       Indexing indexing) {
  data.emplace("page_title", std::string(page_title));
  data.emplace("site_title", title_of(s));
  data.emplace("description", text_paragraphs(s.texts.description));
  data.emplace("account_domain", s.info.account_domain);
  data.emplace("contact_email", s.contact_email);
  data.emplace("privacy_policy", s.has_privacy_policy);
  data.emplace("indexable", indexing == Indexing::allowed);
  return data;
}

void add_rules(const Site& s, TemplateData& data) {
  mstch::array rules;
  for (const auto& r : s.texts.rules)
    rules.emplace_back(mstch::map{{"text", r.text}, {"hint", r.hint}});
  data.emplace("has_rules", !rules.empty());
  data.emplace("rules", std::move(rules));
}

std::string render_page(std::string_view name, const Site& s, std::string_view page_title,
                        TemplateData data, Indexing indexing) {
  return render_template(name, page_data(s, page_title, std::move(data), indexing));
}

}  // namespace instctl::http::views
