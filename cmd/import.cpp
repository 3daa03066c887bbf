// instctl users import / export: many users at once, to and from CSV, JSON and NDJSON.
// Registered after users.cpp, into its group.

#include "instctl/users/import.hpp"

#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "cli.hpp"
#include "instctl/core/error.hpp"
#include "instctl/users/export.hpp"
#include "instctl/util/escape.hpp"
#include "instctl/util/strings.hpp"
#include "list.hpp"
#include "send.hpp"

namespace instctl::cli {
namespace {

// JSON values kept in a temporary file until the end of a long run, so a million rows cost
// disk, not memory.
class JsonSpool {
 public:
  JsonSpool() : m_file(std::tmpfile()) {
    if (m_file == nullptr) throw Error(ErrorKind::internal, "cannot create a temporary file");
  }
  ~JsonSpool() { std::fclose(m_file); }
  JsonSpool(const JsonSpool&) = delete;
  JsonSpool& operator=(const JsonSpool&) = delete;

  void add(const Json& value) {
    const std::string text = (m_count++ > 0 ? ",\n    " : "\n    ") + value.dump();
    std::fwrite(text.data(), 1, text.size(), m_file);
  }
  // The values as the elements of a JSON array.
  void write_array(std::FILE* out) {
    std::fputc('[', out);
    std::rewind(m_file);
    char buf[1 << 16];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, m_file)) > 0;)
      std::fwrite(buf, 1, n, out);
    std::fputs(m_count > 0 ? "\n  ]" : "]", out);
  }

 private:
  std::FILE* m_file;
  std::size_t m_count = 0;
};

// Where row results go: errors to stderr as FILE:LINE: REASON for people, everything into
// one JSON document for scripts, or the new usernames alone with --quiet.
class ImportPrinter final : public users::ImportListener {
 public:
  ImportPrinter(const Output& out, std::string source, std::optional<std::uint64_t> size,
                bool invites)
      : m_out(out),
        m_source(std::move(source)),
        m_bar("importing", size.value_or(0)),
        m_invites(invites) {
    if (json()) {
      m_errors = std::make_unique<JsonSpool>();
      m_new_users = std::make_unique<JsonSpool>();
    }
  }

  void row_done(const users::RowOutcome& o) override {
    using users::RowResult;
    if (json()) {
      if (o.result == RowResult::failed) m_errors->add(users::to_json(o));
      if (o.result == RowResult::created) m_new_users->add(users::to_json(o));
      return;
    }
    if (o.result == RowResult::failed) {
      m_bar.clear();
      // The reason quotes the file's cells: escaped, as any text from outside on a screen.
      std::fprintf(stderr, "%s:%zu: %s\n", m_source.c_str(), o.line,
                   util::escape_control(o.reason).c_str());
    } else if (o.result == RowResult::created && m_out.quiet()) {
      std::printf("%s\n", util::escape_control(o.username).c_str());
    }
  }

  void progress(std::uint64_t done, std::optional<std::uint64_t>) override { m_bar.update(done); }

  void finish(const users::ImportSummary& s) {
    m_bar.finish();
    const Json summary = users::to_json(s);
    if (json()) {
      std::string head = summary.dump(2);
      head.resize(head.size() - 2);  // reopen the object: "\n}"
      std::fputs(head.c_str(), stdout);
      std::fputs(",\n  \"errors\": ", stdout);
      m_errors->write_array(stdout);
      std::fputs(",\n  \"new_users\": ", stdout);
      m_new_users->write_array(stdout);
      std::fputs("\n}\n", stdout);
      return;
    }
    if (m_out.quiet()) return;
    m_out.item(summary, View{{}, "created", ""});
    if (s.dry_run) {
      m_out.note("Dry run: nothing was changed.");
    } else if (s.created > 0 && m_invites) {
      m_out.note(fmt::format(
          "Imported {}: each signs in by redeeming a single-use invite bound to their address "
          "(URLs shown with --json; 'instctl invites list' lists them).",
          util::counted(s.created, "new user")));
    } else if (s.created > 0) {
      m_out.note(fmt::format(
          "Imported {}: each signs in through a one-time activation link (valid 7 days), shown "
          "only with --json; 'instctl users reset-password USER' makes a new link.",
          util::counted(s.created, "new user")));
    }
  }

 private:
  bool json() const { return !m_out.quiet() && m_out.format() == Format::json; }

  const Output& m_out;
  std::string m_source;
  ProgressBar m_bar;
  bool m_invites;
  std::unique_ptr<JsonSpool> m_errors;
  std::unique_ptr<JsonSpool> m_new_users;
};

struct ImportOptions {
  std::string file;
  std::optional<std::string> format;
  std::string on_conflict = "fail";
  bool dry_run = false;
  bool invite = false;
  bool send = false;
};

void run_import(Context& ctx, const ImportOptions& o) {
  users::ImportOptions opts;
  if (o.format) opts.format = users::parse_import_format(*o.format);
  opts.on_conflict = users::parse_on_conflict(o.on_conflict);
  opts.dry_run = o.dry_run;
  opts.invite = o.invite;
  const bool send = o.send && !o.dry_run;
  opts.queue_mail = send;
  std::optional<mail::MailConfig> config;
  if (send) config = require_mail_settings(ctx);  // before anything changes
  Env& env = ctx.env();
  ByteReader in(o.file);
  ImportPrinter printer(ctx.out(), in.name(), in.size(), o.invite);
  const auto summary = users::import_users(env, in, opts, printer);
  printer.finish(summary);
  std::optional<mail::SendReport> report;
  if (config) {
    report = send_mails(ctx, *config, {}, true);
    note_mail_report(ctx, *report);
  }
  if (summary.failed > 0) {
    throw ResultError(ErrorKind::partial,
                      fmt::format("{} of {} rows failed{} and the others {}; fix the failed rows "
                                  "and import the file again with --on-conflict skip",
                                  summary.failed, summary.rows,
                                  ctx.out().format() == Format::json ? " (see \"errors\")" : "",
                                  summary.dry_run ? "would be applied" : "were applied"));
  }
  if (report) fail_if_unsent(*report, "'instctl waitlist process --batch 0 --send' retries them");
}

void setup_import(CLI::App* group, Context& ctx) {
  auto o = std::make_shared<ImportOptions>();
  auto* cmd = group->add_subcommand(
      "import", "Create (or update) many users from a CSV, JSON or NDJSON file");
  cmd->add_option("FILE", o->file, "The file to read, or - for stdin")->required();
  cmd->add_option("--format", o->format,
                  "The file's format: csv, json or ndjson (detected when not given)")
      ->check(CLI::IsMember({"csv", "json", "ndjson"}));
  cmd->add_option("--on-conflict", o->on_conflict,
                  "When a username or email exists: fail (the row, default), skip, update")
      ->check(CLI::IsMember({"fail", "skip", "update"}));
  cmd->add_flag("--dry-run", o->dry_run, "Report what the import would do; change nothing");
  auto* invite = cmd->add_flag(
      "--invite", o->invite,
      "Give each new user a single-use invite bound to its email instead of an activation link");
  cmd->add_flag("--send", o->send,
                "Email each invite (needs --invite, mail.smtp_url and mail.from)")
      ->needs(invite);
  cmd->callback([&ctx, o] { run_import(ctx, *o); });
}

struct ExportOptions {
  ListOptions filter;
  std::optional<std::string> format;
};

users::ImportFormat export_format(const Context& ctx, const ExportOptions& o) {
  if (o.format) return users::parse_import_format(*o.format);
  if (ctx.opts.json) return users::ImportFormat::json;
  if (ctx.opts.format == "table") return users::ImportFormat::csv;
  return users::parse_import_format(ctx.opts.format);
}

void setup_import_export(CLI::App* group, Context& ctx) {
  auto o = std::make_shared<ExportOptions>();
  auto* cmd = group->add_subcommand(
      "export", "Write users in the format 'users import' reads (no secrets, no state)");
  cmd->add_option("--format", o->format, "csv (default), json or ndjson")
      ->check(CLI::IsMember({"csv", "json", "ndjson"}));
  add_list_options(cmd, o->filter);
  cmd->callback([&ctx, o] {
    const auto format = export_format(ctx, *o);
    users::export_users(ctx.db(), to_filter(o->filter), format, [](std::string_view chunk) {
      std::fwrite(chunk.data(), 1, chunk.size(), stdout);
    });
  });
}

void setup_import(CLI::App& app, Context& ctx) {
  auto* group = app.get_subcommand("users");
  setup_import(group, ctx);
  setup_import_export(group, ctx);
}

}  // namespace

INSTCTL_COMMAND_GROUP(41, "users", setup_import);

}  // namespace instctl::cli
