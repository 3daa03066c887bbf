#include "instctl/subscriptions/subscription_service.hpp"

#include <gtest/gtest.h>

#include <map>

#include "test_support.hpp"

namespace instctl::subscriptions {

namespace {

using federation::Severity;

// Serves each URL's current body; any other URL answers 404.
class FakeLists : public net::HttpClient {
 public:
  std::map<std::string, std::string> bodies;
  net::HttpResponse send(const net::HttpRequest& req) override {
    net::HttpResponse res;
    const auto it = bodies.find(req.url);
    res.status = it == bodies.end() ? 404 : 200;
    if (it != bodies.end()) res.body = it->second;
    return res;
  }
};

struct Lists {
  test::TestInstance t;
  std::shared_ptr<FakeLists> http = std::make_shared<FakeLists>();

  SubscriptionService svc() { return SubscriptionService(t.env, http); }
  void add(const std::string& name, Trust trust) {
    AddRequest req;
    req.url = "https://" + name + ".example/blocks.txt";
    req.name = name;
    req.trust = trust;
    svc().add(req);
  }
  void serve(const std::string& name, const std::string& body) {
    http->bodies["https://" + name + ".example/blocks.txt"] = body;
  }
  std::optional<federation::DomainRule> block(const std::string& domain) {
    for (const auto& b : federation::DomainService(t.env).blocks()) {
      if (b.domain == domain) return b;
    }
    return std::nullopt;
  }
};

}  // namespace

TEST(SubscriptionService, ThresholdTwoAcrossTwoLists) {
  Lists l;
  l.add("a", Trust::automatic);
  l.add("b", Trust::automatic);
  l.svc().set_policy(2, std::nullopt);
  l.serve("a", "bad.example\n");
  l.serve("b", "other.example\n");
  l.svc().refresh({});
  EXPECT_FALSE(l.block("bad.example")) << "one list is not enough at threshold 2";
  l.serve("b", "other.example\nbad.example\n");
  const auto report = l.svc().refresh({});
  ASSERT_EQ(report.changes.size(), 1U);
  EXPECT_TRUE(report.changes[0].applied);
  EXPECT_TRUE(l.block("bad.example"));
  EXPECT_EQ(l.svc().holders().at("bad.example"), "a, b");
}

TEST(SubscriptionService, HandBlockSurvivesAndRemoveRetractsOnlyItsOwn) {
  Lists l;
  federation::BlockRequest hand;
  hand.domain = "hand.example";
  hand.severity = Severity::silence;
  federation::DomainService(l.t.env).block(hand);
  l.add("a", Trust::automatic);
  l.add("b", Trust::automatic);
  l.serve("a", "hand.example\nonly-a.example\nboth.example\n");
  l.serve("b", "both.example\n");
  l.svc().refresh({});
  EXPECT_EQ(l.block("hand.example")->severity, Severity::silence) << "hand block unchanged";
  EXPECT_TRUE(l.block("only-a.example"));
  l.svc().remove("a");
  EXPECT_FALSE(l.block("only-a.example")) << "a alone held it";
  EXPECT_TRUE(l.block("both.example")) << "b still names it";
  EXPECT_EQ(l.svc().holders().at("both.example"), "b") << "a's hold is gone with it";
  EXPECT_TRUE(l.block("hand.example")) << "a hand block is never retracted";
}

TEST(SubscriptionService, ALongListIsStoredWhole) {
  // Entries go in several rows a statement: more than one statement's worth, and a remainder,
  // with a domain named twice.
  Lists l;
  l.add("a", Trust::automatic);
  std::string body = "d1.example\n";
  for (int i = 1; i <= 300; ++i) body += "d" + std::to_string(i) + ".example\n";
  l.serve("a", body);
  const auto report = l.svc().refresh({});
  EXPECT_EQ(l.svc().show("a").entries, 300);
  EXPECT_EQ(report.changes.size(), 300U);
  EXPECT_TRUE(l.block("d300.example"));
  EXPECT_EQ(l.svc().holders().at("d129.example"), "a");
}

TEST(SubscriptionService, DraftsWaitAndRejectionsAreRemembered) {
  Lists l;
  l.add("a", Trust::draft);
  l.serve("a", "bad.example\n");
  auto report = l.svc().refresh({});
  ASSERT_EQ(report.changes.size(), 1U);
  EXPECT_FALSE(report.changes[0].applied);
  EXPECT_FALSE(l.block("bad.example"));
  const auto drafts = l.svc().drafts(false);
  ASSERT_EQ(drafts.size(), 1U);
  l.svc().reject({drafts[0].id});
  EXPECT_TRUE(l.svc().refresh({}).changes.empty()) << "not proposed again: the list is the same";
  l.serve("a", "bad.example\nworse.example\n");
  report = l.svc().refresh({});
  ASSERT_EQ(report.changes.size(), 1U) << "only the new domain";
  EXPECT_EQ(report.changes[0].domain, "worse.example");
  l.svc().accept({});
  EXPECT_TRUE(l.block("worse.example"));
  EXPECT_FALSE(l.block("bad.example"));
}

TEST(SubscriptionService, FailedFetchKeepsTheLastGoodState) {
  Lists l;
  l.add("a", Trust::automatic);
  l.serve("a", "bad.example\n");
  l.svc().refresh({});
  l.http->bodies.clear();
  const auto report = l.svc().refresh({});
  ASSERT_EQ(report.lists.size(), 1U);
  EXPECT_EQ(report.lists[0].result, "failed");
  ASSERT_TRUE(report.failure());
  EXPECT_EQ(report.failure()->kind(), ErrorKind::remote);
  EXPECT_TRUE(l.block("bad.example"));
}

}  // namespace instctl::subscriptions
