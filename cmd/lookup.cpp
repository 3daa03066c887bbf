// instctl federation lookup | peers: remote accounts and the instances seen.

#include "cli.hpp"
#include "instctl/federation/domain_policy.hpp"
#include "instctl/federation/lookup_service.hpp"
#include "instctl/federation/peer_store.hpp"

namespace instctl::cli {
namespace {

const View k_lookup_view{{"acct", "id", "type", "name", "inbox", "shared_inbox", "key_id", "software",
                          "software_version"},
                         "id", ""};
const View k_peer_view{{"domain", "software", "software_version", "last_contact_at", "block", "last_error"},
                       "domain", "peers"};
void setup_lookup(CLI::App* group, Context& ctx) {
  auto target = std::make_shared<std::string>();
  auto* cmd = group->add_subcommand(
      "lookup", "Find a remote account by WebFinger or actor URL and record it");
  cmd->add_option("ACCT|URL", *target, "user@domain, @user@domain, or the actor's URL")->required();
  cmd->callback([&ctx, target] {
    auto client = net::make_http_client(net::client_options(ctx.db()));
    federation::LookupService svc(ctx.env(), *client);
    ctx.out().item(svc.lookup(*target), k_lookup_view);
  });

  group->add_subcommand("peers", "Instances seen, with last contact and block state")
      ->callback([&ctx] {
        federation::DomainPolicy policy(ctx.db());
        Json rows = Json::array();
        for (const auto& p : federation::PeerStore(ctx.db()).list()) {
          rows.push_back(federation::to_json(p, policy.state(p.domain)));
        }
        ctx.out().list(rows, k_peer_view);
      });
}

void setup(CLI::App& app, Context& ctx) { setup_lookup(app.get_subcommand("federation"), ctx); }

}  // namespace

INSTCTL_COMMAND_GROUP(71, setup);

}  // namespace instctl::cli
