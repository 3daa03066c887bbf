#include "cli.hpp"

#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "instctl/core/error.hpp"
#include "instctl/db/dialect.hpp"
#include "instctl/db/migrations.hpp"
#include "instctl/db/open.hpp"
#include "instctl/http/seams.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::cli {

std::vector<Group>& groups() {
  static std::vector<Group> all;
  return all;
}

int register_group(int order, const char* name, SetupFn setup) {
  groups().push_back({order, name, setup});
  return 0;
}

CLI::App* add_group(CLI::App& app, const std::string& name, const std::string& description) {
  CLI::App* g = app.add_subcommand(name, description);
  g->require_subcommand(1);
  return g;
}

db::Connection& Context::raw_db() {
  if (!m_db) m_db = db::open(opts.db_path, db::OpenMode::existing);
  return *m_db;
}

db::Connection& Context::create_db() {
  if (!m_db) m_db = db::open(opts.db_path, db::OpenMode::create);
  return *m_db;
}

db::Connection& Context::db() {
  auto& conn = raw_db();
  if (!m_checked) {
    // An empty database (a new PostgreSQL one) wants init, not a migration.
    if (db::schema_version(conn) == 0 && !db::has_tables(conn)) instance::require_instance(conn);
    db::require_current_schema(conn);
    if (!instance::has_instance(conn)) instance::load(conn);  // throws with the hint
    m_checked = true;
  }
  return conn;
}

const Clock& Context::clock() {
  if (!m_clock) m_clock = make_process_clock();
  return *m_clock;
}

Env& Context::env() {
  if (!m_env) m_env = std::make_unique<Env>(Env{db(), clock(), actor(), &http::seams()});
  return *m_env;
}

Output& Context::out() {
  if (!m_out) m_out = std::make_unique<Output>(opts);
  return *m_out;
}

std::string Context::actor() const {
  if (const char* a = std::getenv("INSTCTL_ACTOR"); a != nullptr && *a != '\0') return a;
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr)
    return fmt::format("cli:{}", pw->pw_name);
  return fmt::format("cli:uid{}", geteuid());
}

bool Context::stdin_is_tty() const { return isatty(STDIN_FILENO) != 0; }

void Context::confirm(std::string_view question) {
  if (opts.yes) return;
  if (!stdin_is_tty()) {
    throw Error(
        ErrorKind::usage,
        fmt::format("{}: confirmation needed, and stdin is not a terminal; pass --yes", question));
  }
  std::fprintf(stderr, "%.*s [y/N] ", static_cast<int>(question.size()), question.data());
  std::fflush(stderr);
  std::string answer;
  std::getline(std::cin, answer);
  if (answer != "y" && answer != "Y" && answer != "yes") {
    throw Error(ErrorKind::usage, "not confirmed; nothing was changed");
  }
}

std::string Context::read_secret_stdin() {
  std::string line;
  if (!std::getline(std::cin, line)) {
    throw Error(ErrorKind::usage, "--password-stdin: nothing on stdin; pipe the password in");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

namespace {
std::int64_t now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(steady_clock::now().time_since_epoch()).count();
}
}  // namespace

ProgressBar::ProgressBar(std::string label, std::size_t total)
    : m_label(std::move(label)),
      m_total(total),
      m_enabled(isatty(STDERR_FILENO) != 0 && total > 0) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(std::size_t done) {
  if (!m_enabled || m_finished) return;
  const auto t = now_ms();
  if (done < m_total && t - m_last_draw_ms < 100) return;
  m_last_draw_ms = t;
  constexpr int k_width = 30;
  const double frac = m_total ? static_cast<double>(done) / static_cast<double>(m_total) : 1.0;
  const int filled = static_cast<int>(frac * k_width);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(k_width, '.');
  std::fprintf(stderr, "\r%s [%s] %zu/%zu (%3.0f%%)", m_label.c_str(), bar.c_str(), done, m_total,
               frac * 100);
  std::fflush(stderr);
}

void ProgressBar::clear() {
  if (!m_enabled || m_finished) return;
  std::fprintf(stderr, "\r\033[K");
  m_last_draw_ms = 0;
}

void ProgressBar::finish() {
  if (!m_enabled || m_finished) return;
  m_finished = true;
  std::fprintf(stderr, "\n");
}

// CLI11's parse errors, explained (explain_parse_error, cli.hpp).

namespace {

// The commands the parser entered, from the root: instctl, invites, create.
std::vector<CLI::App*> parsed_chain(CLI::App& app) {
  std::vector<CLI::App*> chain{&app};
  while (!chain.back()->get_subcommands().empty()) {
    chain.push_back(chain.back()->get_subcommands().front());
  }
  return chain;
}

std::string command_path(const std::vector<CLI::App*>& chain) {
  std::vector<std::string> names;
  for (const auto* c : chain) names.push_back(c->get_name());
  return util::join(names, " ");
}

std::vector<std::string> option_names(const std::vector<CLI::App*>& chain) {
  std::vector<std::string> names;
  // The command's own options first (nearer ties win), then the global ones.
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    for (const auto* o : (*it)->get_options()) {
      for (const auto& l : o->get_lnames()) names.push_back("--" + l);
    }
  }
  return names;
}

std::vector<std::string> subcommand_names(CLI::App& cmd) {
  std::vector<std::string> names;
  // Hidden commands (__complete) have no group.
  for (const auto* s : cmd.get_subcommands([](CLI::App* c) { return !c->get_group().empty(); })) {
    names.push_back(s->get_name());
  }
  return names;
}

// The option that takes the value just before `index` (`--expires-in 3 days`: --expires-in).
const CLI::Option* option_before(const std::vector<CLI::App*>& chain,
                                 const std::vector<std::string>& args, std::size_t index) {
  if (index < 2 || args[index - 1].starts_with("-")) return nullptr;
  const std::string& name = args[index - 2];
  if (!name.starts_with("-")) return nullptr;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const auto* o = (*it)->get_option_no_throw(name);
    if (o != nullptr && o->get_type_size_max() > 0) return o;
  }
  return nullptr;
}

std::string extra_argument(const std::vector<CLI::App*>& chain,
                           const std::vector<std::string>& args, const std::string& extra) {
  const std::string path = command_path(chain);
  if (extra.starts_with("-")) {
    const auto name = extra.substr(0, extra.find('='));
    const auto near = util::closest_match(name, option_names(chain));
    return fmt::format("unknown option {} for '{}'; {} '{} --help' for its options", name, path,
                       near.empty() ? "see" : fmt::format("did you mean {}? See", near), path);
  }
  CLI::App& last = *chain.back();
  if (const auto verbs = subcommand_names(last); !verbs.empty()) {
    const auto near = util::closest_match(extra, verbs);
    return fmt::format(
        "unknown command '{}' for '{}'; {}: {}", extra, path,
        near.empty() ? "the commands are" : fmt::format("did you mean {}? The commands are", near),
        util::join(verbs, ", "));
  }
  std::size_t index = args.size();
  for (std::size_t i = 0; i < args.size(); ++i) {
    if (args[i] == extra) index = i;
  }
  if (index < args.size()) {
    if (const auto* o = option_before(chain, args, index)) {
      return fmt::format(
          "unexpected '{}' after '{} {}': {} takes one value ({}); write the value as one word "
          "(or quote it), see '{} --help'",
          extra, args[index - 2], args[index - 1], o->get_name(), o->get_description(), path);
    }
  }
  return fmt::format("unexpected argument '{}': '{}' takes no more arguments; see '{} --help'",
                     extra, path, path);
}

// The arguments the parser could not place, from every command it entered.
std::vector<std::string> leftovers(const std::vector<CLI::App*>& chain) {
  std::vector<std::string> out;
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    for (const auto& r : (*it)->remaining(false)) out.push_back(r);
  }
  return out;
}

// "--format: xml not in {table,json}" -> the values in braces.
std::vector<std::string> listed_values(const std::string& message) {
  const auto open = message.rfind('{');
  const auto close = message.rfind('}');
  if (open == std::string::npos || close == std::string::npos || close < open) return {};
  return util::split(message.substr(open + 1, close - open - 1), ',');
}

}  // namespace

std::string explain_parse_error(CLI::App& app, const CLI::ParseError& e,
                                const std::vector<std::string>& args) {
  const auto chain = parsed_chain(app);
  const std::string path = command_path(chain);
  const std::string message = e.what();
  // Words the parser could not place are the likelier cause of a missing verb or option
  // too (`users crate bob`, `users create bob --emial x`), so they are explained first.
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr ||
      dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
    if (const auto extras = leftovers(chain); !extras.empty()) {
      return extra_argument(chain, args, extras.front());
    }
  }
  if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr &&
      message.find("subcommand") != std::string::npos) {
    const auto verbs = subcommand_names(*chain.back());
    return fmt::format("'{}' needs a command: {}; see '{} --help'", path, util::join(verbs, ", "),
                       path);
  }
  if (dynamic_cast<const CLI::ValidationError*>(&e) != nullptr) {
    // IsMember's message ends with the accepted values: offer the nearest.
    const auto values = listed_values(message);
    for (const auto& a : args) {
      if (const auto hint = util::did_you_mean(a, values);
          !hint.empty() && message.find(a) != std::string::npos) {
        return fmt::format("{}{}", message, hint);
      }
    }
  }
  return fmt::format("{}; see '{} --help'", message, path);
}

}  // namespace instctl::cli
