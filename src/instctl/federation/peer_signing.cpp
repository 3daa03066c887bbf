#include "instctl/federation/peer_signing.hpp"

#include <fmt/format.h>

#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/crypto/message_signature.hpp"
#include "instctl/federation/url_domain.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::federation {

namespace {

using crypto::SignatureStandard;

SignatureStandard other(SignatureStandard s) {
  return s == SignatureStandard::cavage ? SignatureStandard::rfc9421 : SignatureStandard::cavage;
}

// The leading "MAJOR.MINOR" of a version such as "4.5.0+glitch" or "4.5.0-beta.1".
std::optional<std::pair<int, int>> major_minor(std::string_view v) {
  int parts[2] = {0, 0};
  std::size_t i = 0;
  for (int k = 0; k < 2; ++k) {
    const auto start = i;
    while (i < v.size() && i - start < 6 && v[i] >= '0' && v[i] <= '9')
      parts[k] = parts[k] * 10 + (v[i++] - '0');
    if (i == start) return std::nullopt;
    if (k == 0 && (i >= v.size() || v[i++] != '.')) return std::nullopt;
  }
  return std::make_pair(parts[0], parts[1]);
}

// `req` signed with the standard `s`.
net::HttpRequest signed_as(net::HttpRequest req, SignatureStandard s, const RequestSigner& signer,
                           UnixTime now) {
  const auto url = net::parse_url(req.url);
  if (!url) throw Error(ErrorKind::remote, fmt::format("'{}' is not an http(s) URL", req.url));
  if (s == SignatureStandard::rfc9421) {
    crypto::sign_message(req.method, url->scheme, url->target, req.body, req.headers, signer.key_id,
                         signer.private_pem, now);
  } else {
    crypto::sign_request(req.method, url->target, req.body, req.headers, signer.key_id,
                         signer.private_pem, now);
  }
  return req;
}

// Signs and sends; a signing error ends the operation like a client error.
void send_as(net::HttpClient& client, const net::HttpRequest& req, SignatureStandard s,
             const RequestSigner& signer, UnixTime now, net::HttpClient::Done done) {
  net::HttpRequest signed_req;
  if (auto failed = net::caught([&] { signed_req = signed_as(req, s, signer, now); })) {
    return done(std::move(failed), {});
  }
  client.send_async(std::move(signed_req), std::move(done));
}

bool success(long status) { return status >= 200 && status < 300; }

}  // namespace

bool software_takes_rfc9421(std::string_view software, std::string_view version) {
  if (!util::iequals(software, "mastodon")) return false;
  const auto v = major_minor(version);
  return v && (v->first > 4 || (v->first == 4 && v->second >= 5));
}

SignaturePlan plan_signature(const Peer& p) {
  if (p.signature_forced) return {*p.signature_forced, false};
  if (p.signature_learned == SignatureStandard::rfc9421) return {SignatureStandard::rfc9421, true};
  if (p.rfc9421_refused_at) return {SignatureStandard::cavage, true};
  const bool evidence =
      p.rfc9421_signed_at || software_takes_rfc9421(p.software, p.software_version);
  return {evidence ? SignatureStandard::rfc9421 : SignatureStandard::cavage, true};
}

SignaturePlan plan_for(db::Connection& db, const std::string& url) {
  return plan_signature(PeerStore(db).get(url_domain(url)).value_or(Peer{}));
}

void send_with_plan_async(net::HttpClient& client, net::HttpRequest req, SignaturePlan plan,
                          RequestSigner signer, UnixTime now, SignedDone done) {
  struct Knock {
    net::HttpClient& client;
    net::HttpRequest req;
    SignaturePlan plan;
    RequestSigner signer;
    UnixTime now;
    SignedDone done;
  };
  auto k = std::make_shared<Knock>(
      Knock{client, std::move(req), plan, std::move(signer), now, std::move(done)});
  send_as(k->client, k->req, plan.first, k->signer, now,
          [k](std::exception_ptr error, net::HttpResponse first) {
            if (error) return k->done(std::move(error), {});
            SignedResponse out{std::move(first), k->plan.first, false};
            if (!k->plan.may_retry || (out.response.status != 400 && out.response.status != 401)) {
              return k->done(nullptr, std::move(out));
            }
            out.rfc9421_refused = out.used == SignatureStandard::rfc9421;
            out.used = other(out.used);
            send_as(k->client, k->req, out.used, k->signer, k->now,
                    [k, out](std::exception_ptr second_error, net::HttpResponse second) mutable {
                      if (second_error) return k->done(std::move(second_error), {});
                      out.response = std::move(second);
                      k->done(nullptr, std::move(out));
                    });
          });
}

SignedResponse send_with_plan(net::HttpClient& client, const net::HttpRequest& req,
                              const SignaturePlan& plan, const RequestSigner& signer,
                              UnixTime now) {
  return net::wait_for_result<SignedResponse>([&](SignedDone done) {
    send_with_plan_async(client, req, plan, signer, now, std::move(done));
  });
}

net::HttpResponse send_signed(db::Connection& db, net::HttpClient& client,
                              const net::HttpRequest& req, const RequestSigner& signer,
                              UnixTime now) {
  const std::string domain = url_domain(req.url);
  PeerStore peers(db);
  const auto peer = peers.get(domain);
  const auto plan = plan_signature(peer.value_or(Peer{}));
  auto sent = send_with_plan(client, req, plan, signer, now);
  if (sent.rfc9421_refused) peers.record_rfc9421_refused(domain, now);
  // A forced choice teaches nothing; otherwise remember the standard that was accepted.
  if (plan.may_retry && success(sent.response.status) &&
      (!peer || peer->signature_learned != sent.used)) {
    peers.record_signature_learned(domain, sent.used, now);
  }
  return std::move(sent.response);
}

Peer set_peer_signature(Env& env, const std::string& domain, const std::string& choice) {
  std::optional<SignatureStandard> forced;
  if (choice != "auto") {
    forced = crypto::parse_signature_standard(choice);
    if (!forced) {
      throw Error(
          ErrorKind::usage,
          fmt::format("'{}' is not a signature choice: use cavage, rfc9421 or auto", choice));
    }
  }
  db::Transaction tx(env.db);
  PeerStore peers(env.db);
  if (!peers.set_signature_forced(domain, forced)) {
    throw Error(ErrorKind::not_found,
                fmt::format("{} is not a known peer: see `instctl federation peers`", domain));
  }
  audit::record(env, "federation.peer_signature", "domain:" + domain, Json{{"choice", choice}});
  tx.commit();
  return *peers.get(domain);
}

}  // namespace instctl::federation
