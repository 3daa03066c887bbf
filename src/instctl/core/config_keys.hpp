#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace instctl {

enum class ConfigType {
  text,       // any single line of text
  name,       // a single line of text that is not empty (a title pages show)
  multiline,  // free text (descriptions)
  boolean,    // true/false (also yes/no, on/off, 1/0; stored as true/false)
  choice,     // one of `choices`
  url,        // http(s)://...
  smtp_url,   // smtp:// or smtps://
  email,
  mailbox,      // an address, or Name <address> (mail.from)
  file,         // a path to a file holding a secret; the secret itself never enters the database
  text_file,    // a path to a readable UTF-8 text file (util::read_text_file), checked when set
  duration,     // 30m, 12h, 7d, 2w (util::parse_duration), stored as given
  listen,       // ADDR:PORT
  domain_list,  // comma-separated domains
  rate,         // N/DURATION: N requests, refilled over DURATION
};

struct ConfigKey {
  std::string_view name;
  ConfigType type;
  std::string_view default_value;  // "" when unset means "not configured"
  std::string_view description;
  std::vector<std::string_view> choices = {};
};

// Every instance setting, in the order `config list` shows them. The one place that knows them.
const std::vector<ConfigKey>& config_keys();
const ConfigKey* find_config_key(std::string_view name);
// Returns the canonical stored form of `value` for `key`, or throws Error(usage) naming what is
// accepted. Unknown keys throw Error(usage) listing the known ones.
std::string validate_config_value(std::string_view key, std::string_view value);
const ConfigKey& require_config_key(std::string_view name);

// A mailbox as RFC 5322 writes it in From: `address` or `Name <address>` (the name may be in
// double quotes). The address is what the SMTP envelope carries, the whole the From header.
struct Mailbox {
  std::string name;  // "" when only an address was given
  std::string address;
};
// nullopt unless the text is one of the two forms with a plain address (no spaces, angle
// brackets, commas or semicolons) and a name without angle brackets, quotes or line breaks.
std::optional<Mailbox> parse_mailbox(std::string_view text);

}  // namespace instctl
