#include "instctl/auth/code_exchange.hpp"

#include <fmt/format.h>

#include <memory>
#include <optional>

#include "instctl/core/error.hpp"
#include "instctl/core/untrusted_json.hpp"
#include "instctl/util/strings.hpp"
#include "instctl/util/url.hpp"

namespace instctl::auth {

std::string claim_text(const Json& claims, const char* name) { return text_member(claims, name); }

std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += util::percent_encode(k) + "=" + util::percent_encode(v);
  }
  return out;
}

namespace {

struct Run {
  net::HttpClient& client;
  CodeExchange x;
  Deadline deadline;
  Then<ProviderAnswer> done;
  ProviderMetadata meta;
  Json answer;  // the token endpoint's
};
using RunPtr = std::shared_ptr<Run>;

// Ends the run with an error: the provider's or the documents' as a failure, an internal one
// as the operation's error.
void fail(const RunPtr& r, std::exception_ptr error) {
  std::optional<ProviderAnswer> failure;
  try {
    std::rethrow_exception(error);
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::internal) {
      failure.emplace();
      failure->failure = e.what();
    }
  } catch (...) {
  }
  // `done` runs outside the handlers and is handed the only reference to the error, so this
  // thread holds none once the party waiting on `done` goes on to read it.
  if (failure) return r->done(nullptr, std::move(*failure));
  r->done(std::move(error), {});
}

void ok(const RunPtr& r, VerifiedToken token) {
  ProviderAnswer a;
  a.token = std::move(token);
  r->done(nullptr, std::move(a));
}

// The token answer: a JSON object with an ID token, after a 200.
Json token_answer(const net::HttpResponse& res) {
  const auto doc = parse_untrusted_object(res.body);
  if (res.status != 200) {
    const auto error = doc ? claim_text(*doc, "error") : std::string();
    throw Error(ErrorKind::remote, fmt::format("the provider refused the code (HTTP {}{})",
                                               res.status, error.empty() ? "" : ", " + error));
  }
  if (!doc || claim_text(*doc, "id_token").empty()) {
    throw Error(ErrorKind::invalid_data, "the provider's token answer holds no ID token");
  }
  return *doc;
}

net::HttpRequest token_request(const Run& r) {
  const auto& s = r.x.settings;
  const auto secret = read_client_secret(s);
  net::HttpRequest req;
  req.method = "POST";
  req.url = r.meta.token_endpoint;
  req.follow_redirects = false;
  req.deadline = r.deadline;
  // client_secret_basic (RFC 6749 2.3.1: the id and secret form-encoded first).
  const auto basic =
      util::base64_encode(util::percent_encode(s.client_id) + ":" + util::percent_encode(secret));
  req.headers = {{"Accept", net::k_accept_json},
                 {"Content-Type", "application/x-www-form-urlencoded"},
                 {"Authorization", "Basic " + basic}};
  req.body = form_encode({{"grant_type", "authorization_code"},
                          {"code", r.x.code},
                          {"redirect_uri", r.x.redirect_uri},
                          {"code_verifier", r.x.login.code_verifier.value_or("")}});
  return req;
}

// OpenID Connect Core 5.4: in the code flow a provider may keep the scope claims (email,
// profile) out of the ID token and answer them at the UserInfo endpoint. Adds the claims the
// token lacks from there; an answer about another subject ends the run.
void add_userinfo_claims(const RunPtr& r, VerifiedToken token) {
  const auto access_token = claim_text(r->answer, "access_token");
  if (token.claims.contains("email") || r->meta.userinfo_endpoint.empty() || access_token.empty()) {
    return ok(r, std::move(token));
  }
  const auto subject = token.subject;
  fetch_userinfo_async(
      r->client, r->meta.userinfo_endpoint, access_token, subject, r->deadline,
      [r, token = std::move(token)](std::exception_ptr error, Json info) mutable {
        if (error) return fail(r, std::move(error));
        for (const char* name : {"email", "email_verified", "preferred_username", "name"}) {
          if (!token.claims.contains(name) && info.contains(name)) {
            token.claims[name] = info[name];
          }
        }
        ok(r, std::move(token));
      });
}

void verify(const RunPtr& r) {
  fetch_jwks_async(r->client, r->meta.jwks_uri, r->deadline,
                   [r](std::exception_ptr error, std::vector<Jwk> keys) {
                     if (error) return fail(r, std::move(error));
                     const Expectations expect{r->meta.issuer, r->x.settings.client_id,
                                               r->x.login.nonce, r->x.now};
                     auto verified =
                         verify_id_token(claim_text(r->answer, "id_token"), keys, expect);
                     if (!verified.ok()) {
                       ProviderAnswer a;
                       a.problem = verified.problem;
                       return r->done(nullptr, std::move(a));
                     }
                     add_userinfo_claims(r, std::move(*verified.token));
                   });
}

void exchange(const RunPtr& r) {
  net::HttpRequest req;
  if (auto failed = net::caught([&] { req = token_request(*r); }))
    return fail(r, std::move(failed));
  r->client.send_async(std::move(req), [r](std::exception_ptr error, net::HttpResponse res) {
    if (error) return fail(r, std::move(error));
    if (auto failed = net::caught([&] { r->answer = token_answer(res); })) {
      return fail(r, std::move(failed));
    }
    verify(r);
  });
}

}  // namespace

void exchange_code_async(net::HttpClient& client, CodeExchange exchange_in, Deadline deadline,
                         Then<ProviderAnswer> done) {
  auto r = std::make_shared<Run>(
      Run{client, std::move(exchange_in), deadline, std::move(done), {}, Json()});
  fetch_discovery_async(client, r->x.settings.issuer, deadline,
                        [r](std::exception_ptr error, ProviderMetadata meta) {
                          if (error) return fail(r, std::move(error));
                          r->meta = std::move(meta);
                          exchange(r);
                        });
}

}  // namespace instctl::auth
