#pragma once

// What every page says around its own content: the instance's title and description (the
// header), and the footer (about, the privacy policy when there is one, the contact address).
// The templates _head, _site_header and _foot read these names.

#include <string>
#include <string_view>

#include "instctl/http/router.hpp"
#include "instctl/http/templates.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/onboarding/onboarding_service.hpp"

namespace instctl::http::views {

// Everything a page says about the instance.
struct Site {
  instance::InstanceInfo info;
  onboarding::SiteTexts texts;
  std::string contact_email;
  bool has_privacy_policy = false;
};

// The instance as this request sees it.
Site load_site(RouteContext& ctx);
// The instance's title, or its domain when it has none.
std::string title_of(const Site& s);

// Whether people may sign up without an invite (open and approval modes): the sign-up page
// shows its form then, and /about its button.
bool signs_up_without_invite(const onboarding::SiteTexts& t);
// Whether / leads to the waitlist rather than /about: when joining takes an invite and the
// waitlist is open, which is where the sign-up page sends people then.
bool waitlist_is_front_door(const onboarding::SiteTexts& t);

enum class Indexing { noindex, allowed };

// `data` with the frame's names added: page_title, site_title, description, account_domain,
// contact_email, privacy_policy, indexable.
TemplateData page_data(const Site& s, std::string_view page_title, TemplateData data,
                       Indexing indexing = Indexing::noindex);

// The instance's rules for the _rules partial: has_rules, rules (each {text, hint}).
void add_rules(const Site& s, TemplateData& data);

// A page rendered from template `name` and the frame.
std::string render_page(std::string_view name, const Site& s, std::string_view page_title,
                        TemplateData data, Indexing indexing = Indexing::noindex);

}  // namespace instctl::http::views
