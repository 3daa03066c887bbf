#include <gtest/gtest.h>

#include "instctl/activitypub/actor.hpp"
#include "instctl/activitypub/collections.hpp"
#include "instctl/activitypub/instance_api.hpp"
#include "instctl/activitypub/nodeinfo.hpp"
#include "instctl/activitypub/webfinger.hpp"

namespace instctl::activitypub {

namespace {

instance::InstanceInfo site() {
  instance::InstanceInfo s;
  s.domain = "social.example.com:8443";
  s.account_domain = "example.com";
  s.public_url = "https://social.example.com:8443";
  s.title = "Example";
  s.created_at = 1795846898;
  return s;
}

using Kind = WebfingerTarget::Kind;

}  // namespace

TEST(Webfinger, ResourcesOfThisInstance) {
  const auto s = site();
  auto t = parse_webfinger_resource("acct:Alice@example.com", s);
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, Kind::user);
  EXPECT_EQ(t->username, "Alice");
  EXPECT_TRUE(parse_webfinger_resource("acct:alice@SOCIAL.example.com:8443", s));
  EXPECT_TRUE(parse_webfinger_resource("@alice@example.com", s));
  EXPECT_TRUE(parse_webfinger_resource("alice@example.com", s));
  EXPECT_EQ(parse_webfinger_resource("https://social.example.com:8443/users/bob", s)->username,
            "bob");
  EXPECT_EQ(parse_webfinger_resource("https://social.example.com:8443/@bob", s)->username, "bob");
  EXPECT_EQ(parse_webfinger_resource("https://social.example.com:8443/actor", s)->kind,
            Kind::instance_actor);
  EXPECT_EQ(parse_webfinger_resource("acct:social.example.com:8443@example.com", s)->kind,
            Kind::instance_actor);
  EXPECT_EQ(parse_webfinger_resource("acct:example.com@example.com", s)->kind,
            Kind::instance_actor);
}

TEST(Webfinger, SplitDomainsKeepHandlesShortAndActorsOnTheWebDomain) {
  const auto s = site();
  for (const char* resource : {"acct:alice@example.com", "acct:alice@social.example.com:8443",
                               "https://social.example.com:8443/users/alice"}) {
    const auto t = parse_webfinger_resource(resource, s);
    ASSERT_TRUE(t) << resource;
    const auto jrd = webfinger_jrd(s, t->username);
    EXPECT_EQ(jrd["subject"], "acct:alice@example.com") << resource;
    EXPECT_EQ(jrd["links"][1]["href"], "https://social.example.com:8443/users/alice") << resource;
  }
  EXPECT_EQ(instance_actor_jrd(s)["subject"], "acct:example.com@example.com");
  EXPECT_FALSE(parse_webfinger_resource("https://example.com/users/alice", s))
      << "actors live on the web domain only";
  InstanceSummary summary;
  summary.site = s;
  EXPECT_EQ(instance_v1(summary)["uri"], "example.com") << "Mastodon's LOCAL_DOMAIN";
  EXPECT_EQ(instance_v2(summary)["domain"], "example.com");
  EXPECT_EQ(nodeinfo_discovery(s.public_url)["links"][0]["href"],
            "https://social.example.com:8443/nodeinfo/2.0");
}

TEST(Webfinger, ForeignAndMalformedResources) {
  const auto s = site();
  EXPECT_FALSE(parse_webfinger_resource("acct:alice@social.example.com", s));  // port missing
  EXPECT_FALSE(parse_webfinger_resource("acct:alice@evil.example", s));
  EXPECT_FALSE(parse_webfinger_resource("acct:@example.com", s));
  EXPECT_FALSE(parse_webfinger_resource("acct:alice", s));
  EXPECT_FALSE(parse_webfinger_resource("acct:a/b@example.com", s));
  EXPECT_FALSE(parse_webfinger_resource("https://evil.example/users/alice", s));
  EXPECT_FALSE(parse_webfinger_resource("https://social.example.com:8443/users/a/b", s));
  EXPECT_FALSE(parse_webfinger_resource("https://social.example.com:8443.evil/users/a", s));
  EXPECT_FALSE(parse_webfinger_resource("", s));
}

TEST(Webfinger, JrdAndHostMeta) {
  const auto jrd = webfinger_jrd(site(), "alice");
  EXPECT_EQ(jrd["subject"], "acct:alice@example.com");
  EXPECT_EQ(jrd["aliases"][1], "https://social.example.com:8443/users/alice");
  EXPECT_EQ(jrd["links"][1]["rel"], "self");
  EXPECT_EQ(jrd["links"][1]["type"], "application/activity+json");
  EXPECT_NE(
      host_meta_xrd(site()).find(
          "template=\"https://social.example.com:8443/.well-known/webfinger?resource={uri}\""),
      std::string::npos);
}

TEST(Actor, MastodonShape) {
  LocalProfile u;
  u.username = "alice";
  u.display_name = "Alice";
  u.note = "a < b";
  u.manually_approves_followers = true;
  u.created_at = 1795846898;  // 2026-11-28T06:21:38Z
  const auto a = local_actor(site(), u, "PEM");
  EXPECT_EQ(a["type"], "Person");
  EXPECT_EQ(a["id"], "https://social.example.com:8443/users/alice");
  EXPECT_EQ(a["summary"], "<p>a &lt; b</p>");
  EXPECT_EQ(a["published"], "2026-11-28T00:00:00Z");
  EXPECT_EQ(a["manuallyApprovesFollowers"], true);
  EXPECT_EQ(a["publicKey"]["id"], "https://social.example.com:8443/users/alice#main-key");
  EXPECT_EQ(a["publicKey"]["owner"], a["id"]);
  EXPECT_EQ(a["publicKey"]["publicKeyPem"], "PEM");
  EXPECT_EQ(a["endpoints"]["sharedInbox"], "https://social.example.com:8443/inbox");
  for (const char* f :
       {"inbox", "outbox", "followers", "following", "url", "name", "preferredUsername"}) {
    EXPECT_TRUE(a.contains(f)) << f;
  }
  const auto app = instance_actor(site(), "PEM2");
  EXPECT_EQ(app["type"], "Application");
  EXPECT_EQ(app["publicKey"]["id"], "https://social.example.com:8443/actor#main-key");
  EXPECT_EQ(app["preferredUsername"], "example.com")
      << "named by the account domain, as Mastodon's";
  EXPECT_EQ(tombstone("https://x/users/a", 0)["type"], "Tombstone");
}

TEST(Collections, Paging) {
  const auto c = ordered_collection("https://x/users/a/followers", 85);
  EXPECT_EQ(c["first"], "https://x/users/a/followers?page=1");
  const auto p1 = ordered_collection_page("https://x/f", 1, 85, {"u1"});
  EXPECT_EQ(p1["next"], "https://x/f?page=2");
  EXPECT_FALSE(p1.contains("prev"));
  const auto p3 = ordered_collection_page("https://x/f", 3, 85, {});
  EXPECT_FALSE(p3.contains("next"));
  EXPECT_EQ(p3["prev"], "https://x/f?page=2");
  EXPECT_EQ(p3["partOf"], "https://x/f");
  EXPECT_FALSE(ordered_collection_page("https://x/f", 2, 80, {}).contains("next"));
}

TEST(NodeInfo, Versions) {
  NodeInfoData d;
  d.users_total = 7;
  d.open_registrations = true;
  const auto n = nodeinfo("2.1", d);
  EXPECT_EQ(n["version"], "2.1");
  EXPECT_EQ(n["usage"]["users"]["total"], 7);
  EXPECT_EQ(n["openRegistrations"], true);
  EXPECT_EQ(n["protocols"][0], "activitypub");
  EXPECT_EQ(nodeinfo_discovery("https://x")["links"][0]["href"], "https://x/nodeinfo/2.0");
}

TEST(InstanceApi, RegistrationModesAndObfuscation) {
  InstanceSummary s;
  s.site = site();
  s.registrations_mode = "approval";
  EXPECT_EQ(instance_v1(s)["approval_required"], true);
  EXPECT_EQ(instance_v2(s)["registrations"]["enabled"], true);
  // No streaming API is served, so none is advertised; `urls` stays an object for clients.
  EXPECT_TRUE(instance_v1(s)["urls"].is_object());
  EXPECT_FALSE(instance_v1(s)["urls"].contains("streaming_api"));
  EXPECT_TRUE(instance_v2(s)["configuration"]["urls"].is_object());
  EXPECT_FALSE(instance_v2(s)["configuration"]["urls"].contains("streaming"));
  EXPECT_EQ(api_version().rfind("4.0.0 (compatible; instctl ", 0), 0u) << api_version();
  s.registrations_mode = "invite";
  EXPECT_EQ(instance_v1(s)["registrations"], false);
  EXPECT_EQ(instance_v1(s)["invites_enabled"], true);
  // Mastodon's DomainBlock#public_domain.
  EXPECT_EQ(obfuscate_domain("bad.example.com"), "bad.*******.com");
  EXPECT_EQ(obfuscate_domain("ab.cd"), "ab.*d");
  const auto b = domain_block_entity("evil.example", "suspend", "spam", true);
  EXPECT_EQ(b["domain"], "evil.****ple");
  EXPECT_EQ(b["digest"].get<std::string>().size(), 64u);
}

}  // namespace instctl::activitypub
