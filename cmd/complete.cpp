// instctl __complete: the hidden command behind the shell completions.
//   __complete tree              every command, option and positional, tab-separated (docs test)
//   __complete bash|zsh|fish     the completion script for a shell (make completions)
//   __complete [--] values KIND [PREFIX [PREVIOUS]]  values from the database (or a
//                                setting's choices), asked by the scripts as you type; PREVIOUS
//                                is the word before the one completed (an option's name, so the
//                                scripts put -- first)
// Which arguments complete to which values is decided here, once, for every shell.

#include "complete.hpp"

#include <fmt/format.h>

#include <map>

#include "cli.hpp"
#include "instctl/core/config_keys.hpp"
#include "instctl/core/error.hpp"
#include "instctl/email_blocks/email_block_service.hpp"
#include "instctl/federation/domain_service.hpp"
#include "instctl/instance/rules.hpp"
#include "instctl/invites/invite_service.hpp"
#include "instctl/reports/report_service.hpp"
#include "instctl/suggestions/suggestion_service.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/waitlist/waitlist_service.hpp"

namespace instctl::cli {
namespace {

using completion::Node;

// Arguments whose values come from the database, by "group verb NAME", "group NAME" or "NAME"
// (the most specific wins). Each kind is one of k_value_kinds below.
const std::map<std::string, std::string>& dynamic_kinds() {
  static const std::map<std::string, std::string> kinds = {
      {"USER", "users"},
      {"ACCT", "users"},
      {"reports assign --to", "users"},
      {"--as", "users"},
      {"--autofollow", "users"},
      {"--reporter", "users"},
      {"reports --target", "users"},
      {"reports --assigned-to", "users"},
      {"KEY", "config-keys"},
      {"rules ID", "rules"},
      {"--rule", "rules"},
      {"reports ID", "open-reports"},
      {"reports reopen ID", "resolved-reports"},
      {"invites CODE", "invites"},
      {"--invite", "invites"},
      {"waitlist ENTRY", "waitlist"},
      {"waitlist admit ENTRY", "waitlist-waiting"},
      {"waitlist reject ENTRY", "waitlist-waiting"},
      {"email-blocks remove DOMAIN", "email-blocks"},
      {"suggestions remove USER", "suggestions"},
      {"users approve USER", "pending-users"},
      {"users reject USER", "pending-users"},
      {"config set VALUE", "config-values"},
      {"federation unblock DOMAIN", "blocked-domains"},
      {"federation disallow DOMAIN", "allowed-domains"},
  };
  return kinds;
}

void print_report_ids(Context& ctx, reports::Status status) {
  reports::ReportService svc(ctx.env());
  reports::ListRequest req;
  req.status = status;
  for (const auto& r : svc.list(req)) fmt::print("{}\n", r.id);
}

void print_waitlist(Context& ctx, std::optional<waitlist::EntryStatus> status) {
  waitlist::WaitlistService svc(ctx.env());
  for (const auto& e : svc.list(status, 0)) fmt::print("{}\n", e.email);
}

// What a value completes to: `prefix` is the word typed so far, `previous` the word before it
// (the setting whose value `config set KEY <TAB>` completes).
struct ValueKind {
  const char* name;
  void (*print)(Context& ctx, const std::string& prefix, const std::string& previous);
};

void print_users(Context& ctx, const std::string& prefix, std::optional<users::Status> status) {
  // Narrowed by what was typed, so a large instance still completes quickly.
  users::UserService svc(ctx.env());
  users::ListFilter f;
  f.include_deleted = false;
  f.status = status;
  if (prefix.empty())
    f.limit = 1000;
  else
    f.search = prefix;
  for (const auto& u : svc.list(f)) {
    if (u.username.starts_with(prefix)) fmt::print("{}\n", u.username);
  }
}

// The values a setting accepts, when they are a fixed set.
void print_config_values(const std::string& key) {
  const auto* k = find_config_key(key);
  if (k == nullptr) return;
  if (k->type == ConfigType::boolean) fmt::print("true\nfalse\n");
  for (const auto c : k->choices) fmt::print("{}\n", c);
}

const ValueKind k_value_kinds[] = {
    {"users", [](Context& ctx, const std::string& prefix,
                 const std::string&) { print_users(ctx, prefix, std::nullopt); }},
    {"config-keys",
     [](Context&, const std::string&, const std::string&) {
       for (const auto& k : config_keys()) fmt::print("{}\n", k.name);
     }},
    {"rules",
     [](Context& ctx, const std::string&, const std::string&) {
       for (const auto& r : instance::list_rules(ctx.db())) fmt::print("{}\n", r.id);
     }},
    {"open-reports", [](Context& ctx, const std::string&,
                        const std::string&) { print_report_ids(ctx, reports::Status::open); }},
    {"invites",
     [](Context& ctx, const std::string&, const std::string&) {
       invites::InviteService svc(ctx.env());
       for (const auto& i : svc.list(invites::InviteStatus::active)) fmt::print("{}\n", i.code);
     }},
    {"waitlist", [](Context& ctx, const std::string&,
                    const std::string&) { print_waitlist(ctx, std::nullopt); }},
    {"waitlist-waiting",
     [](Context& ctx, const std::string&, const std::string&) {
       print_waitlist(ctx, waitlist::EntryStatus::waiting);
     }},
    {"email-blocks",
     [](Context& ctx, const std::string&, const std::string&) {
       email_blocks::EmailBlockService svc(ctx.env());
       for (const auto& b : svc.list()) fmt::print("{}\n", b.domain);
     }},
    {"suggestions",
     [](Context& ctx, const std::string&, const std::string&) {
       suggestions::SuggestionService svc(ctx.env());
       for (const auto& s : svc.list()) fmt::print("{}\n", s.user.username);
     }},
    {"resolved-reports",
     [](Context& ctx, const std::string&, const std::string&) {
       print_report_ids(ctx, reports::Status::resolved);
     }},
    {"pending-users", [](Context& ctx, const std::string& prefix,
                         const std::string&) { print_users(ctx, prefix, users::Status::pending); }},
    {"config-values",
     [](Context&, const std::string&, const std::string& key) { print_config_values(key); }},
    {"blocked-domains",
     [](Context& ctx, const std::string&, const std::string&) {
       for (const auto& b : federation::DomainService(ctx.env()).blocks()) {
         fmt::print("{}\n", b.domain);
       }
     }},
    {"allowed-domains",
     [](Context& ctx, const std::string&, const std::string&) {
       for (const auto& d : federation::DomainService(ctx.env()).allows()) fmt::print("{}\n", d);
     }},
};

void print_values(Context& ctx, const std::string& kind, const std::string& prefix,
                  const std::string& previous) {
  for (const auto& k : k_value_kinds) {
    if (kind == k.name) return k.print(ctx, prefix, previous);
  }
  std::vector<std::string> names;
  for (const auto& k : k_value_kinds) names.emplace_back(k.name);
  throw Error(ErrorKind::usage, fmt::format("no completion values of kind '{}'; the kinds are: {}",
                                            kind, fmt::join(names, ", ")));
}

std::string dynamic_kind(const std::string& path, const std::string& name) {
  const auto words = util::split(path, ' ');  // "instctl", group, verb
  std::vector<std::string> keys;
  if (words.size() >= 3) keys.push_back(fmt::format("{} {} {}", words[1], words[2], name));
  if (words.size() >= 2) keys.push_back(fmt::format("{} {}", words[1], name));
  keys.push_back(name);
  for (const auto& key : keys) {
    if (auto it = dynamic_kinds().find(key); it != dynamic_kinds().end()) return it->second;
  }
  return "";
}

bool names_a_file(const std::string& name) {
  return name == "FILE" || name == "PATH" || name == "--db" || name == "--access-log" ||
         name == "--to" || name.ends_with("-file");
}

std::string choices_of(const CLI::Option* o) {
  const std::string type = o->get_type_name();
  const auto open = type.find('{');
  const auto close = type.find('}', open);
  if (open == std::string::npos || close == std::string::npos) return "";
  return type.substr(open + 1, close - open - 1);  // a,b,c
}

std::string value_spec(const std::string& path, const std::string& name, const CLI::Option* o) {
  if (const auto choices = choices_of(o); !choices.empty()) return "words:" + choices;
  if (const auto kind = dynamic_kind(path, name); !kind.empty()) return "values:" + kind;
  if (names_a_file(name)) return "files";
  return "text";
}

void collect(const CLI::App* app, const std::string& path, std::vector<Node>& out) {
  Node n;
  n.path = path;
  n.description = app->get_description();
  for (const CLI::Option* o : app->get_options()) {
    if (o->get_positional() && !o->nonpositional()) {
      const std::string name = o->get_name(true);
      const bool repeats = o->get_items_expected_max() > 1;
      n.positionals.push_back(value_spec(path, name, o) + (repeats ? "..." : ""));
      n.positional_names.push_back(name);
      continue;
    }
    completion::Option info;
    for (const auto& l : o->get_lnames()) info.names.push_back("--" + l);
    for (const auto& s : o->get_snames()) info.names.push_back("-" + s);
    info.spec = o->get_items_expected_max() == 0 ? "flag" : value_spec(path, info.names.front(), o);
    info.description = o->get_description();
    n.options.push_back(std::move(info));
  }
  const auto subs = app->get_subcommands([](const CLI::App* s) {
    return !s->get_group().empty();  // hidden commands have no group
  });
  for (const auto* s : subs) n.subs.push_back({s->get_name(), s->get_description()});
  out.push_back(n);
  for (const auto* s : subs) collect(s, path + " " + s->get_name(), out);
}

// The tree for the docs test: paths without the leading "instctl".
void print_tree(const std::vector<Node>& nodes) {
  for (const auto& n : nodes) {
    const std::string path = n.path == "instctl" ? "" : n.path.substr(8);
    fmt::print("cmd\t{}\t{}\n", path, completion::one_line(n.description));
    for (const auto& o : n.options) {
      fmt::print("opt\t{}\t{}\t{}\n", path, o.names.front(), o.spec == "flag" ? "flag" : "value");
    }
    for (const auto& p : n.positional_names) fmt::print("pos\t{}\t{}\n", path, p);
  }
}

void setup_complete(CLI::App& app, Context& ctx) {
  auto args = std::make_shared<std::vector<std::string>>();
  auto* cmd = app.add_subcommand("__complete", "Shell completion support");
  cmd->group("");  // hidden from --help and from the completions themselves
  cmd->add_option("ARGS", *args, "tree | bash | zsh | fish | values KIND [PREFIX [PREVIOUS]]")
      ->required();
  cmd->callback([&app, &ctx, args] {
    const std::string what = args->front();
    if (what == "values") {
      if (args->size() < 2 || args->size() > 4) {
        throw Error(ErrorKind::usage, "usage: instctl __complete values KIND [PREFIX [PREVIOUS]]");
      }
      return print_values(ctx, (*args)[1], args->size() >= 3 ? (*args)[2] : "",
                          args->size() == 4 ? (*args)[3] : "");
    }
    if (args->size() != 1)
      throw Error(ErrorKind::usage, "usage: instctl __complete tree|bash|zsh|fish");
    std::vector<Node> nodes;
    collect(&app, "instctl", nodes);
    if (what == "tree") return print_tree(nodes);
    if (what == "bash") return completion::print_bash(nodes);
    if (what == "zsh") return completion::print_zsh(nodes);
    if (what == "fish") return completion::print_fish(nodes);
    throw Error(ErrorKind::usage,
                fmt::format("__complete {}: expected tree, bash, zsh, fish or values KIND", what));
  });
}

}  // namespace

namespace completion {

std::string one_line(const std::string& text) {
  std::string out;
  for (char c : text.substr(0, text.find('\n'))) {
    if (c == '\'' || c == '"' || c == '`' || c == '$' || c == '\\') continue;
    out += c;
  }
  return out;
}

std::string option_names(const Node& n) {
  std::vector<std::string> names;
  for (const auto& o : n.options) names.insert(names.end(), o.names.begin(), o.names.end());
  return fmt::format("{}", fmt::join(names, " "));
}

std::string positional_specs(const Node& n) {
  return fmt::format("{}", fmt::join(n.positionals, " "));
}

}  // namespace completion

INSTCTL_COMMAND_GROUP(1000, "__complete", setup_complete);

}  // namespace instctl::cli
