#pragma once

// The command line's shared machinery: global options, the lazily opened database, output in
// every format, confirmation, progress, and command-group registration. Every command gets
// these from here; nothing else in cmd/ prints errors or decides exit codes.

// GCC 12 warns of a null dereference inside CLI11's own code (CLI::detail::split, through
// libstdc++'s vector): a false positive in a library header, silenced for it alone.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wnull-dereference"
#include <CLI/CLI.hpp>
#pragma GCC diagnostic pop
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "instctl/core/clock.hpp"
#include "instctl/core/error.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/db/env.hpp"

namespace instctl::cli {

enum class Format { table, json, ndjson, csv };

struct GlobalOptions {
  std::string db_path;  // --db, $INSTCTL_DB, ./instance.db
  std::string format = "table";
  bool json = false;
  bool quiet = false;
  bool yes = false;
};

// How a kind of record is shown: the columns of a table listing, and the one field --quiet
// prints. JSON, NDJSON and CSV always carry every field of the record.
struct View {
  std::vector<std::string> columns;
  std::string quiet;
  std::string noun;  // "users", for "No users." on an empty table
  // Fields kept in JSON, NDJSON and CSV for scripts (an old name kept beside the new one)
  // that a person's table leaves out.
  std::vector<std::string> json_only = {};
  // A table's column headings when they differ from the field names (in `columns` order).
  std::vector<std::string> headings = {};
};

class Output {
 public:
  explicit Output(const GlobalOptions& opts) : m_opts(opts) {}
  Format format() const;
  bool quiet() const { return m_opts.quiet; }

  // One record: a key/value table, one JSON object, one NDJSON line, or a CSV header and row.
  void item(const Json& record, const View& view) const;
  // Many records: an aligned table, a JSON array, NDJSON lines, or CSV with one header.
  void list(const Json& records, const View& view) const;
  // A sentence for people ("Suspended alice."): stderr, and only in table format without -q.
  void note(std::string_view message) const;
  // A warning on stderr, whatever the format.
  static void warn(std::string_view message);

 private:
  const GlobalOptions& m_opts;
};

// Draws a progress bar on stderr when it is a terminal; does nothing otherwise.
class ProgressBar {
 public:
  ProgressBar(std::string label, std::size_t total);
  ~ProgressBar();
  void update(std::size_t done);
  // Clears the bar's line so a message can be printed on stderr; the next update redraws it.
  void clear();
  void finish();

 private:
  std::string m_label;
  std::size_t m_total;
  bool m_enabled;
  bool m_finished = false;
  std::int64_t m_last_draw_ms = 0;
};

class Context {
 public:
  GlobalOptions opts;

  // The database with its schema checked (current version, instance present).
  db::Connection& db();
  // The database as it is, for `db` commands that inspect or migrate it.
  db::Connection& raw_db();
  // For `init`: creates the file if needed.
  db::Connection& create_db();
  Env& env();
  const Clock& clock();
  Output& out();
  std::string actor() const;
  bool stdin_is_tty() const;

  // Asks on the terminal; with --yes it passes; without a terminal it refuses (exit 2).
  void confirm(std::string_view question);
  // Reads a password (or secret) from stdin: the first line, without its line end.
  std::string read_secret_stdin();

 private:
  std::unique_ptr<db::Connection> m_db;
  bool m_checked = false;
  std::unique_ptr<Clock> m_clock;
  std::unique_ptr<Env> m_env;
  std::unique_ptr<Output> m_out;
};

// Thrown after a command printed its result, to exit with the error's code: the message goes
// to stderr, and no second JSON document follows the result on stdout.
class ResultError : public Error {
 public:
  using Error::Error;
};

// Command groups register themselves; `order` sorts them in --help. `name` is the top-level
// command the setup adds to (several files may add to one group, e.g. "users"): a command line
// that names a group builds only that part of the tree (main.cpp).
using SetupFn = void (*)(CLI::App& app, Context& ctx);
struct Group {
  int order;
  const char* name;
  SetupFn setup;
};
std::vector<Group>& groups();
int register_group(int order, const char* name, SetupFn setup);

// The values of one field of records, as a sentence lists them: "quinn, rob and sam".
std::string field_list(const Json& records, const std::string& field);

// A daily series as a sparkline, ▁▂▃▄▅▆▇█ scaled to its maximum (stats in table format).
std::string sparkline(const Json& series);

// A group subcommand that requires a verb, with help that says so.
CLI::App* add_group(CLI::App& app, const std::string& name, const std::string& description);

// CLI11's parse errors as messages that name the fix: the accepted form of an option's value,
// the nearest command or option to a mistyped one, the verbs a group offers. `args` are the
// command line's arguments without the program name.
std::string explain_parse_error(CLI::App& app, const CLI::ParseError& e,
                                const std::vector<std::string>& args);

}  // namespace instctl::cli

#define INSTCTL_COMMAND_GROUP(order, name, fn) \
  static const int instctl_group_##fn = ::instctl::cli::register_group(order, name, fn)
