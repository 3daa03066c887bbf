// instctl: the entry point. Builds the command tree from the registered groups, parses, and
// holds the one place where errors become messages and exit codes.

#include <fmt/format.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string_view>

#include "cli.hpp"
#include "instctl/core/error.hpp"
#include "instctl/crypto/libcrypto.hpp"
#include "instctl/net/curl_api.hpp"
#include "instctl/util/escape.hpp"
#include "instctl/version.hpp"

namespace {

using instctl::Error;
using instctl::ErrorKind;
using instctl::Json;
namespace cli = instctl::cli;

std::string version_text() {
  return fmt::format("instctl {} ({})\nSQLite {}, {}, libcurl {}", instctl::k_version,
                     instctl::k_git_revision, sqlite3_libversion(),
                     instctl::crypto::openssl_version(), instctl::net::curl::library_version());
}

int report(const cli::GlobalOptions& opts, ErrorKind kind, const std::string& message) {
  const int code = instctl::exit_code(kind);
  std::fprintf(stderr, "instctl: error: %s\n",
               instctl::util::escape_control_lines(message).c_str());
  if (opts.json || opts.format == "json") {
    Json err{{"error", {{"code", code}, {"kind", instctl::kind_name(kind)}, {"message", message}}}};
    std::printf("%s\n", err.dump().c_str());
  }
  return code;
}

std::string default_db() {
  const char* env = std::getenv("INSTCTL_DB");
  return env != nullptr && *env != '\0' ? env : "./instance.db";
}

// The command tree: the global options, and the groups `wanted` says to set up.
std::unique_ptr<CLI::App> make_app(cli::Context& ctx,
                                   const std::function<bool(const cli::Group&)>& wanted) {
  auto app = std::make_unique<CLI::App>(
      "instctl: run an invite-only, Mastodon-compatible instance from the terminal.\n"
      "Manages the instance database (users, invites, waitlist, reports, federation policy)\n"
      "and serves its HTTP/ActivityPub endpoint with 'instctl serve'.",
      "instctl");
  app->fallthrough();  // global options work after the group and verb too
  app->set_version_flag("--version", std::function<std::string()>(version_text));
  app->require_subcommand(1);
  app->footer(
      "Exit codes: 0 ok, 1 failure, 2 usage, 3 not found, 4 conflict, 5 partial failure,\n"
      "6 invalid input data, 7 remote failure, 8 refused by policy. See instctl(1).");
  app->add_option("--db", ctx.opts.db_path,
                  "Instance database: a file path (SQLite) or a postgresql:// URI (PostgreSQL) "
                  "[env: INSTCTL_DB, default ./instance.db]");
  app->add_option("--format", ctx.opts.format,
                  "Output format: table, json, ndjson or csv (and prometheus for 'stats')")
      ->check(CLI::IsMember({"table", "json", "ndjson", "csv", "prometheus"}));
  app->add_flag("--json", ctx.opts.json, "Short for --format json");
  app->add_flag("-q,--quiet", ctx.opts.quiet, "Print only the essential value of each result");
  app->add_flag("-y,--yes", ctx.opts.yes, "Do not ask for confirmation of destructive commands");

  auto& all = cli::groups();
  std::stable_sort(all.begin(), all.end(),
                   [](const cli::Group& a, const cli::Group& b) { return a.order < b.order; });
  for (const auto& g : all) {
    if (wanted(g)) g.setup(*app, ctx);
  }
  return app;
}

// The groups a command line names: a short command builds only its own part of the tree
// (most of a short command's start-up was building all of it). Empty when it names none,
// or asks for completions, which walk the whole tree.
std::set<std::string_view> named_groups(int argc, char** argv) {
  std::set<std::string_view> names;
  for (int i = 1; i < argc; ++i) {
    const std::string_view word(argv[i]);
    for (const auto& g : cli::groups()) {
      if (word == g.name) names.insert(g.name);
    }
  }
  if (names.count("__complete") != 0) names.clear();
  return names;
}

// Parses and runs the command. With `partial`, a tree built for the named groups only, a
// parse error gives nullopt: the caller parses again with the whole tree, so help and usage
// errors ("did you mean ...?") read as they always do. Nothing has run when parsing fails: a
// command's callback runs only once its whole line has parsed.
std::optional<int> run(cli::Context& ctx, CLI::App& app, int argc, char** argv, bool partial) {
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (partial) return std::nullopt;
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    return report(
        ctx.opts, ErrorKind::usage,
        cli::explain_parse_error(app, e, std::vector<std::string>(argv + 1, argv + argc)));
  } catch (const cli::ResultError& e) {
    std::fflush(stdout);
    std::fprintf(stderr, "instctl: error: %s\n",
                 instctl::util::escape_control_lines(e.what()).c_str());
    return instctl::exit_code(e.kind());
  } catch (const Error& e) {
    return report(ctx.opts, e.kind(), e.what());
  } catch (const std::exception& e) {
    return report(ctx.opts, ErrorKind::internal, fmt::format("internal error: {}", e.what()));
  }
  std::fflush(stdout);
  if (std::ferror(stdout)) {
    return report(ctx.opts, ErrorKind::internal, "could not write the output (stdout)");
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  cli::Context ctx;
  ctx.opts.db_path = default_db();

  const auto names = named_groups(argc, argv);
  if (!names.empty()) {
    auto app = make_app(ctx, [&names](const cli::Group& g) { return names.count(g.name) != 0; });
    if (auto code = run(ctx, *app, argc, argv, true)) return *code;
    ctx.opts = cli::GlobalOptions{default_db()};
  }
  auto app = make_app(ctx, [](const cli::Group&) { return true; });
  return *run(ctx, *app, argc, argv, false);
}
