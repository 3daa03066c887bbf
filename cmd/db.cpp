// instctl db: schema version, migrations, backups and checks.

#include <fmt/format.h>
#include <sys/stat.h>

#include <optional>

#include "cli.hpp"
#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/db/copy.hpp"
#include "instctl/db/dialect.hpp"
#include "instctl/db/engine_status.hpp"
#include "instctl/db/maintenance.hpp"
#include "instctl/db/migrations.hpp"
#include "instctl/db/open.hpp"
#include "instctl/db/restore.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::cli {
namespace {

void run_status(Context& ctx) {
  auto& conn = ctx.raw_db();
  const int version = db::schema_version(conn);
  Json pending = Json::array();
  for (const auto* m : db::pending_migrations(conn)) pending.push_back(m->name);
  Json status{{"database", conn.location()},
              {"schema_version", version},
              {"latest_version", db::latest_schema_version()},
              {"pending", pending},
              {"newer_than_binary", version > db::latest_schema_version()}};
  db::add_engine_status(conn, status);
  ctx.out().item(status, View{{}, "schema_version", ""});
}

void run_migrate(Context& ctx) {
  auto applied = db::migrate(ctx.raw_db());
  Json names = Json::array();
  for (const auto* m : applied) names.push_back(m->name);
  Json result{{"applied", names}, {"schema_version", db::schema_version(ctx.raw_db())}};
  ctx.out().item(result, View{{}, "schema_version", ""});
  ctx.out().note(applied.empty() ? "The schema is up to date."
                                 : fmt::format("Applied {} migration(s).", applied.size()));
}

void run_backup(Context& ctx, const std::string& target) {
  auto& conn = ctx.raw_db();
  if (conn.dialect() == db::Dialect::postgresql) {
    throw Error(ErrorKind::usage,
                fmt::format("'db backup' copies SQLite databases; back up the PostgreSQL database "
                            "{} with its own tools: pg_dump -Fc URI > {}",
                            conn.location(), target));
  }
  db::require_current_schema(conn);
  struct stat st {};
  if (::stat(target.c_str(), &st) == 0) {
    ctx.confirm(fmt::format("{} exists; overwrite it", target));
  }
  db::backup_sqlite(conn.location(), target);
  ::stat(target.c_str(), &st);
  Json result{{"backup", target}, {"size_bytes", static_cast<std::int64_t>(st.st_size)}};
  ctx.out().item(result, View{{}, "backup", ""});
  ctx.out().note(fmt::format("Backed up {} to {}.", conn.location(), target));
}

void run_restore(Context& ctx, const std::string& file) {
  if (db::is_postgres_uri(ctx.opts.db_path)) {
    throw Error(ErrorKind::usage,
                fmt::format("'db restore' restores SQLite backups; restore a PostgreSQL dump with "
                            "its own tools: stop serve, then pg_restore -c -O -d URI {} (see "
                            "instctl-db(1))",
                            file));
  }
  // A missing database file is fine: restoring is how it comes back.
  const std::string location = ctx.opts.db_path;
  struct stat st {};
  if (::stat(location.c_str(), &st) == 0) {
    ctx.confirm(fmt::format("Replace the instance database {} with the backup {}", location, file));
  }
  const auto r = db::restore_sqlite(file, location);
  Json result{{"database", r.database},
              {"backup", file},
              {"previous", r.previous.empty() ? Json(nullptr) : Json(r.previous)},
              {"backup_schema_version", r.backup_version},
              {"schema_version", r.schema_version}};
  ctx.out().item(result, View{{}, "database", ""});
  ctx.out().note(fmt::format(
      "Restored {} from {}{}.", r.database, file,
      r.previous.empty() ? ""
                         : fmt::format("; the database it replaced is kept as {}", r.previous)));
}

void run_check(Context& ctx) {
  auto& conn = ctx.raw_db();
  db::require_current_schema(conn);
  const auto problems = db::check_database(conn);
  Json result{{"ok", problems.empty()}, {"problems", problems}};
  ctx.out().item(result, View{{}, "ok", ""});
  if (!problems.empty()) {
    throw ResultError(
        ErrorKind::internal,
        fmt::format("the database check found {} problem(s); restore from a backup or "
                    "repair them before going on",
                    problems.size()));
  }
  ctx.out().note("The database is healthy.");
}

// An SQLite file (created when missing) or an existing PostgreSQL database, as --db names them.
std::unique_ptr<db::Connection> open_copy_target(const std::string& to) {
  return db::open(to, db::OpenMode::create);
}

class CopyProgress final : public db::CopyObserver {
 public:
  void progress(std::int64_t done, std::int64_t total) override {
    if (!m_bar) m_bar.emplace("Copying", static_cast<std::size_t>(total));
    m_bar->update(static_cast<std::size_t>(done));
  }
  void finishing(Env& target, const Json& details) override {
    audit::record(target, "db.copy", fmt::format("database:{}", target.db.location()), details);
  }
  void finish() {
    if (m_bar) m_bar->finish();
  }

 private:
  std::optional<ProgressBar> m_bar;
};

void run_copy(Context& ctx, const std::string& to) {
  auto& source = ctx.db();
  db::refuse_same_database(source.location(), to);
  auto target = open_copy_target(to);
  Env env{*target, ctx.clock(), ctx.actor()};
  CopyProgress progress;
  const auto summary = db::copy_database(source, env, progress);
  progress.finish();
  Json rows = Json::array();
  std::int64_t total = 0;
  std::vector<std::string> changed_in;
  for (const auto& t : summary.tables) {
    rows.push_back({{"table", t.table},
                    {"source_rows", t.source_rows},
                    {"target_rows", t.target_rows},
                    {"copied", t.copied},
                    {"text_changed", t.text_changed}});
    total += t.target_rows;
    if (t.text_changed > 0) changed_in.push_back(t.table);
  }
  ctx.out().list(
      rows,
      View{{"table", "source_rows", "target_rows", "copied", "text_changed"}, "table", "tables"});
  if (const auto changed = summary.text_changed(); changed > 0) {
    Output::warn(fmt::format(
        "{} in {} are not UTF-8 or hold NUL, which PostgreSQL cannot store as "
        "they are: the copy in {} has U+FFFD in place of each such byte; the source keeps them "
        "unchanged",
        util::counted(changed, "text value"), util::join(changed_in, ", "), summary.target));
  }
  ctx.out().note(fmt::format(
      "{} {} in {} from {} to {}, counts verified. Point --db "
      "(or INSTCTL_DB) at {} to use it.",
      summary.resumed ? "Finished the interrupted copy:" : "Copied", util::counted(total, "row"),
      util::counted(static_cast<long long>(summary.tables.size()), "table"), summary.source,
      summary.target, summary.target));
}

void setup_db(CLI::App& app, Context& ctx) {
  auto* group = add_group(app, "db", "The instance database: schema, backups, copies, checks");
  group->add_subcommand("status", "Schema version and pending migrations")->callback([&ctx] {
    run_status(ctx);
  });
  group->add_subcommand("migrate", "Apply pending schema migrations")->callback([&ctx] {
    run_migrate(ctx);
  });
  auto target = std::make_shared<std::string>();
  auto* backup = group->add_subcommand(
      "backup", "Consistent online copy of the database (safe while others write)");
  backup->add_option("FILE", *target, "Where to write the copy")->required();
  backup->callback([&ctx, target] { run_backup(ctx, *target); });
  auto source = std::make_shared<std::string>();
  auto* restore = group->add_subcommand(
      "restore", "Replace the database with a backup (refused while serve runs on it)");
  restore->add_option("FILE", *source, "A backup made by 'instctl db backup'")->required();
  restore->callback([&ctx, source] { run_restore(ctx, *source); });
  auto to = std::make_shared<std::string>();
  auto* copy = group->add_subcommand(
      "copy", "Copy the instance into another, empty database (resumes an interrupted copy)");
  copy->add_option("--to", *to,
                   "The database to copy into: an SQLite file (new or empty) or the "
                   "postgresql:// URI of an empty database")
      ->required();
  copy->callback([&ctx, to] { run_copy(ctx, *to); });
  group->add_subcommand("check", "Integrity, foreign keys and the instance's invariants")
      ->callback([&ctx] { run_check(ctx); });
}

}  // namespace

INSTCTL_COMMAND_GROUP(30, "db", setup_db);

}  // namespace instctl::cli
