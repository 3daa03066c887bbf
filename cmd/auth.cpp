// instctl auth: partner sign-up through an OpenID Connect provider (auth.oidc.* settings).

#include <fmt/format.h>

#include "cli.hpp"
#include "instctl/auth/oidc_service.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::cli {
namespace {

const View k_auth_view{
    {"issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"}, "issuer", "providers"};

void setup_auth(CLI::App& app, Context& ctx) {
  auto* group = add_group(app, "auth", "Partner sign-up through an OpenID Connect provider");
  group->add_subcommand("test", "Check the provider: discovery, then its keys (JWKS)")
      ->callback([&ctx] {
        const auto report = auth::OidcService(ctx.env()).test();
        ctx.out().item(report, k_auth_view);
        ctx.out().note(
            fmt::format("The provider answers: {} found. Register {} as "
                        "the client's redirect URI.",
                        util::counted(static_cast<long long>(report["keys"].size()), "signing key"),
                        report["redirect_uri"].get<std::string>()));
      });
}

}  // namespace

INSTCTL_COMMAND_GROUP(22, "auth", setup_auth);

}  // namespace instctl::cli
