// instctl federation lookup | peers: remote accounts and the instances seen.

#include <fmt/format.h>

#include "cli.hpp"
#include "instctl/federation/domain_policy.hpp"
#include "instctl/federation/lookup_service.hpp"
#include "instctl/federation/peer_signing.hpp"
#include "instctl/federation/peer_store.hpp"
#include "instctl/instance/client_options.hpp"

namespace instctl::cli {
namespace {

const View k_lookup_view{{"acct", "id", "type", "name", "inbox", "shared_inbox", "key_id",
                          "software", "software_version"},
                         "id",
                         ""};
const View k_peer_view{{"domain", "software", "software_version", "last_contact_at", "block",
                        "signature", "last_error"},
                       "domain",
                       "peers"};
void setup_lookup_set_signature(CLI::App* peers, Context& ctx) {
  struct Options {
    std::string domain, choice;
  };
  auto o = std::make_shared<Options>();
  auto* cmd = peers->add_subcommand(
      "set-signature",
      "Choose the HTTP signature standard for a peer, or let it be learned (auto)");
  cmd->add_option("DOMAIN", o->domain, "A peer's domain, as `federation peers` lists it")
      ->required();
  cmd->add_option("STANDARD", o->choice, "cavage, rfc9421 or auto")
      ->required()
      ->check(CLI::IsMember({"cavage", "rfc9421", "auto"}));
  cmd->callback([&ctx, o] {
    const auto peer = federation::set_peer_signature(ctx.env(), o->domain, o->choice);
    ctx.out().item(federation::to_json(peer, federation::DomainPolicy(ctx.db()).state(peer.domain)),
                   k_peer_view);
    ctx.out().note(
        o->choice == "auto"
            ? fmt::format("{} is signed for as learned from its answers.", peer.domain)
            : fmt::format("Requests to {} are signed with {} only.", peer.domain, o->choice));
  });
}

void setup_lookup(CLI::App* group, Context& ctx) {
  auto target = std::make_shared<std::string>();
  auto* cmd = group->add_subcommand(
      "lookup", "Find a remote account by WebFinger or actor URL and record it");
  cmd->add_option("ACCT|URL", *target, "user@domain, @user@domain, or the actor's URL")->required();
  cmd->callback([&ctx, target] {
    auto client = net::make_http_client(instance::client_options(ctx.db()));
    federation::LookupService svc(ctx.env(), *client);
    ctx.out().item(svc.lookup(*target), k_lookup_view);
  });

  auto* peers = group->add_subcommand(
      "peers", "Instances seen, with last contact, block state and signature standard");
  peers->callback([&ctx, peers] {
    if (!peers->get_subcommands().empty()) return;  // a verb below ran instead
    federation::DomainPolicy policy(ctx.db());
    Json rows = Json::array();
    for (const auto& p : federation::PeerStore(ctx.db()).list()) {
      rows.push_back(federation::to_json(p, policy.state(p.domain)));
    }
    ctx.out().list(rows, k_peer_view);
  });
  setup_lookup_set_signature(peers, ctx);
}

void setup_lookup(CLI::App& app, Context& ctx) {
  setup_lookup(app.get_subcommand("federation"), ctx);
}

}  // namespace

INSTCTL_COMMAND_GROUP(71, "federation", setup_lookup);

}  // namespace instctl::cli
