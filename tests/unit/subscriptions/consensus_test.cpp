#include "instctl/subscriptions/consensus.hpp"

#include <gtest/gtest.h>

namespace instctl::subscriptions {

namespace {
using federation::DomainRule;
using federation::Severity;

DomainRule rule(Severity s, bool media = false) {
  DomainRule r;
  r.domain = "bad.example";
  r.severity = s;
  r.reject_media = media;
  return r;
}
}  // namespace

TEST(SubscriptionConsensus, NeedsThresholdLists) {
  const Policy two{2, false};
  EXPECT_FALSE(agreed_rule({rule(Severity::suspend)}, two));
  EXPECT_TRUE(agreed_rule({rule(Severity::suspend), rule(Severity::silence)}, two));
  EXPECT_FALSE(agreed_rule({}, Policy{1, false})) << "no list names it";
}

TEST(SubscriptionConsensus, WeakestOrStrongestSeverity) {
  const std::vector<DomainRule> named{rule(Severity::suspend, true), rule(Severity::silence)};
  const auto weakest = agreed_rule(named, Policy{2, false});
  EXPECT_EQ(weakest->severity, Severity::silence);
  EXPECT_FALSE(weakest->reject_media) << "weakest: a flag only when every list sets it";
  const auto strongest = agreed_rule(named, Policy{2, true});
  EXPECT_EQ(strongest->severity, Severity::suspend);
  EXPECT_TRUE(strongest->reject_media);
}

TEST(SubscriptionConsensus, CapLowersSeverity) {
  EXPECT_EQ(capped(rule(Severity::suspend), Severity::silence).severity, Severity::silence);
  EXPECT_EQ(capped(rule(Severity::noop), Severity::silence).severity, Severity::noop);
}

TEST(SubscriptionConsensus, HandBlocksAreNeverTouched) {
  const auto hand = rule(Severity::suspend);
  EXPECT_FALSE(decide(hand, false, rule(Severity::silence))) << "the lists disagree: still left";
  EXPECT_FALSE(decide(hand, false, std::nullopt)) << "the lists dropped it: not retracted";
}

TEST(SubscriptionConsensus, OwnedBlocksFollowTheLists) {
  const auto owned = rule(Severity::suspend);
  EXPECT_EQ(decide(std::nullopt, false, owned), DraftKind::block);
  EXPECT_EQ(decide(owned, true, rule(Severity::silence)), DraftKind::change);
  EXPECT_EQ(decide(owned, true, std::nullopt), DraftKind::retract);
  EXPECT_FALSE(decide(owned, true, owned));
  EXPECT_FALSE(decide(std::nullopt, false, std::nullopt));
}

TEST(SubscriptionConsensus, FingerprintFollowsTheLists) {
  const auto r = rule(Severity::suspend);
  EXPECT_EQ(fingerprint(DraftKind::block, r, {1, 2}), fingerprint(DraftKind::block, r, {1, 2}));
  EXPECT_NE(fingerprint(DraftKind::block, r, {1, 2}), fingerprint(DraftKind::block, r, {1, 3}));
  EXPECT_NE(fingerprint(DraftKind::block, r, {1}),
            fingerprint(DraftKind::block, rule(Severity::silence), {1}));
}

}  // namespace instctl::subscriptions
