#pragma once

// Which HTTP signature standard a signed request to a peer instance uses (deliveries, key
// fetches), and what is remembered of it in the peers table. One place for the rules, which
// instctl-federation(1) repeats:
// - an admin's choice (`federation peers set-signature DOMAIN cavage|rfc9421`) is used alone;
// - else RFC 9421 when it last worked with the peer;
// - else draft-cavage when the peer refused RFC 9421 (400 or 401);
// - else RFC 9421 when there is evidence the peer takes it: it signed to us with RFC 9421, or
//   its NodeInfo names a version known to verify it (Mastodon 4.5 and later);
// - else draft-cavage.
// A 400 or 401 to the first standard is answered by one more request with the other
// ("double-knocking"); the standard of a 2xx is remembered (and an RFC 9421 refusal), so the
// next request pays one round trip. A 2xx to draft-cavage is never replaced by RFC 9421
// without evidence: some servers answer 2xx and drop what they cannot verify, so only the
// evidence above, or a refusal of draft-cavage followed by an RFC 9421 success, moves a peer
// to RFC 9421.
//
//   auto res = federation::send_signed(db, client, req, {key_id, private_pem}, now);

#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "instctl/crypto/http_signature.hpp"
#include "instctl/db/connection.hpp"
#include "instctl/db/env.hpp"
#include "instctl/federation/peer_store.hpp"
#include "instctl/net/http_client.hpp"

namespace instctl::federation {

// True for software and versions known to verify RFC 9421 (Mastodon 4.5 and later).
bool software_takes_rfc9421(std::string_view software, std::string_view version);

struct SignaturePlan {
  crypto::SignatureStandard first = crypto::SignatureStandard::cavage;
  bool may_retry = true;  // false when an admin forced the standard
};
// The plan for a peer (a default Peer for one never seen).
SignaturePlan plan_signature(const Peer& peer);

struct RequestSigner {
  std::string key_id;
  std::string private_pem;
};

// The plan for the peer instance of `url`, as the peers table has it.
SignaturePlan plan_for(db::Connection& db, const std::string& url);

// What a signed request ended with.
struct SignedResponse {
  net::HttpResponse response;
  crypto::SignatureStandard used = crypto::SignatureStandard::cavage;  // of the last request
  bool rfc9421_refused = false;  // a first RFC 9421 request got 400 or 401
};
// Signs `req` (its headers must hold Host) with the plan's standard, sends it, and knocks once
// more with the other on a 400 or 401 when the plan allows. Touches no database, so it may run
// on any thread (the server's key fetches); it remembers nothing.
SignedResponse send_with_plan(net::HttpClient& client, const net::HttpRequest& req,
                              const SignaturePlan& plan, const RequestSigner& signer, UnixTime now);
// The same without waiting: `done` runs once, where the client's callbacks run (see
// net::HttpClient::send_async); `client` must outlive the operation.
using SignedDone = std::function<void(std::exception_ptr error, SignedResponse response)>;
void send_with_plan_async(net::HttpClient& client, net::HttpRequest req, SignaturePlan plan,
                          RequestSigner signer, UnixTime now, SignedDone done);

// Signs `req` (its headers must hold Host) with the standard planned for the peer of its URL,
// sends it, knocks once more with the other standard on a 400 or 401 when the plan allows, and
// remembers the standard of a 2xx. Errors of the client (Error(remote)) propagate.
net::HttpResponse send_signed(db::Connection& db, net::HttpClient& client,
                              const net::HttpRequest& req, const RequestSigner& signer,
                              UnixTime now);

// `federation peers set-signature`: "cavage", "rfc9421" or "auto" (the rules above).
// Error(usage) for another value, Error(not_found) for a domain that is not a peer.
Peer set_peer_signature(Env& env, const std::string& domain, const std::string& choice);

}  // namespace instctl::federation
