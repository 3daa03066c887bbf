#include "instctl/core/config_keys.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/util/address.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/text_file.hpp"
#include "instctl/util/time.hpp"
#include "instctl/util/token_bucket.hpp"
#include "instctl/util/url.hpp"

namespace instctl {

const std::vector<ConfigKey>& config_keys() {
  using T = ConfigType;
  static const std::vector<ConfigKey> keys = {
      {"instance.title", T::name, "", "The instance's name, shown on pages and in the API"},
      {"instance.description", T::multiline, "", "A short description for the about pages"},
      {"instance.contact_email", T::email, "", "Where people reach the admins"},
      {"instance.privacy_policy_file", T::text_file, "",
       "Markdown or plain text file served as /privacy-policy and linked from every page and "
       "every form that asks for an address (empty: no policy page)"},
      {"registrations.mode",
       T::choice,
       "invite",
       "Who may sign up: open, approval (queued for a moderator), invite, closed",
       {"open", "approval", "invite", "closed"}},
      {"registrations.require_reason", T::boolean, "false",
       "Ask people signing up (and joining the waitlist) why they want to join"},
      {"waitlist.enabled", T::boolean, "false", "Offer the public waitlist page"},
      {"waitlist.confirm_within", T::duration, "48h",
       "How long a web waitlist entry may wait for its address to be confirmed before "
       "'waitlist process' removes it"},
      {"onboarding.rate_limit", T::rate, "10/1h",
       "POSTs to the sign-up and waitlist pages per client address: N/DURATION (a burst of N, "
       "refilled over DURATION)"},
      {"mail.smtp_url", T::smtp_url, "", "SMTP server: smtp://host:port or smtps://host:port"},
      {"mail.from", T::mailbox, "", "Sender of outgoing mail: an address, or Name <address>"},
      {"mail.smtp_user", T::text, "", "SMTP user name, if the server needs one"},
      {"mail.smtp_password_file", T::file, "", "File holding the SMTP password"},
      {"mail.smtp_ca_file", T::file, "",
       "CA certificates (PEM) to verify the SMTP server with, instead of the system's"},
      {"server.public_url", T::url, "", "The instance's public URL (https://DOMAIN by default)"},
      {"server.listen", T::listen, "127.0.0.1:8080", "Where 'instctl serve' listens"},
      {"server.log_format",
       T::choice,
       "text",
       "Format of serve's access and error logs: text (for people) or json (one object per "
       "line, for journald, Loki, jq)",
       {"text", "json"}},
      {"server.metrics",
       T::choice,
       "off",
       "Who may read GET /metrics: off (nobody) or local (loopback and --trusted-proxy "
       "addresses); a token file overrides it",
       {"off", "local"}},
      {"server.metrics_token_file", T::file, "",
       "File holding a bearer token: when set, GET /metrics is served to whoever sends it"},
      {"federation.mode",
       T::choice,
       "blocklist",
       "blocklist: federate with all but blocked domains; allowlist: only with allowed ones",
       {"blocklist", "allowlist"}},
      {"federation.allow_private_addresses", T::boolean, "false",
       "Allow outbound requests to private, loopback and link-local addresses (tests only)"},
      {"federation.allow_http", T::boolean, "false",
       "Allow outbound requests over plain http (tests only)"},
      {"api.show_domain_blocks",
       T::choice,
       "users",
       "Who may see the domain blocks in the API: none, users, all",
       {"none", "users", "all"}},
      {"auth.oidc.issuer", T::url, "", "OpenID Connect provider for partner sign-up"},
      {"auth.oidc.client_id", T::text, "", "Client id registered at the provider"},
      {"auth.oidc.client_secret_file", T::file, "", "File holding the client secret"},
      {"auth.oidc.display_name", T::text, "", "Button text: Continue with <display_name>"},
      {"auth.oidc.bypass_waitlist", T::boolean, "false",
       "Partner members register without an invite in invite mode"},
      {"auth.oidc.allowed_domains", T::domain_list, "",
       "Comma-separated email domains allowed to sign up through the provider (empty: any)"},
  };
  return keys;
}

const ConfigKey* find_config_key(std::string_view name) {
  for (const auto& k : config_keys()) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

const ConfigKey& require_config_key(std::string_view name) {
  if (const auto* k = find_config_key(name)) return *k;
  std::vector<std::string> names;
  for (const auto& k : config_keys()) names.emplace_back(k.name);
  if (const auto near = util::closest_match(name, names); !near.empty()) {
    throw Error(ErrorKind::usage,
                fmt::format("unknown setting '{}'; did you mean {}? ('instctl config list' shows "
                            "every setting)",
                            name, near));
  }
  throw Error(ErrorKind::usage, fmt::format("unknown setting '{}'; known settings: {}", name,
                                            util::join(names, ", ")));
}

namespace {

// An operator's own address (sender, contact) may be on a local host: mods@localhost.
bool plain_address(std::string_view v) {
  return !util::email_problem(v, util::EmailDomain::any_host);
}

[[noreturn]] void bad(const ConfigKey& k, std::string_view value, std::string_view expected) {
  throw Error(ErrorKind::usage,
              fmt::format("invalid value '{}' for {}: expected {}", value, k.name, expected));
}

}  // namespace

std::string validate_config_value(std::string_view name, std::string_view raw) {
  const ConfigKey& k = require_config_key(name);
  const std::string v =
      k.type == ConfigType::multiline ? std::string(raw) : std::string(util::trim(raw));
  if (!util::is_valid_utf8(v)) bad(k, "(binary)", "UTF-8 text");
  switch (k.type) {
    case ConfigType::text:
      if (v.find_first_of("\r\n") != std::string::npos) bad(k, v, "a single line of text");
      return v;
    case ConfigType::name:
      if (v.empty()) {
        throw Error(ErrorKind::usage,
                    fmt::format("{} may not be empty: give a name such as \"Harbour Social\" "
                                "('instctl config unset {}' shows the domain instead)",
                                k.name, k.name));
      }
      if (v.find_first_of("\r\n") != std::string::npos) bad(k, v, "a single line of text");
      return v;
    case ConfigType::multiline:
      return v;
    case ConfigType::boolean: {
      const auto l = util::to_lower(v);
      if (l == "true" || l == "yes" || l == "on" || l == "1") return "true";
      if (l == "false" || l == "no" || l == "off" || l == "0") return "false";
      bad(k, v, "true or false");
    }
    case ConfigType::choice:
      for (auto c : k.choices) {
        if (util::iequals(c, v)) return std::string(c);
      }
      throw Error(ErrorKind::usage,
                  fmt::format("invalid value '{}' for {}: expected one of {}{}", v, k.name,
                              fmt::join(k.choices, ", "),
                              util::did_you_mean(v, {k.choices.begin(), k.choices.end()})));
    case ConfigType::url: {
      if (!util::parse_url(v)) bad(k, v, "an http:// or https:// URL");
      return v.back() == '/' ? v.substr(0, v.size() - 1) : v;
    }
    case ConfigType::smtp_url: {
      const bool scheme = util::starts_with_ci(v, "smtp://") || util::starts_with_ci(v, "smtps://");
      if (!scheme || v.size() <= 8 || v.find_first_of(" \t\r\n") != std::string::npos) {
        bad(k, v, "smtp://HOST[:PORT] or smtps://HOST[:PORT]");
      }
      return v;
    }
    case ConfigType::email:
      if (!plain_address(v)) bad(k, v, "an email address such as admin@example.com");
      return v;
    case ConfigType::mailbox: {
      const auto m = parse_mailbox(v);
      if (!m) {
        bad(k, v, "an email address such as invites@example.com, or Name <invites@example.com>");
      }
      return m->name.empty() ? m->address : fmt::format("{} <{}>", m->name, m->address);
    }
    case ConfigType::file:
      if (v.empty() || v.find_first_of("\r\n") != std::string::npos) bad(k, v, "a file path");
      return v;
    case ConfigType::text_file: {
      if (v.empty() || v.find_first_of("\r\n") != std::string::npos) bad(k, v, "a file path");
      const auto read = util::read_text_file(v);
      if (const auto* p = std::get_if<util::TextFileProblem>(&read)) {
        throw Error(ErrorKind::usage,
                    fmt::format("the file {} {}: {} needs a readable UTF-8 text file of at most "
                                "{} KiB (fix the file, then set it again)",
                                v, p->what, k.name, util::k_max_text_file / 1024));
      }
      return v;
    }
    case ConfigType::duration:
      if (!util::parse_duration(v)) bad(k, v, "a duration such as 30m, 48h, 7d or 2w");
      return v;
    case ConfigType::listen: {
      const auto colon = v.rfind(':');
      const auto port = colon == std::string::npos ? std::string() : v.substr(colon + 1);
      if (colon == std::string::npos || colon == 0 || port.empty() ||
          port.find_first_not_of("0123456789") != std::string::npos || port.size() > 5 ||
          std::stoi(port) > 65535) {
        bad(k, v, "ADDRESS:PORT, e.g. 127.0.0.1:8080");
      }
      return v;
    }
    case ConfigType::domain_list: {
      std::vector<std::string> out;
      for (const auto& part : util::split(v, ',')) {
        const auto d = util::to_lower(util::trim(part));
        if (d.empty()) continue;
        if (!util::is_dns_name(d)) bad(k, v, "comma-separated domain names");
        out.push_back(d);
      }
      return util::join(out, ",");
    }
    case ConfigType::rate:
      if (!util::parse_rate(v)) bad(k, v, "N/DURATION, e.g. 10/1h (N requests per hour)");
      return v;
  }
  return v;
}

std::optional<Mailbox> parse_mailbox(std::string_view text) {
  const auto t = util::trim(text);
  if (t.empty() || t.back() != '>') {
    if (!plain_address(t)) return std::nullopt;
    return Mailbox{"", std::string(t)};
  }
  const auto open = t.rfind('<');
  if (open == std::string_view::npos) return std::nullopt;
  const auto address = t.substr(open + 1, t.size() - open - 2);
  auto name = util::trim(t.substr(0, open));
  if (name.size() >= 2 && name.front() == '"' && name.back() == '"') {
    name = util::trim(name.substr(1, name.size() - 2));
  }
  if (!plain_address(address) || name.find_first_of("<>\"\\") != std::string_view::npos) {
    return std::nullopt;
  }
  for (const unsigned char c : name) {
    if (c < 0x20 || c == 0x7f) return std::nullopt;
  }
  return Mailbox{std::string(name), std::string(address)};
}

}  // namespace instctl
