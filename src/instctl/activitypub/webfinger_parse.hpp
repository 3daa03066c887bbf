#pragma once

// WebFinger (RFC 7033) as the fediverse uses it: acct: handles and JRD answers. No I/O.

#include <string>
#include <string_view>
#include <vector>

#include "instctl/activitypub/parsed.hpp"

namespace instctl::activitypub {

struct Acct {
  std::string username;
  std::string domain;  // lower case; may carry a port
  std::string text() const { return username + "@" + domain; }
};
// user@domain, @user@domain or acct:user@domain; nullopt otherwise.
std::optional<Acct> parse_acct(std::string_view text);

struct WebFinger {
  std::string subject;
  std::vector<std::string> aliases;
  std::string self;          // the ActivityPub actor (rel self, an ActivityStreams type)
  std::string profile_page;  // may be empty
};

// Parses a JRD answer to a query for `asked` and checks it is an answer about that account:
// the subject must be acct:<asked> (case-insensitive), and a self link with type
// application/activity+json (or ld+json with the ActivityStreams profile) must be an https or
// http URL. Answers about another account, or without an actor, are refused.
Parsed<WebFinger> parse_webfinger(std::string_view body, const Acct& asked);

// https://DOMAIN/.well-known/webfinger?resource=acct%3Auser%40domain (scheme "http" for tests).
std::string webfinger_url(const Acct& acct, std::string_view scheme = "https");

// Percent-encodes everything but unreserved characters (RFC 3986).
std::string url_encode(std::string_view text);

}  // namespace instctl::activitypub
