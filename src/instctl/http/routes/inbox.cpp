// The inbox: POST /inbox (shared, also the instance actor's /actor/inbox) and POST
// /users/U/inbox. The work is InboxService's; this
// parses the request and answers (202 accepted or ignored, 400, 401, 403; 413 comes from the
// server's body limit). A 401 says only "signature not verified"; the reason goes to the error
// log. A key that must be fetched is fetched by KeyFetcher, without holding the worker (see
// Pending).

#include <fmt/format.h>

#include "instctl/federation/inbox_service.hpp"
#include "instctl/federation/key_fetcher.hpp"
#include "instctl/http/routes/local_accounts.hpp"
#include "instctl/http/routes/routes.hpp"
#include "instctl/instance/client_options.hpp"
#include "instctl/metrics/instruments.hpp"
#include "instctl/reports/flag_reports.hpp"
#include "instctl/util/url.hpp"

namespace instctl::http {

namespace {

// The outbound client made only when a key must be fetched: most requests come from actors
// whose key is cached.
class LazyClient final : public net::HttpClient {
 public:
  explicit LazyClient(db::Connection& db) : m_db(db) {}
  net::HttpResponse send(const net::HttpRequest& request) override {
    if (!m_client) m_client = net::make_http_client(instance::client_options(m_db));
    return m_client->send(request);
  }

 private:
  db::Connection& m_db;
  std::unique_ptr<net::HttpClient> m_client;
};

constexpr std::string_view k_unverified = "signature not verified";

int status_of(federation::InboxOutcome o) {
  switch (o) {
    case federation::InboxOutcome::accepted:
    case federation::InboxOutcome::ignored:
      return 202;
    case federation::InboxOutcome::bad_request:
      return 400;
    case federation::InboxOutcome::unauthorized:
      return 401;
    case federation::InboxOutcome::forbidden:
      return 403;
  }
  return 400;
}

metrics::InboxOutcome metric_of(federation::InboxOutcome o) {
  switch (o) {
    case federation::InboxOutcome::accepted:
      return metrics::InboxOutcome::accepted;
    case federation::InboxOutcome::ignored:
      return metrics::InboxOutcome::ignored;
    case federation::InboxOutcome::bad_request:
      return metrics::InboxOutcome::bad_request;
    case federation::InboxOutcome::unauthorized:
      return metrics::InboxOutcome::unauthorized;
    case federation::InboxOutcome::forbidden:
      return metrics::InboxOutcome::forbidden;
  }
  return metrics::InboxOutcome::bad_request;
}

Response answer(const federation::InboxResult& r) {
  metrics::count_inbox(r.type, metric_of(r.outcome), r.standard);
  const int status = status_of(r.outcome);
  if (status == 202) {
    Response ok;
    ok.status = 202;
    ok.content_type = media::k_text;
    return ok;
  }
  // Why a signature did not verify (a key host that did not resolve, a port that refused, a
  // missing header) is for the admins only: sent back, it would let anyone probe the
  // instance's network through its key fetches.
  Response err = error_response(status, status == 401 ? k_unverified : r.message);
  if (status == 401) err.header("WWW-Authenticate", "Signature realm=\"inbox\"");
  // Refused deliveries are worth a line in the error log: peers rarely say why they retry.
  err.log_note =
      fmt::format("inbox refused a {}: {}", r.type.empty() ? "request" : r.type, r.message);
  return err;
}

// A request whose signing key must be fetched: the fetch waits on the outbound client's
// multi, not on a worker; the request is then finished on a worker.
class KeyWait final : public Pending, public std::enable_shared_from_this<KeyWait> {
 public:
  KeyWait(crypto::IncomingRequest in, federation::KeyFetchOrder order)
      : m_in(std::move(in)), m_order(std::move(order)) {}

  void start(std::function<void()> done) override {
    federation::KeyFetcher::shared().fetch(
        std::move(m_order),
        [self = shared_from_this(), done = std::move(done)](const federation::KeyFetch& fetched) {
          self->m_fetched = fetched;
          done();
        });
  }

  Response finish(Env& env) override {
    db::SharedReads reads(env.db);
    LazyClient client(env.db);
    reports::FlagReports flags(env);
    federation::InboxService inbox(env, client, instance::load(env.db), flags);
    return answer(inbox.complete(m_in, m_fetched));
  }

 private:
  crypto::IncomingRequest m_in;
  federation::KeyFetchOrder m_order;
  federation::KeyFetch m_fetched;
};

Response receive(RouteContext& ctx) {
  // The checks read a dozen rows (settings, domain policy, the key, the peer, the follow):
  // one read transaction for them; a write the activity makes ends it first.
  db::SharedReads reads(ctx.env.db);
  crypto::IncomingRequest in{ctx.req.method, ctx.req.target, {}, ctx.req.body};
  for (const auto& [name, value] : ctx.req.headers) in.headers.push_back({name, value});
  // The scheme peers address us with (RFC 9421's @target-uri), even behind a TLS proxy.
  const auto& site = ctx.site();
  if (const auto u = util::parse_url(site.public_url)) in.scheme = u->scheme;
  LazyClient client(ctx.env.db);
  reports::FlagReports flags(ctx.env);  // a Flag becomes reports
  federation::InboxService inbox(ctx.env, client, site, flags);
  auto step = inbox.begin(in);
  if (step.fetch_key_id.empty()) return answer(step.result);
  federation::KeyFetchOrder order{step.fetch_key_id, inbox.fetch_signer(step.fetch_key_id),
                                  instance::client_options(ctx.env.db), ctx.env.clock.now()};
  return wait_for(std::make_shared<KeyWait>(std::move(in), std::move(order)));
}

Response personal_inbox(RouteContext& ctx) {
  auto found = lookup_member(ctx, ctx.param("username"));
  if (!found.user) return std::move(found.answer);
  return receive(ctx);
}

}  // namespace

void add_inbox_routes(Router& r) {
  r.add("POST", "/inbox", receive);
  r.add("POST", "/actor/inbox", receive);  // the instance actor's inbox is the shared one
  r.add("POST", "/users/{username}/inbox", personal_inbox);
}

}  // namespace instctl::http
