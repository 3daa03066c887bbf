// instctl users followers / users follow-requests / users remove-follower: a user's remote
// followers, decisions on the follows waiting for a user who approves followers manually, and
// removing a follower.

#include <fmt/format.h>

#include "cli.hpp"
#include "instctl/federation/follower_service.hpp"

namespace instctl::cli {
namespace {

using federation::FollowerService;

const View k_followers_view{
    {"account", "state", "created_at", "actor_uri"}, "account", "followers"};

void setup_followers(CLI::App* group, Context& ctx) {
  struct Options {
    std::string user;
    bool pending = false;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = group->add_subcommand("followers", "List a user's followers (oldest first)");
  cmd->add_option("USER", o->user, "username, @username, email address or id:N")->required();
  cmd->add_flag("--pending", o->pending, "Only the follow requests waiting for a decision");
  cmd->callback([&ctx, o] {
    const auto which = o->pending ? FollowerService::Which::pending : FollowerService::Which::all;
    Json rows = Json::array();
    for (const auto& f : FollowerService(ctx.env()).list(o->user, which)) {
      rows.push_back(federation::to_json(f));
    }
    ctx.out().list(rows, k_followers_view);
  });
}

void setup_followers_requests(CLI::App* group, Context& ctx) {
  auto* requests = group->add_subcommand(
      "follow-requests", "Approve or reject follows waiting for a user who approves by hand");
  requests->require_subcommand(1);
  struct Spec {
    const char* name;
    FollowerService::Decision decision;
    const char* help;
    const char* done;
  };
  static constexpr Spec specs[] = {
      {"approve", FollowerService::Decision::approve,
       "Accept a follow request (a signed Accept is queued to the follower)", "now follows"},
      {"reject", FollowerService::Decision::reject,
       "Refuse a follow request (it is removed and a Reject is queued)", "was refused by"},
  };
  for (const auto& spec : specs) {
    struct Options {
      std::string user;
      std::string account;
    };
    auto o = std::make_shared<Options>();
    auto* cmd = requests->add_subcommand(spec.name, spec.help);
    cmd->add_option("USER", o->user, "The local user followed")->required();
    cmd->add_option("ACCOUNT", o->account, "The follower: user@domain or its actor URL")
        ->required();
    const auto decision = spec.decision;
    const char* done = spec.done;
    cmd->callback([&ctx, o, decision, done] {
      const auto f = FollowerService(ctx.env()).decide(o->user, o->account, decision);
      ctx.out().item(federation::to_json(f), k_followers_view);
      ctx.out().note(fmt::format("{} {} {}.", f.account.acct(), done, o->user));
    });
  }
}

void setup_followers_remove(CLI::App* group, Context& ctx) {
  struct Options {
    std::string user;
    std::string account;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = group->add_subcommand(
      "remove-follower", "Remove a follower of a user (a signed Reject of its Follow is queued)");
  cmd->add_option("USER", o->user, "The local user followed")->required();
  cmd->add_option("ACCOUNT", o->account, "The follower: user@domain or its actor URL")->required();
  cmd->callback([&ctx, o] {
    const auto f = FollowerService(ctx.env()).remove(o->user, o->account);
    ctx.out().item(federation::to_json(f), k_followers_view);
    ctx.out().note(fmt::format("{} no longer follows {}.", f.account.acct(), o->user));
  });
}

void setup_followers(CLI::App& app, Context& ctx) {
  auto* group = app.get_subcommand("users");
  setup_followers(group, ctx);
  setup_followers_requests(group, ctx);
  setup_followers_remove(group, ctx);
}

}  // namespace

INSTCTL_COMMAND_GROUP(42, "users", setup_followers);

}  // namespace instctl::cli
