#include "instctl/activitypub/webfinger_parse.hpp"

#include <fmt/format.h>

#include "instctl/core/json.hpp"
#include "instctl/core/untrusted_json.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::activitypub {

namespace {
bool is_http_url(const std::string& s) {
  return util::starts_with_ci(s, "https://") || util::starts_with_ci(s, "http://");
}

bool is_activity_type(const std::string& type) {
  const auto t = util::to_lower(type);
  return t.starts_with("application/activity+json") ||
         (t.starts_with("application/ld+json") &&
          t.find("https://www.w3.org/ns/activitystreams") != std::string::npos);
}
}  // namespace

std::optional<Acct> parse_acct(std::string_view text) {
  std::string_view t = util::trim(text);
  if (util::starts_with_ci(t, "acct:")) t.remove_prefix(5);
  if (t.starts_with("@")) t.remove_prefix(1);
  const auto at = t.find('@');
  if (at == std::string_view::npos || at == 0 || at + 1 >= t.size()) return std::nullopt;
  Acct a{std::string(t.substr(0, at)), util::to_lower(t.substr(at + 1))};
  for (char c : a.username) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '.' || c == '-';
    if (!ok) return std::nullopt;
  }
  for (char c : a.domain) {
    const bool ok =
        (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == ':';
    if (!ok) return std::nullopt;
  }
  if (a.domain.front() == '.' || a.domain.back() == '.' || a.domain.front() == ':' ||
      a.domain.find("..") != std::string::npos || a.username.size() > 255) {
    return std::nullopt;
  }
  return a;
}

std::string url_encode(std::string_view text) {
  std::string out;
  for (unsigned char c : text) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string webfinger_url(const Acct& acct, std::string_view scheme) {
  return fmt::format("{}://{}/.well-known/webfinger?resource={}", scheme, acct.domain,
                     url_encode("acct:" + acct.text()));
}

Parsed<WebFinger> parse_webfinger(std::string_view body, const Acct& asked) {
  auto parsed = parse_untrusted_json(body);
  if (!parsed)
    return Parsed<WebFinger>::fail("the WebFinger answer is not JSON (or nests too deep)");
  Json doc = std::move(*parsed);
  if (!doc.is_object() || !doc.contains("subject") || !doc["subject"].is_string()) {
    return Parsed<WebFinger>::fail("the WebFinger answer has no subject");
  }
  WebFinger wf;
  wf.subject = doc["subject"].get<std::string>();
  const auto subject = parse_acct(wf.subject);
  if (!subject || !util::iequals(subject->username, asked.username) ||
      !util::iequals(subject->domain, asked.domain)) {
    return Parsed<WebFinger>::fail(fmt::format(
        "the WebFinger answer is about {} instead of {}: refused", wf.subject, asked.text()));
  }
  if (doc.contains("aliases") && doc["aliases"].is_array()) {
    for (const auto& a : doc["aliases"]) {
      if (a.is_string()) wf.aliases.push_back(a.get<std::string>());
    }
  }
  if (doc.contains("links") && doc["links"].is_array()) {
    for (const auto& l : doc["links"]) {
      if (!l.is_object() || !l.contains("rel") || !l["rel"].is_string()) continue;
      const auto rel = l["rel"].get<std::string>();
      const auto href =
          l.contains("href") && l["href"].is_string() ? l["href"].get<std::string>() : "";
      const auto type =
          l.contains("type") && l["type"].is_string() ? l["type"].get<std::string>() : "";
      if (rel == "self" && wf.self.empty() && is_activity_type(type) && is_http_url(href))
        wf.self = href;
      if (rel == "http://webfinger.net/rel/profile-page" && wf.profile_page.empty())
        wf.profile_page = href;
    }
  }
  if (wf.self.empty()) {
    return Parsed<WebFinger>::fail(
        fmt::format("the WebFinger answer for {} names no ActivityPub actor (no self link of type "
                    "application/activity+json)",
                    asked.text()));
  }
  return Parsed<WebFinger>::ok(std::move(wf));
}

}  // namespace instctl::activitypub
