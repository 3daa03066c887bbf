#pragma once

#include <memory>
#include <string>

#include "instctl/activitypub/webfinger_parse.hpp"
#include "instctl/core/json.hpp"
#include "instctl/db/env.hpp"
#include "instctl/net/http_client.hpp"

namespace instctl::federation {

// `federation lookup`: WebFinger, then the actor document, then the NodeInfo of its instance.
// Records (or refreshes) the account and the peer. Blocked (suspended) domains are refused
// before anything is sent (Error policy); network and peer failures are Error(remote).
class LookupService {
 public:
  LookupService(Env& env, net::HttpClient& client);

  // `target` is user@domain, @user@domain, acct:user@domain, or an actor URL. Returns id, acct,
  // type, inbox, shared_inbox, key_id, name, url, software, software_version, account_id.
  Json lookup(std::string_view target);

 private:
  std::string webfinger(const activitypub::Acct& acct);
  std::string fetch(const std::string& url, const char* accept, const std::string& what);
  Env& m_env;
  net::HttpClient& m_client;
  bool m_allow_http;
  bool m_https_failed = false;  // the last fetch failed below HTTP (no answer at all)
};

}  // namespace instctl::federation
