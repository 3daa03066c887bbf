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

}  // namespace instctl::cli
