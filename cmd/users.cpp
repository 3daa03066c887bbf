// instctl users: local accounts.

#include <fmt/format.h>

#include "cli.hpp"
#include "instctl/auth/oidc_service.hpp"
#include "instctl/core/error.hpp"
#include "instctl/moderation/moderation_service.hpp"
#include "instctl/overview/account_details.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/util/strings.hpp"
#include "list.hpp"

namespace instctl::cli {
namespace {

using users::UserService;

const View k_users_view{{"id", "username", "email", "display_name", "role", "status", "created_at"},
                        "username",
                        "users"};

const View k_identity_view{{"issuer", "subject", "email", "linked_at"}, "subject", "identities"};

Json user_rows(const std::vector<users::User>& list) {
  Json rows = Json::array();
  for (const auto& u : list) rows.push_back(users::to_json(u));
  return rows;
}

struct CreateOptions {
  std::string username;
  std::string email;
  std::string display_name;
  std::string role = "user";
  std::string note;
  std::optional<std::string> invite;
  bool password_stdin = false;
  bool pending = false;
};

void run_create(Context& ctx, const CreateOptions& o) {
  users::CreateRequest req;
  req.username = o.username;
  req.email = o.email;
  req.display_name = o.display_name;
  req.note = o.note;
  req.role = users::parse_role(o.role);
  req.pending = o.pending;
  req.invite_code = o.invite;
  if (o.password_stdin) req.password = ctx.read_secret_stdin();
  UserService svc(ctx.env());
  const auto result = svc.create(req);
  Json record = users::to_json(result.user);
  record["activation_url"] = result.activation_url ? Json(*result.activation_url) : Json(nullptr);
  ctx.out().item(record, k_users_view);
  if (result.activation_url) {
    ctx.out().note(
        fmt::format("Created {}. Send them this one-time activation link (shown once):\n  {}",
                    result.user.username, *result.activation_url));
  } else if (result.user.status == users::Status::pending) {
    ctx.out().note(
        fmt::format("Created {}; the account waits for approval ('instctl users approve {}').",
                    result.user.username, result.user.username));
  } else {
    ctx.out().note(fmt::format("Created {}.", result.user.username));
  }
}

void setup_users_create(CLI::App* group, Context& ctx) {
  auto o = std::make_shared<CreateOptions>();
  auto* cmd = group->add_subcommand("create", "Create a local user");
  cmd->add_option("USERNAME", o->username, "Letters, digits and underscores; 1-30 characters")
      ->required();
  cmd->add_option("--email", o->email, "The user's email address")->required();
  cmd->add_option("--display-name", o->display_name, "The name shown on the profile");
  cmd->add_option("--role", o->role, "user (default), moderator or admin")
      ->check(CLI::IsMember({"user", "moderator", "admin"}));
  cmd->add_flag("--password-stdin", o->password_stdin,
                "Read the password from stdin instead of printing an activation link");
  cmd->add_flag("--pending", o->pending, "Put the account in the approval queue");
  cmd->add_option("--invite", o->invite, "Redeem this invite code for the account");
  cmd->add_option("--note", o->note, "The profile bio");
  cmd->callback([&ctx, o] { run_create(ctx, *o); });
}

void setup_users_queries(CLI::App* group, Context& ctx) {
  auto lo = std::make_shared<ListOptions>();
  auto* list = group->add_subcommand("list", "List local users (oldest first)");
  add_list_options(list, *lo);
  list->callback([&ctx, lo] {
    UserService svc(ctx.env());
    ctx.out().list(user_rows(svc.list(to_filter(*lo))), k_users_view);
  });

  auto ref = std::make_shared<std::string>();
  auto* show = group->add_subcommand("show", "Everything about one user");
  show->add_option("USER", *ref, "username, @username, email address or id:N")->required();
  show->callback([&ctx, ref] {
    ctx.out().item(overview::account_details(ctx.env(), UserService(ctx.env()).resolve(*ref)),
                   k_users_view);
  });
}

void setup_users_modify(CLI::App* group, Context& ctx) {
  struct Options {
    std::string user;
    std::optional<std::string> email, display_name, role, note, approve_followers, notify;
    std::optional<bool> discoverable;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = group->add_subcommand(
      "modify", "Change a user's email, name, role, bio or how followers are approved");
  cmd->add_option("USER", o->user, "username, @username, email address or id:N")->required();
  cmd->add_option("--email", o->email, "New email address");
  cmd->add_option("--display-name", o->display_name, "New display name");
  cmd->add_option("--role", o->role, "New role: user, moderator or admin")
      ->check(CLI::IsMember({"user", "moderator", "admin"}));
  cmd->add_option("--note", o->note, "New profile bio");
  cmd->add_option("--approve-followers", o->approve_followers,
                  "manual: follows wait for 'users follow-requests approve'; auto: accepted at "
                  "once (switching to auto accepts those waiting)")
      ->check(CLI::IsMember({"manual", "auto"}));
  auto* listed = cmd->add_flag_callback(
      "--discoverable", [o] { o->discoverable = true; },
      "List the user in the profile directory (/api/v1/directory) and let search engines index "
      "the profile page");
  auto* unlisted = cmd->add_flag_callback(
      "--no-discoverable", [o] { o->discoverable = false; },
      "Leave the user out of the directory and search engines (the default for new users)");
  listed->excludes(unlisted);
  cmd->add_option("--notify", o->notify,
                  "Mails a moderator or admin gets: reports, pending or reports,pending as "
                  "things happen, digest (one mail a day about both) or none");
  cmd->callback([&ctx, o] {
    users::ModifyRequest req{o->email,     o->display_name, std::nullopt, o->note,
                             std::nullopt, o->discoverable, o->notify};
    if (o->role) req.role = users::parse_role(*o->role);
    if (o->approve_followers) req.manually_approves_followers = *o->approve_followers == "manual";
    UserService svc(ctx.env());
    const auto u = svc.modify(o->user, req);
    ctx.out().item(users::to_json(u), k_users_view);
    ctx.out().note(fmt::format("Updated {}.", u.username));
  });
}

void setup_users_queue(CLI::App* group, Context& ctx) {
  struct Options {
    std::vector<std::string> users;
    std::int64_t oldest = 0;
  };
  auto o = std::make_shared<Options>();
  auto* approve = group->add_subcommand("approve", "Approve pending sign-ups");
  approve->add_option("USER", o->users, "Users to approve");
  approve->add_option("--oldest", o->oldest, "Approve the N oldest pending sign-ups");
  approve->callback([&ctx, o] {
    if (o->users.empty() == (o->oldest == 0)) {
      throw Error(ErrorKind::usage, "give the users to approve, or --oldest N (not both)");
    }
    UserService svc(ctx.env());
    const auto done = o->users.empty() ? svc.approve_oldest(o->oldest) : svc.approve(o->users);
    const auto rows = user_rows(done);
    ctx.out().list(rows, k_users_view);
    if (!done.empty()) ctx.out().note(fmt::format("Approved {}.", field_list(rows, "username")));
  });

  struct RejectOptions {
    std::vector<std::string> users;
    bool notify = false;
  };
  auto r = std::make_shared<RejectOptions>();
  auto* reject = group->add_subcommand("reject", "Reject pending sign-ups (removes them)");
  reject->add_option("USER", r->users, "Users to reject")->required();
  reject->add_flag("--notify", r->notify, "Tell them by mail that their sign-up was not approved");
  reject->callback([&ctx, r] {
    UserService svc(ctx.env());
    const auto rows =
        user_rows(svc.reject(r->users, r->notify ? users::TellPerson::yes : users::TellPerson::no));
    ctx.out().list(rows, k_users_view);
    if (!rows.empty()) {
      ctx.out().note(fmt::format("Rejected {}: the sign-ups are removed{}.",
                                 field_list(rows, "username"),
                                 r->notify ? "; they are told by mail" : ""));
    }
  });
}

void setup_users_actions(CLI::App* group, Context& ctx) {
  using moderation::Action;
  struct Spec {
    const char* name;
    Action action;
    const char* help;
  };
  static constexpr Spec specs[] = {
      {"suspend", Action::suspend,
       "Suspend an account (its actor answers 410 Gone); records a strike"},
      {"unsuspend", Action::unsuspend, "Lift a suspension"},
      {"silence", Action::silence, "Limit an account's visibility; records a strike"},
      {"unsilence", Action::unsilence, "Lift a silence"},
      {"disable", Action::disable, "Stop a local user from logging in; records a strike"},
      {"enable", Action::enable, "Let a disabled user log in again"},
      {"warn", Action::warn, "Record a warning strike against a local user"},
  };
  for (const auto& spec : specs) {
    struct Options {
      std::string user;
      std::optional<std::string> reason;
      std::optional<std::string> as;
      std::vector<std::int64_t> rules;
    };
    auto o = std::make_shared<Options>();
    auto* cmd = group->add_subcommand(spec.name, spec.help);
    cmd->add_option("USER", o->user, "username, @username, email, id:N (or user@remote.domain)")
        ->required();
    cmd->add_option(
        "--reason", o->reason,
        moderation::requires_reason(spec.action)
            ? "Why (needed: kept with the strike the account sees, and in the audit log)"
            : "Why (kept with the strike and in the audit log)");
    if (moderation::is_strike(spec.action)) {
      cmd->add_option("--rule", o->rules,
                      "A broken rule's id, told to the account in its mail (repeatable; see "
                      "'rules list')");
    }
    cmd->add_option("--as", o->as,
                    "The moderator taking the action (a local moderator or admin) [default: "
                    "$INSTCTL_ACTOR when it names a local user, else the operator]");
    const auto action = spec.action;
    cmd->callback([&ctx, o, action] {
      moderation::ModerationService svc(ctx.env());
      const auto done =
          svc.act(o->user, svc.identify(o->as), {action, o->reason, std::nullopt, o->rules});
      ctx.out().item(users::to_json(done.account), k_users_view);
      ctx.out().note(moderation::outcome_sentence(done));
    });
  }
}

void setup_users_lifecycle(CLI::App* group, Context& ctx) {
  auto ref = std::make_shared<std::string>();
  auto* del = group->add_subcommand(
      "delete", "Delete a user: the username stays reserved and the actor answers 410 Gone");
  del->add_option("USER", *ref, "username, @username, email address or id:N")->required();
  del->callback([&ctx, ref] {
    UserService svc(ctx.env());
    const auto u = svc.resolve(*ref);
    ctx.confirm(fmt::format("Delete {} <{}> for good", u.username, u.email.value_or("")));
    const auto gone = svc.remove(*ref);
    ctx.out().item(users::to_json(gone), k_users_view);
    ctx.out().note(fmt::format("Deleted {}; the username stays reserved.", gone.username));
  });

  struct ResetOptions {
    std::string user;
    bool password_stdin = false;
  };
  auto ro = std::make_shared<ResetOptions>();
  auto* reset = group->add_subcommand(
      "reset-password", "Print a one-time reset link (valid 24 h), or set a password from stdin");
  reset->add_option("USER", ro->user, "username, @username, email address or id:N")->required();
  reset->add_flag("--password-stdin", ro->password_stdin, "Read the new password from stdin");
  reset->callback([&ctx, ro] {
    std::optional<std::string> pw;
    if (ro->password_stdin) pw = ctx.read_secret_stdin();
    UserService svc(ctx.env());
    const auto url = svc.reset_password(ro->user, pw);
    const auto u = svc.resolve(ro->user);
    Json record{{"username", u.username},
                {"reset_url", url ? Json(*url) : Json(nullptr)},
                {"password_set", !url.has_value()}};
    ctx.out().item(record, View{{}, url ? "reset_url" : "username", ""});
    if (url)
      ctx.out().note("The link works once and expires in 24 hours.");
    else
      ctx.out().note(fmt::format("Set a new password for {}.", u.username));
  });

  struct RotateOptions {
    std::vector<std::string> users;
    bool all = false;
  };
  auto rot = std::make_shared<RotateOptions>();
  auto* rotate = group->add_subcommand("rotate-keys", "Give users a new key pair");
  rotate->add_option("USER", rot->users, "Users whose keys to replace");
  rotate->add_flag("--all", rot->all, "Every local user");
  rotate->callback([&ctx, rot] {
    if (rot->users.empty() != rot->all) {
      throw Error(ErrorKind::usage, "give the users whose keys to rotate, or --all (not both)");
    }
    if (rot->all) ctx.confirm("Replace the key pair of every local user");
    UserService svc(ctx.env());
    std::unique_ptr<ProgressBar> bar;
    const auto done = svc.rotate_keys(rot->users, [&bar](std::size_t n, std::size_t total) {
      if (!bar) bar = std::make_unique<ProgressBar>("rotating keys", total);
      bar->update(n);
    });
    if (bar) bar->finish();
    ctx.out().list(user_rows(done), k_users_view);
    ctx.out().note(fmt::format("Gave {} a new key pair.",
                               util::counted(static_cast<long long>(done.size()), "user")));
  });
}

void setup_users_identity(CLI::App* group, Context& ctx) {
  auto ref = std::make_shared<std::string>();
  auto* unlink = group->add_subcommand(
      "unlink-identity",
      "Remove the link between a user and their partner (OpenID Connect) identity");
  unlink->add_option("USER", *ref, "username, @username, email address or id:N")->required();
  unlink->callback([&ctx, ref] {
    Json rows = Json::array();
    for (const auto& i : auth::OidcService(ctx.env()).unlink(*ref))
      rows.push_back(auth::to_json(i));
    ctx.out().list(rows, k_identity_view);
    ctx.out().note(
        fmt::format("Unlinked {}: the next partner sign-in with that identity starts a "
                    "new sign-up.",
                    *ref));
  });
}

void setup_users(CLI::App& app, Context& ctx) {
  auto* group = add_group(app, "users", "Local users: create, list, moderate, delete");
  setup_users_create(group, ctx);
  setup_users_queries(group, ctx);
  setup_users_modify(group, ctx);
  setup_users_queue(group, ctx);
  setup_users_actions(group, ctx);
  setup_users_lifecycle(group, ctx);
  setup_users_identity(group, ctx);
}

}  // namespace

INSTCTL_COMMAND_GROUP(40, "users", setup_users);

}  // namespace instctl::cli
