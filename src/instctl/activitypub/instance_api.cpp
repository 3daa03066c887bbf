#include "instctl/activitypub/instance_api.hpp"

#include <fmt/format.h>

#include "instctl/crypto/digest.hpp"
#include "instctl/version.hpp"

namespace instctl::activitypub {

namespace {

// Registration as Mastodon names it: invite mode is Mastodon's "nobody, but invites work".
bool registrations_enabled(const InstanceSummary& s) {
  return s.registrations_mode == "open" || s.registrations_mode == "approval";
}
bool approval_required(const InstanceSummary& s) { return s.registrations_mode == "approval"; }
bool invites_enabled(const InstanceSummary& s) { return s.registrations_mode != "closed"; }

Json rules_json(const InstanceSummary& s) {
  Json rules = Json::array();
  for (const auto& r : s.rules) rules.push_back(rule_entity(r));
  return rules;
}

Json status_limits() {
  return Json{
      {"max_characters", 500}, {"max_media_attachments", 4}, {"characters_reserved_per_url", 23}};
}

Json media_limits() {
  return Json{{"supported_mime_types", Json::array()},
              {"image_size_limit", 0},
              {"image_matrix_limit", 0},
              {"video_size_limit", 0},
              {"video_frame_rate_limit", 0},
              {"video_matrix_limit", 0}};
}

Json poll_limits() {
  return Json{{"max_options", 4},
              {"max_characters_per_option", 50},
              {"min_expiration", 300},
              {"max_expiration", 2629746}};
}

// Only what is served. There is no streaming API, so `urls` (v1) and `configuration.urls`
// (v2) stay objects, as clients expect them, without a streaming URL: a client that finds none
// does not open a WebSocket that would fail. v2 names the privacy policy's page as Mastodon
// 4.3's configuration.urls.privacy_policy does (null without one); v1 has no such field.
Json served_urls() { return Json::object(); }
Json served_urls_v2(const InstanceSummary& s) {
  Json urls = served_urls();
  urls["privacy_policy"] =
      s.privacy_policy_url.empty() ? Json(nullptr) : Json(s.privacy_policy_url);
  return urls;
}

}  // namespace

// The version string is what Mastodon clients and crawlers parse to choose which endpoints and
// entity shapes to use: the leading Mastodon version, then "(compatible; NAME VERSION)" saying
// it is another server, the form Pleroma, Akkoma, Pixelfed and GoToSocial (with its
// instance-inject-mastodon-version) use, which Mastodon.py, masto.js and the crawlers read.
// The Mastodon part is the oldest release whose shapes are served here, 4.0.0, the first with
// /api/v2/instance: a newer one would announce what is not served (api_versions, the 4.3
// notification groups) and clients would call it. The suffix tells clients that this is not
// Mastodon, so they do not count on its statuses, timelines or streaming APIs.
std::string api_version() { return fmt::format("4.0.0 (compatible; instctl {})", k_version); }

Json rule_entity(const instance::Rule& r) {
  return Json{{"id", std::to_string(r.id)}, {"text", r.text}, {"hint", r.hint}};
}

Json instance_v1(const InstanceSummary& s) {
  // Mastodon names the instance by its LOCAL_DOMAIN, the one in handles.
  return Json{
      {"uri", s.site.account_domain},
      {"title", s.site.title},
      {"short_description", s.description},
      {"description", s.description},
      {"email", s.contact_email},
      {"version", api_version()},
      {"urls", served_urls()},
      {"stats",
       Json{{"user_count", s.user_count}, {"status_count", 0}, {"domain_count", s.domain_count}}},
      {"thumbnail", nullptr},
      {"languages", Json::array({"en"})},
      {"registrations", registrations_enabled(s)},
      {"approval_required", approval_required(s)},
      {"invites_enabled", invites_enabled(s)},
      {"configuration", Json{{"accounts", Json{{"max_featured_tags", 0}}},
                             {"statuses", status_limits()},
                             {"media_attachments", media_limits()},
                             {"polls", poll_limits()}}},
      {"contact_account", nullptr},
      {"rules", rules_json(s)}};
}

Json instance_v2(const InstanceSummary& s) {
  return Json{{"domain", s.site.account_domain},
              {"title", s.site.title},
              {"version", api_version()},
              {"source_url", ""},
              {"description", s.description},
              {"usage", Json{{"users", Json{{"active_month", s.active_month}}}}},
              {"thumbnail", nullptr},
              {"languages", Json::array({"en"})},
              {"configuration", Json{{"urls", served_urls_v2(s)},
                                     {"accounts", Json{{"max_featured_tags", 0}}},
                                     {"statuses", status_limits()},
                                     {"media_attachments", media_limits()},
                                     {"polls", poll_limits()},
                                     {"translation", Json{{"enabled", false}}}}},
              {"registrations", Json{{"enabled", registrations_enabled(s)},
                                     {"approval_required", approval_required(s)},
                                     {"message", nullptr}}},
              {"contact", Json{{"email", s.contact_email}, {"account", nullptr}}},
              {"rules", rules_json(s)}};
}

std::string obfuscate_domain(std::string_view domain) {
  // Mastodon keeps a quarter of the length visible at each end.
  const std::size_t n = domain.size();
  const std::size_t visible = n / 4;
  std::string out(domain);
  for (std::size_t i = 0; i < n; ++i) {
    if (i > visible && i < n - visible && out[i] != '.') out[i] = '*';
  }
  return out;
}

Json domain_block_entity(std::string_view domain, std::string_view severity,
                         std::string_view public_comment, bool obfuscate) {
  return Json{{"domain", obfuscate ? obfuscate_domain(domain) : std::string(domain)},
              {"digest", crypto::sha256_hex(domain)},
              {"severity", severity},
              {"comment", public_comment}};
}

}  // namespace instctl::activitypub
