#pragma once

// The inbox (POST /inbox and /users/NAME/inbox): authenticates a signed activity and applies
// it. The HTTP handler only parses the request and turns the result into a status.
//
//   federation::InboxService inbox(env, client, site, flags);
//   auto r = inbox.receive(request);   // r.outcome: accepted, ignored, bad_request, ...
//
// Authentication, in order: the signature's structure, coverage, time window and body digest
// (crypto::check_request: draft-cavage or RFC 9421) (401); the body is a JSON activity
// with an actor (400); the actor's and the key's domain are not suspended (403, before
// anything is fetched from them); the key (cached in the accounts table, else fetched by
// keyId; a cached key that fails is fetched again once, in case the actor changed it)
// verifies the signature, and its owner is the activity's actor (401). A peer that signed with
// RFC 9421 is marked as taking it (federation/peer_signing.hpp).
//
// Handled: Follow of a local user (recorded, an Accept queued, or pending when the user
// approves followers manually), Undo of a Follow, Flag (handed to the FlagSink: reports), Delete
// of the sending actor (its follows removed), Update of the sending actor (key and profile
// refreshed). Anything else is ignored.

#include <chrono>
#include <string>

#include "instctl/core/json.hpp"
#include "instctl/crypto/http_signature.hpp"
#include "instctl/db/env.hpp"
#include "instctl/federation/flag_sink.hpp"
#include "instctl/federation/inbox_activity.hpp"
#include "instctl/federation/inbox_keys.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/net/http_client.hpp"
#include "instctl/users/user.hpp"

namespace instctl::federation {

enum class InboxOutcome {
  accepted,      // the activity was applied
  ignored,       // authentic, but nothing to do (an unhandled type, an unknown object...)
  bad_request,   // not JSON, not an activity
  unauthorized,  // unsigned, badly signed, stale, digest mismatch, key not the actor's
  forbidden,     // the sender's domain is suspended
};
const char* to_string(InboxOutcome o);

struct InboxResult {
  InboxOutcome outcome = InboxOutcome::accepted;
  std::string message;   // why, for the client (4xx) and the log
  std::string type;      // the activity's type, when it got that far
  std::string standard;  // the signature's standard ("cavage", "rfc9421"), once it was read
};

// The first step of a request (see InboxService::begin): its result, or the key it waits for.
struct InboxStep {
  InboxResult result;
  std::string fetch_key_id;  // when set: fetch this key, then call complete()
};

class InboxService {
 public:
  // `flags` receives the authenticated Flags.
  InboxService(Env& env, net::HttpClient& client, instance::InstanceInfo site, FlagSink& flags);

  // All of it at once, fetching a key through `client` if one is needed (the command line,
  // tests).
  InboxResult receive(const crypto::IncomingRequest& req);

  // The same in two steps, so that no database connection is held while another server is
  // waited on: begin() does everything that needs no fetch; when it names a key, the caller
  // fetches it (fetch_signing_key, as fetch_signer(key_id) signs) and calls complete() with what
  // came back, which checks the request again and finishes it.
  InboxStep begin(const crypto::IncomingRequest& req);
  InboxResult complete(const crypto::IncomingRequest& req, const KeyFetch& fetched);
  // Who signs the fetch of `key_id`, and with which standard (the peers table's plan).
  FetchSigner fetch_signer(const std::string& key_id);
  // How long one key fetch may take in all (both documents, every redirect).
  static constexpr std::chrono::seconds k_fetch_time{5};

 private:
  struct Origin {  // who sent the activity, once authenticated
    std::int64_t account_id = 0;
    std::string actor_uri;
    std::string domain;
    std::string inbox_url;
  };
  // fetched: the key fetched after begin() named it; without it, a key that must be fetched
  // ends the step with `fetch_key_id` set.
  InboxStep run(const crypto::IncomingRequest& req, const KeyFetch* fetched);
  InboxResult authenticate(const crypto::IncomingRequest& req,
                           const crypto::SignatureParams& params, const InboxActivity& activity,
                           const KeyFetch* fetched, std::string& fetch_key_id, Origin& sender);
  InboxResult on_follow(const InboxActivity& activity, const Origin& sender);
  InboxResult on_undo(const InboxActivity& activity, const Origin& sender);
  InboxResult on_flag(const InboxActivity& activity);
  InboxResult on_delete(const InboxActivity& activity, const Origin& sender);
  InboxResult on_update(const InboxActivity& activity, const Origin& sender);
  // The local account an actor URI of this instance names (active or silenced only).
  std::optional<users::User> local_account(const std::string& uri);

  Env& m_env;
  net::HttpClient& m_client;
  instance::InstanceInfo m_site;
  FlagSink& m_flags;
};

}  // namespace instctl::federation
