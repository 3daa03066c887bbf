// instctl invites: codes that let people register.

#include <fmt/format.h>

#include "cli.hpp"
#include "instctl/core/error.hpp"
#include "instctl/core/expiry.hpp"
#include "instctl/invites/invite_service.hpp"
#include "instctl/mail/mail_store.hpp"
#include "instctl/util/strings.hpp"
#include "send.hpp"

namespace instctl::cli {
namespace {

using invites::InviteService;

const View k_invites_view{
    {"code", "uses", "max_uses", "expires_at", "status", "email", "note"}, "url", "invites"};

Json rows(InviteService& svc, const std::vector<invites::Invite>& list) {
  Json out = Json::array();
  for (const auto& inv : list) out.push_back(svc.to_json(inv));
  return out;
}

struct CreateOptions {
  std::int64_t max_uses = 1;
  std::optional<std::string> expires_in, expires_at, email;
  std::vector<std::string> autofollows;
  std::string note;
  std::string message;
  std::int64_t count = 1;
  bool send = false;
};

void run_create(Context& ctx, const CreateOptions& o) {
  if (o.send && !o.email)
    throw Error(ErrorKind::usage, "--send mails the invite to --email: give --email too");
  std::optional<mail::MailConfig> mail_config;
  if (o.send) mail_config = require_mail_settings(ctx);
  invites::CreateInviteRequest req;
  req.max_uses = o.max_uses;
  req.expires_at = parse_expiry(o.expires_in, o.expires_at, ctx.clock().now());
  req.note = o.note;
  req.message = o.message;
  req.email = o.email;
  req.autofollows = o.autofollows;
  req.count = o.count;
  req.queue_mail = o.send;
  InviteService svc(ctx.env());
  const auto created = svc.create(req);
  std::optional<mail::SendReport> report;
  if (mail_config) {
    std::vector<std::int64_t> ids;
    mail::MailStore store(ctx.db());
    for (const auto& inv : created) {
      if (auto id = store.unsent_for_invite(inv.id)) ids.push_back(*id);
    }
    report = send_mails(ctx, *mail_config, ids, false);
  }
  if (created.size() == 1)
    ctx.out().item(svc.to_json(created.front()), k_invites_view);
  else
    ctx.out().list(rows(svc, created), k_invites_view);
  ctx.out().note(
      created.size() == 1
          ? "Share this invite link."
          : fmt::format("Created {}.",
                        util::counted(static_cast<long long>(created.size()), "invite")));
  if (report) {
    note_mail_report(ctx, *report);
    fail_if_unsent(*report,
                   fmt::format("retry with 'instctl invites send {}'", created.front().code));
  }
}

void setup_invites_create(CLI::App* group, Context& ctx) {
  auto o = std::make_shared<CreateOptions>();
  auto* cmd = group->add_subcommand("create", "Create invites and print their links");
  cmd->add_option("--max-uses", o->max_uses, "How many accounts the invite can create (default 1)");
  cmd->add_option("--expires-in", o->expires_in, "Valid for DURATION: 30m, 12h, 7d, 2w or seconds");
  cmd->add_option("--expires-at", o->expires_at, "Valid until TIME (2026-12-31T23:59:59Z)");
  cmd->add_option("--note", o->note,
                  "A note for admins only (who it is for); the invitee never sees it");
  cmd->add_option("--message", o->message,
                  "Words for the invitee, shown on the invite page (up to 500 characters)");
  cmd->add_option("--email", o->email, "Bind the invite to this email address");
  cmd->add_option("--count", o->count, "Create N invites at once");
  cmd->add_option("--autofollow", o->autofollows,
                  "New accounts follow this local USER (repeatable: each one, in this order)");
  cmd->add_flag("--send", o->send,
                "Email the invite to --email (needs mail.smtp_url and mail.from)");
  cmd->callback([&ctx, o] { run_create(ctx, *o); });
}

void setup_invites_queries(CLI::App* group, Context& ctx) {
  struct ListOptions {
    std::string status = "active";
    std::int64_t limit = 0;
  };
  auto lo = std::make_shared<ListOptions>();
  auto* list = group->add_subcommand("list", "List invites, newest first");
  list->add_option("--status", lo->status, "active (default), expired, exhausted, revoked or all")
      ->check(CLI::IsMember({"active", "expired", "exhausted", "revoked", "all"}));
  list->add_option("--limit", lo->limit, "At most N invites (0: all)");
  list->callback([&ctx, lo] {
    std::optional<invites::InviteStatus> status;
    if (lo->status != "all") status = invites::parse_status(lo->status);
    if (lo->limit < 0) throw Error(ErrorKind::usage, "--limit must not be negative");
    InviteService svc(ctx.env());
    ctx.out().list(rows(svc, svc.list(status, lo->limit)), k_invites_view);
  });

  auto code = std::make_shared<std::string>();
  auto* show =
      group->add_subcommand("show", "One invite: its uses, who redeemed it and when, its mails");
  show->add_option("CODE", *code, "The invite code")->required();
  show->callback([&ctx, code] {
    InviteService svc(ctx.env());
    ctx.out().item(svc.details(*code), k_invites_view);
  });
}

void setup_invites_changes(CLI::App* group, Context& ctx) {
  auto codes = std::make_shared<std::vector<std::string>>();
  auto* revoke = group->add_subcommand("revoke", "Revoke invites: their links stop working");
  revoke->add_option("CODE", *codes, "Invite codes")->required();
  revoke->callback([&ctx, codes] {
    InviteService svc(ctx.env());
    const auto revoked = svc.revoke(*codes);
    ctx.out().list(rows(svc, revoked), k_invites_view);
    for (const auto& inv : revoked) {
      const auto left = inv.max_uses - inv.uses;
      ctx.out().note(left > 0 ? fmt::format("Revoked invite {} (it had {} left).", inv.code,
                                            util::counted(left, "use"))
                              : fmt::format("Revoked invite {} (it was used up).", inv.code));
    }
  });

  auto code = std::make_shared<std::string>();
  auto* send =
      group->add_subcommand("send", "Email an invite (again) to the address it is bound to");
  send->add_option("CODE", *code, "The invite code")->required();
  send->callback([&ctx, code] {
    const auto config = require_mail_settings(ctx);
    InviteService svc(ctx.env());
    const auto mail_id = svc.queue_mail(*code);
    const auto report = send_mails(ctx, config, {mail_id}, false);
    const auto inv = svc.find(*code);
    ctx.out().item(svc.to_json(inv), k_invites_view);
    note_mail_report(ctx, report);
    fail_if_unsent(report, fmt::format("retry with 'instctl invites send {}'", inv.code));
  });
}

void setup_invites(CLI::App& app, Context& ctx) {
  auto* group = add_group(app, "invites", "Invites: create, list, show, revoke, send");
  setup_invites_create(group, ctx);
  setup_invites_queries(group, ctx);
  setup_invites_changes(group, ctx);
}

}  // namespace

INSTCTL_COMMAND_GROUP(45, "invites", setup_invites);

}  // namespace instctl::cli
