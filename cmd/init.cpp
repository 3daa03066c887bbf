// instctl init: create the instance database.

#include <fmt/format.h>

#include "cli.hpp"
#include "instctl/core/error.hpp"
#include "instctl/db/migrations.hpp"
#include "instctl/http/seams.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/users/user_service.hpp"

namespace instctl::cli {
namespace {

struct InitOptions {
  instance::InitOptions instance;
  std::string admin;
  std::string admin_email;
  bool admin_password_stdin = false;
};

void run_init(Context& ctx, const InitOptions& o) {
  if (o.admin.empty() != o.admin_email.empty()) {
    throw Error(ErrorKind::usage, "--admin and --admin-email go together: give both or neither");
  }
  std::optional<std::string> password;
  if (o.admin_password_stdin) password = ctx.read_secret_stdin();
  auto& conn = ctx.create_db();
  db::migrate(conn);
  Env env{conn, ctx.clock(), ctx.actor(), &http::seams()};
  const auto info = instance::initialize(env, o.instance);
  Json result = instance::to_json(info);
  result["database"] = conn.location();
  if (!o.admin.empty()) {
    users::UserService svc(env);
    users::CreateRequest req;
    req.username = o.admin;
    req.email = o.admin_email;
    req.role = users::Role::admin;
    req.password = password;
    const auto created = svc.create(req);
    result["admin"] = created.user.username;
    result["admin_activation_url"] =
        created.activation_url ? Json(*created.activation_url) : Json(nullptr);
  }
  ctx.out().item(result, View{{}, "domain", "instance"});
  ctx.out().note(
      fmt::format("Created the instance {} in {} (handles: @USER@{}).\nNext: 'instctl invites "
                  "create' to invite people, "
                  "'instctl serve' to go live.",
                  info.domain, conn.location(), info.account_domain));
}

void setup_init(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<InitOptions>();
  auto* cmd = app.add_subcommand("init", "Create the instance database");
  cmd->add_option("--domain", o->instance.domain,
                  "The instance's web domain, optionally with a port (localhost:8080, which "
                  "also sets server.listen to 127.0.0.1:8080) [default: the host of --public-url]");
  cmd->add_option("--account-domain", o->instance.account_domain,
                  "A shorter domain for handles (@user@short.example) [default: the web domain]");
  cmd->add_option("--public-url", o->instance.public_url,
                  "Public URL [default: https://DOMAIN, or http://DOMAIN for localhost "
                  "and 127.x.x.x]");
  cmd->add_option("--title", o->instance.title, "The instance's name");
  cmd->add_option("--registrations", o->instance.registrations,
                  "Who may sign up: open, approval, invite (default) or closed")
      ->check(CLI::IsMember({"open", "approval", "invite", "closed"}));
  cmd->add_option("--admin", o->admin, "Create a first admin with this username");
  cmd->add_option("--admin-email", o->admin_email, "The first admin's email address");
  cmd->add_flag("--admin-password-stdin", o->admin_password_stdin,
                "Read the admin's password from stdin instead of printing an activation link");
  cmd->callback([&ctx, o] { run_init(ctx, *o); });
}

}  // namespace

INSTCTL_COMMAND_GROUP(10, "init", setup_init);

}  // namespace instctl::cli
