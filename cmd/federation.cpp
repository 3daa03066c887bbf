// instctl federation: domain policy (blocks, allows, mode, import and export). The outbound
// verbs (lookup, deliver, queue, peers) are added by federation_remote.cpp.

#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli.hpp"
#include "instctl/core/error.hpp"
#include "instctl/federation/domain_service.hpp"
#include "instctl/subscriptions/subscription_service.hpp"

namespace instctl::cli {
namespace {

using federation::DomainService;

const View k_rule_view{
    {"domain", "severity", "reject_media", "reject_reports", "obfuscate", "public_comment"},
    "domain",
    "domain blocks"};
// `federation list`: each block with the subscribed lists that hold it ("" for a hand block).
const View k_list_view{{"domain", "severity", "reject_media", "reject_reports", "obfuscate",
                        "public_comment", "held_by"},
                       "domain",
                       "domain blocks"};
const View k_allow_view{{"domain"}, "domain", "allowed domains"};

Json rule_rows(const std::vector<federation::DomainRule>& rules) {
  Json rows = Json::array();
  for (const auto& r : rules) rows.push_back(federation::to_json(r));
  return rows;
}

// Through rdbuf(): a string built from istreambuf_iterators draws GCC 12's false
// -Wnull-dereference from inside libstdc++.
std::string read_all(std::istream& in) {
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string read_input(const std::string& file) {
  if (file == "-") return read_all(std::cin);
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error(ErrorKind::usage, fmt::format("cannot read {}: check the path", file));
  return read_all(in);
}

void setup_federation_block(CLI::App* group, Context& ctx) {
  struct Options {
    std::string domain;
    std::optional<std::string> severity, public_comment, private_comment;
    bool reject_media = false, reject_reports = false, obfuscate = false, force = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd =
      group->add_subcommand("block", "Block a domain and its subdomains (or change its block)");
  cmd->add_option("DOMAIN", o->domain, "The domain, e.g. bad.example")->required();
  cmd->add_option("--severity", o->severity,
                  "silence (limit, as Mastodon's interface calls it), suspend (default) or noop")
      ->check(CLI::IsMember({"silence", "limit", "suspend", "noop"}));
  cmd->add_flag("--reject-media", o->reject_media, "Do not store the domain's media");
  cmd->add_flag("--reject-reports", o->reject_reports, "Ignore reports from the domain");
  cmd->add_option("--public-comment", o->public_comment, "Reason shown to the public");
  cmd->add_option("--private-comment", o->private_comment, "Note for moderators only");
  cmd->add_flag("--obfuscate", o->obfuscate, "Partly hide the domain in the public list");
  cmd->add_flag("--force", o->force, "Allow a rule weaker than a parent domain's block");
  cmd->callback([&ctx, o] {
    federation::BlockRequest req;
    req.domain = o->domain;
    if (o->severity) req.severity = federation::parse_severity(*o->severity);
    if (o->reject_media) req.reject_media = true;
    if (o->reject_reports) req.reject_reports = true;
    if (o->obfuscate) req.obfuscate = true;
    req.public_comment = o->public_comment;
    req.private_comment = o->private_comment;
    req.force = o->force;
    DomainService svc(ctx.env());
    const auto rule = federation::to_json(svc.block(req));
    ctx.out().item(rule, k_rule_view);
    ctx.out().note(fmt::format("Blocked {} and its subdomains ({}).",
                               rule["domain"].get<std::string>(),
                               rule["severity"].get<std::string>()));
  });

  auto d = std::make_shared<std::string>();
  auto* unblock = group->add_subcommand("unblock", "Remove a domain block");
  unblock->add_option("DOMAIN", *d, "The blocked domain")->required();
  unblock->callback([&ctx, d] {
    DomainService svc(ctx.env());
    const auto r = svc.unblock(*d);
    ctx.out().item(federation::to_json(r), k_rule_view);
    ctx.out().note(fmt::format("Unblocked {}.", r.domain));
  });
}

void setup_federation_allow(CLI::App* group, Context& ctx) {
  auto a = std::make_shared<std::string>();
  auto* allow =
      group->add_subcommand("allow", "Allow a domain (used when 'federation mode' is allowlist)");
  allow->add_option("DOMAIN", *a, "The domain to federate with")->required();
  allow->callback([&ctx, a] {
    DomainService svc(ctx.env());
    const auto domain = svc.allow(*a);
    ctx.out().item(Json{{"domain", domain}}, k_allow_view);
    ctx.out().note(fmt::format("Allowed {}.", domain));
  });
  auto d = std::make_shared<std::string>();
  auto* disallow = group->add_subcommand("disallow", "Remove a domain from the allowlist");
  disallow->add_option("DOMAIN", *d, "The allowed domain")->required();
  disallow->callback([&ctx, d] {
    DomainService svc(ctx.env());
    const auto domain = svc.disallow(*d);
    ctx.out().item(Json{{"domain", domain}}, k_allow_view);
    ctx.out().note(fmt::format("Removed {} from the allowlist.", domain));
  });
}

void setup_federation_list(CLI::App* group, Context& ctx) {
  struct Options {
    bool blocks = false, allows = false;
  };
  auto o = std::make_shared<Options>();
  auto* list = group->add_subcommand("list", "List domain blocks (default) or allowed domains");
  auto* b = list->add_flag("--blocks", o->blocks, "List the domain blocks");
  list->add_flag("--allows", o->allows, "List the allowed domains")->excludes(b);
  list->callback([&ctx, o] {
    DomainService svc(ctx.env());
    if (o->allows) {
      Json rows = Json::array();
      for (const auto& d : svc.allows()) rows.push_back(Json{{"domain", d}});
      ctx.out().list(rows, k_allow_view);
    } else {
      const auto holders = subscriptions::SubscriptionService(ctx.env()).holders();
      Json rows = rule_rows(svc.blocks());
      for (auto& row : rows) {
        const auto it = holders.find(row["domain"].get<std::string>());
        row["held_by"] = it == holders.end() ? "" : it->second;
      }
      ctx.out().list(rows, k_list_view);
    }
  });

  auto m = std::make_shared<std::string>();
  auto* mode = group->add_subcommand(
      "mode", "Show or set the federation mode: blocklist, or allowlist (limited federation)");
  mode->add_option("MODE", *m, "blocklist or allowlist")
      ->check(CLI::IsMember({"blocklist", "allowlist"}));
  mode->callback([&ctx, m] {
    DomainService svc(ctx.env());
    const std::string now = m->empty() ? svc.mode() : svc.set_mode(*m);
    ctx.out().item(Json{{"mode", now}}, View{{"mode"}, "mode", ""});
    if (!m->empty()) ctx.out().note(fmt::format("The federation mode is {}.", now));
  });
}

void print_import_report(Context& ctx, const federation::ImportReport& report, bool verbose) {
  for (const auto& note : report.notes) Output::warn(note);
  for (const auto& e : report.errors) {
    Output::warn(
        fmt::format("line {}: {}{}", e.line, e.domain.empty() ? "" : e.domain + ": ", e.message));
  }
  Json record = report.to_json();
  if (ctx.out().format() == Format::table) {
    // Tables show one domain per line with --verbose; JSON always carries them.
    if (verbose) {
      ctx.out().list(report.changes_json(),
                     View{{"line", "domain", "change", "severity"}, "domain", "domains"});
    }
    record.erase("changes");
    record.erase("errors");
    record.erase("notes");
  }
  ctx.out().item(record, View{{}, "created", ""});
  if (!report.errors.empty()) {
    throw ResultError(ErrorKind::partial,
                      fmt::format("{} row(s) failed; the other rows were {}", report.errors.size(),
                                  report.dry_run ? "checked (dry run)" : "applied"));
  }
}

void setup_federation_import_export(CLI::App* group, Context& ctx) {
  struct ImportOpts {
    std::string file;
    std::optional<std::string> format;
    std::string on_conflict = "skip";
    bool dry_run = false, allows = false, verbose = false;
  };
  auto o = std::make_shared<ImportOpts>();
  auto* imp = group->add_subcommand(
      "import", "Import domain blocks (Mastodon's CSV export, JSON, or a plain list)");
  imp->add_option("FILE", o->file, "The file, or - for stdin")->required();
  imp->add_option("--format", o->format, "mastodon-csv, json or text (detected when not given)")
      ->check(CLI::IsMember({"mastodon-csv", "json", "text"}));
  imp->add_option("--on-conflict", o->on_conflict,
                  "For domains already blocked: skip (default) or update")
      ->check(CLI::IsMember({"skip", "update"}));
  imp->add_flag("--dry-run", o->dry_run, "Check and report, change nothing");
  imp->add_flag("--allows", o->allows, "The file lists domains to allow, not to block");
  imp->add_flag("-v,--verbose", o->verbose,
                "List each domain and what was done to it (created, updated, skipped); JSON "
                "output always has this list as \"changes\"");
  imp->callback([&ctx, o] {
    federation::ImportOptions opts;
    if (o->format) opts.format = federation::parse_file_format(*o->format);
    opts.on_conflict = federation::parse_on_conflict(o->on_conflict);
    opts.dry_run = o->dry_run;
    opts.allows = o->allows;
    const std::string text = read_input(o->file);
    DomainService svc(ctx.env());
    print_import_report(ctx, svc.import(text, opts), o->verbose);
  });

  struct ExportOpts {
    std::string format = "mastodon-csv";
    bool allows = false;
  };
  auto e = std::make_shared<ExportOpts>();
  auto* exp = group->add_subcommand("export",
                                    "Write the domain blocks (or allows) as Mastodon imports them");
  exp->add_option("--format", e->format, "mastodon-csv (default), json or text")
      ->check(CLI::IsMember({"mastodon-csv", "json", "text"}));
  exp->add_flag("--allows", e->allows, "Export the allowed domains instead of the blocks");
  exp->callback([&ctx, e] {
    DomainService svc(ctx.env());
    const std::string text = svc.export_file(federation::parse_file_format(e->format), e->allows);
    std::fwrite(text.data(), 1, text.size(), stdout);
  });
}

void setup_federation(CLI::App& app, Context& ctx) {
  auto* group = add_group(app, "federation",
                          "Federation: domain policy, look-ups, peers and the delivery queue");
  setup_federation_block(group, ctx);
  setup_federation_allow(group, ctx);
  setup_federation_list(group, ctx);
  setup_federation_import_export(group, ctx);
}

}  // namespace

INSTCTL_COMMAND_GROUP(70, "federation", setup_federation);

}  // namespace instctl::cli
