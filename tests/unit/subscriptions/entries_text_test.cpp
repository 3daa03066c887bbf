#include "instctl/subscriptions/entries_text.hpp"

#include <gtest/gtest.h>

#include "instctl/core/error.hpp"

namespace instctl::subscriptions {

namespace {
using federation::DomainRule;
using federation::Severity;

DomainRule rule(std::string domain, Severity s, std::optional<std::string> comment) {
  DomainRule r;
  r.domain = std::move(domain);
  r.severity = s;
  r.public_comment = std::move(comment);
  return r;
}
}  // namespace

TEST(SubscriptionEntriesText, KeepsEveryFieldSortedAndEachDomainOnce) {
  auto odd = rule("b.example", Severity::silence, "tab\there\nline\r\\t back\\slash\\");
  odd.reject_media = true;
  odd.obfuscate = true;
  auto none = rule("a.example", Severity::noop, std::nullopt);
  none.reject_reports = true;
  const std::vector<DomainRule> rules{odd, none, rule("c.example", Severity::suspend, ""),
                                      rule("a.example", Severity::suspend, "second")};
  const auto stored = entries_text(rules);
  EXPECT_EQ(stored.count, 3);
  std::vector<Entry> back;
  read_entries_text(stored.text, 7, back);
  ASSERT_EQ(back.size(), 3U);
  EXPECT_EQ(back[0].subscription_id, 7);
  EXPECT_EQ(back[0].rule.domain, "a.example");
  EXPECT_EQ(back[0].rule.severity, Severity::noop) << "the first of a domain named twice";
  EXPECT_FALSE(back[0].rule.public_comment) << "no comment stays none";
  EXPECT_TRUE(back[0].rule.reject_reports);
  EXPECT_FALSE(back[0].rule.reject_media);
  EXPECT_EQ(back[1].rule.domain, "b.example");
  EXPECT_EQ(back[1].rule.severity, Severity::silence);
  EXPECT_EQ(back[1].rule.public_comment, odd.public_comment);
  EXPECT_TRUE(back[1].rule.reject_media);
  EXPECT_TRUE(back[1].rule.obfuscate);
  EXPECT_FALSE(back[1].rule.reject_reports);
  EXPECT_EQ(back[2].rule.public_comment, "") << "an empty comment stays empty";
  EXPECT_TRUE(entries_text({}).text.empty());
}

TEST(SubscriptionEntriesText, RefusesALineNotInTheForm) {
  std::vector<Entry> back;
  EXPECT_THROW(read_entries_text("a.example\tsuspend\t0000", 1, back), Error);
  try {
    read_entries_text("a.example\tsuspend\t0000", 7, back);
  } catch (const Error& e) {
    // The fix it names is one the admin can run.
    EXPECT_NE(std::string(e.what()).find("subscription 7's stored entries"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("instctl db restore"), std::string::npos);
  }
  EXPECT_THROW(read_entries_text("a.example\tsuspend\t00x0\t", 1, back), Error);
  EXPECT_THROW(read_entries_text("a.example\tsevere\t0000\t", 1, back), Error);
}

}  // namespace instctl::subscriptions
