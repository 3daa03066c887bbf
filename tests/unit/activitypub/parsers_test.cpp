// WebFinger, actor and NodeInfo parsing against real Mastodon answers, including the hostile
// WebFinger answers Mastodon's own tests use.

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "instctl/activitypub/actor_parse.hpp"
#include "instctl/activitypub/nodeinfo_parse.hpp"
#include "instctl/activitypub/webfinger_parse.hpp"

namespace instctl::activitypub {
namespace {

// The body of a captured HTTP answer (after the blank line).
std::string http_body(const std::string& name) {
  std::ifstream in(std::string(INSTCTL_FIXTURES_DIR) + "/mastodon/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  const std::string all = s.str();
  auto at = all.find("\r\n\r\n");
  if (at != std::string::npos) return all.substr(at + 4);
  at = all.find("\n\n");
  return at == std::string::npos ? "" : all.substr(at + 2);
}

TEST(Acct, ParsesHandles) {
  for (const char* t : {"foo@ap.example.com", "@foo@ap.example.com", "acct:foo@AP.example.com"}) {
    const auto a = parse_acct(t);
    ASSERT_TRUE(a) << t;
    EXPECT_EQ(a->username, "foo");
    EXPECT_EQ(a->domain, "ap.example.com");
  }
  EXPECT_TRUE(parse_acct("bob@localhost:8080"));
  for (const char* t :
       {"foo", "@foo", "foo@", "@ap.example.com", "fo o@x.example", "a@b/c", "a@.x"}) {
    EXPECT_FALSE(parse_acct(t)) << t;
  }
  EXPECT_EQ(webfinger_url(*parse_acct("foo@ap.example.com")),
            "https://ap.example.com/.well-known/webfinger?resource=acct%3Afoo%40ap.example.com");
}

TEST(WebFingerParse, MastodonAnswer) {
  const auto wf =
      parse_webfinger(http_body("activitypub-webfinger.http"), *parse_acct("foo@ap.example.com"));
  ASSERT_TRUE(wf) << wf.error;
  EXPECT_EQ(wf->self, "https://ap.example.com/users/foo");
  EXPECT_EQ(wf->profile_page, "https://ap.example.com/@foo");
  EXPECT_EQ(wf->aliases.size(), 2u);
}

TEST(WebFingerParse, GoToSocialShape) {
  // GoToSocial answers with ld+json and the ActivityStreams profile, and no aliases.
  const std::string body = R"({"subject":"acct:alice@gts.example","links":[
    {"rel":"http://webfinger.net/rel/profile-page","type":"text/html","href":"https://gts.example/@alice"},
    {"rel":"self","type":"application/ld+json; profile=\"https://www.w3.org/ns/activitystreams\"",
     "href":"https://gts.example/users/alice"}]})";
  const auto wf = parse_webfinger(body, *parse_acct("alice@gts.example"));
  ASSERT_TRUE(wf) << wf.error;
  EXPECT_EQ(wf->self, "https://gts.example/users/alice");
}

TEST(WebFingerParse, HostileAnswersAreRefused) {
  const auto asked = *parse_acct("gargron@quitter.no");
  const auto h1 = parse_webfinger(http_body("webfinger-hacker1.http"), asked);
  EXPECT_FALSE(h1);
  EXPECT_NE(h1.error.find("no ActivityPub actor"), std::string::npos);
  const auto h2 = parse_webfinger(http_body("webfinger-hacker2.http"), asked);
  EXPECT_FALSE(h2);
  EXPECT_NE(h2.error.find("catsrgr8@quitter.no"), std::string::npos);
  const auto h3 = parse_webfinger(http_body("webfinger-hacker3.http"), asked);
  EXPECT_FALSE(h3);
  EXPECT_NE(h3.error.find("localhost@kickass.zone"), std::string::npos);
  // Asking for the hijacked name itself does not make hacker3's links acceptable either.
  EXPECT_FALSE(
      parse_webfinger(http_body("webfinger-hacker3.http"), *parse_acct("localhost@kickass.zone")));
}

TEST(WebFingerParse, Garbage) {
  const auto asked = *parse_acct("a@b.example");
  EXPECT_FALSE(parse_webfinger("<html>", asked));
  EXPECT_FALSE(parse_webfinger("[]", asked));
  EXPECT_FALSE(parse_webfinger(R"({"subject": 5})", asked));
  EXPECT_FALSE(parse_webfinger(
      R"({"subject":"acct:a@b.example","links":[{"rel":"self","type":"application/activity+json","href":"javascript:x"}]})",
      asked));
}

TEST(ActorParse, MastodonActor) {
  const auto a = parse_actor(http_body("activitypub-actor.http"));
  ASSERT_TRUE(a) << a.error;
  EXPECT_EQ(a->id, "https://ap.example.com/users/foo");
  EXPECT_EQ(a->type, "Person");
  EXPECT_EQ(a->preferred_username, "foo");
  EXPECT_EQ(a->inbox, "https://ap.example.com/users/foo/inbox");
  EXPECT_EQ(a->shared_inbox, "https://ap.example.com/inbox");
  EXPECT_EQ(a->key_id, "https://ap.example.com/users/foo#main-key");
  EXPECT_EQ(a->public_key_pem.rfind("-----BEGIN PUBLIC KEY-----", 0), 0u);
  EXPECT_EQ(a->url, "https://ap.example.com/@foo");
}

TEST(ActorParse, ExtraJsonLdShapes) {
  // Fedify-style: @context array with objects, url as a Link, publicKey as an array, type as
  // an array, extra fields such as assertionMethod.
  const std::string body = R"({"@context":["https://www.w3.org/ns/activitystreams",
    "https://w3id.org/security/v1",{"toot":"http://joinmastodon.org/ns#"}],
    "id":"https://f.example/users/bob","type":["Service"],"preferredUsername":"bob","name":null,
    "inbox":"https://f.example/users/bob/inbox","sharedInbox":"https://f.example/inbox",
    "url":{"type":"Link","href":"https://f.example/@bob","mediaType":"text/html"},
    "publicKey":[{"id":"https://f.example/users/bob#main-key","owner":"https://f.example/users/bob",
      "publicKeyPem":"-----BEGIN PUBLIC KEY-----\nX\n-----END PUBLIC KEY-----\n"}],
    "assertionMethod":[{"id":"https://f.example/users/bob#ed25519-key","type":"Multikey"}]})";
  const auto a = parse_actor(body);
  ASSERT_TRUE(a) << a.error;
  EXPECT_EQ(a->type, "Service");
  EXPECT_EQ(a->url, "https://f.example/@bob");
  EXPECT_EQ(a->shared_inbox, "https://f.example/inbox");
  EXPECT_EQ(a->key_id, "https://f.example/users/bob#main-key");
  EXPECT_EQ(a->name, "");
}

TEST(ActorParse, RefusesNonActorsAndForeignKeys) {
  EXPECT_FALSE(parse_actor("not json"));
  EXPECT_FALSE(parse_actor(R"({"id":"https://x.example/n/1","type":"Note"})"));
  EXPECT_FALSE(
      parse_actor(R"({"id":"https://x.example/u/a","type":"Person","preferredUsername":"a"})"));
  const auto foreign = parse_actor(R"({"id":"https://x.example/u/a","type":"Person",
    "preferredUsername":"a","inbox":"https://x.example/u/a/inbox",
    "publicKey":{"id":"https://evil.example/k","owner":"https://evil.example/u/e","publicKeyPem":"P"}})");
  EXPECT_FALSE(foreign);
  EXPECT_NE(foreign.error.find("public key"), std::string::npos);
}

TEST(PublicKeyParse, FromActorOrKeyDocument) {
  const auto body = http_body("activitypub-actor.http");
  const auto k = parse_public_key(body, "https://ap.example.com/users/foo#main-key");
  ASSERT_TRUE(k) << k.error;
  EXPECT_EQ(k->owner, "https://ap.example.com/users/foo");
  EXPECT_FALSE(parse_public_key(body, "https://ap.example.com/users/foo#other-key"));
  const auto standalone = parse_public_key(
      R"({"id":"https://g.example/k/1","owner":"https://g.example/u/a","publicKeyPem":"PEM"})",
      "https://g.example/k/1");
  ASSERT_TRUE(standalone);
  EXPECT_EQ(standalone->owner, "https://g.example/u/a");
}

TEST(NodeInfoParse, LinksAndDocument) {
  const auto href = parse_nodeinfo_links(R"({"links":[
    {"rel":"http://nodeinfo.diaspora.software/ns/schema/2.0","href":"https://m.example/nodeinfo/2.0"},
    {"rel":"http://nodeinfo.diaspora.software/ns/schema/2.1","href":"https://m.example/nodeinfo/2.1"}]})");
  ASSERT_TRUE(href);
  EXPECT_EQ(*href, "https://m.example/nodeinfo/2.1");
  EXPECT_FALSE(parse_nodeinfo_links("{}"));
  const auto ni =
      parse_nodeinfo(R"({"version":"2.0","software":{"name":"mastodon","version":"4.3.0"},
    "protocols":["activitypub"],"openRegistrations":true,"usage":{"users":{"total":12}}})");
  ASSERT_TRUE(ni);
  EXPECT_EQ(ni->software_name, "mastodon");
  EXPECT_EQ(*ni->users_total, 12);
  EXPECT_FALSE(parse_nodeinfo(R"({"version":"2.0"})"));
}

}  // namespace
}  // namespace instctl::activitypub
