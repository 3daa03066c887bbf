#include "instctl/email_blocks/email_block_service.hpp"

#include <gtest/gtest.h>

#include "backends.hpp"
#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/users/validation.hpp"

namespace instctl::email_blocks {

class EmailBlockServiceTest : public ::testing::TestWithParam<test::Backend> {
 protected:
  std::vector<std::string> listed() {
    std::vector<std::string> out;
    for (const auto& b : svc.list()) out.push_back(b.domain);
    return out;
  }
  std::int64_t audited(const std::string& action) {
    audit::Filter f;
    f.action = action;
    return static_cast<std::int64_t>(audit::list(t.env.db, f).size());
  }
  test::BackendInstance t{GetParam()};
  EmailBlockService svc{t.env};
};

TEST_P(EmailBlockServiceTest, DomainsAreNormalizedOrRefused) {
  EXPECT_EQ(normalize_block_domain("  Spam.Example "), "spam.example");
  EXPECT_EQ(normalize_block_domain("@mail.spam.example"), "mail.spam.example");
  for (const char* bad : {"", "@", "spam..example", "-spam.example", "spam-.example",
                          "spam_x.example", "spam example", "spam.example."}) {
    EXPECT_EQ(test::kind_of([&] { normalize_block_domain(bad); }), ErrorKind::usage) << bad;
  }
  EXPECT_EQ(test::kind_of([&] { normalize_block_domain(std::string(64, 'a') + ".example"); }),
            ErrorKind::usage);
  EXPECT_EQ(normalize_block_domain(std::string(63, 'a') + ".example"),
            std::string(63, 'a') + ".example");
}

TEST_P(EmailBlockServiceTest, AddRecordsEachBlockWithItsTimeAndAnAuditEntry) {
  const auto added = svc.add({"Spam.Example", "junk.example"});
  ASSERT_EQ(added.size(), 2u);
  EXPECT_EQ(added[0].domain, "spam.example");
  EXPECT_EQ(added[0].created_at, test::k_test_now);
  EXPECT_EQ(listed(), (std::vector<std::string>{"junk.example", "spam.example"}));
  EXPECT_EQ(audited("email_blocks.add"), 2);
  EXPECT_EQ(to_json(added[0])["domain"], "spam.example");
}

TEST_P(EmailBlockServiceTest, AddIsAllOrNothing) {
  svc.add({"spam.example"});
  // One domain already blocked: the other one is not added either.
  EXPECT_EQ(test::kind_of([&] { svc.add({"new.example", "spam.example"}); }), ErrorKind::conflict);
  // One invalid domain: nothing is written, not even the valid one before it.
  EXPECT_EQ(test::kind_of([&] { svc.add({"other.example", "not a domain"}); }), ErrorKind::usage);
  EXPECT_EQ(listed(), std::vector<std::string>{"spam.example"});
  EXPECT_EQ(audited("email_blocks.add"), 1);
}

TEST_P(EmailBlockServiceTest, RemoveIsAllOrNothing) {
  svc.add({"spam.example", "junk.example"});
  EXPECT_EQ(test::kind_of([&] {
              svc.remove({"spam.example", "never.example"});
            }),
            ErrorKind::not_found);
  EXPECT_EQ(listed().size(), 2u);
  const auto removed = svc.remove({"SPAM.example"});
  ASSERT_EQ(removed.size(), 1u);
  EXPECT_EQ(removed[0].domain, "spam.example");
  EXPECT_EQ(listed(), std::vector<std::string>{"junk.example"});
  EXPECT_EQ(audited("email_blocks.remove"), 1);
}

TEST_P(EmailBlockServiceTest, ABlockCoversItsSubdomainsOnly) {
  svc.add({"spam.example"});
  EXPECT_EQ(svc.blocking(users::email_domain("a@spam.example")), "spam.example");
  EXPECT_EQ(svc.blocking(users::email_domain("a@mail.eu.SPAM.example")), "spam.example");
  EXPECT_EQ(svc.blocking(users::email_domain("a@notspam.example")), std::nullopt);
  EXPECT_EQ(svc.blocking(users::email_domain("a@spam.example.org")), std::nullopt);
  EXPECT_EQ(svc.blocking(users::email_domain("a@example")), std::nullopt);
  // The most specific block is the one named.
  svc.add({"eu.spam.example"});
  EXPECT_EQ(svc.blocking(users::email_domain("a@mail.eu.spam.example")), "eu.spam.example");
}

TEST_P(EmailBlockServiceTest, RequireAllowedRefusesABlockedAddressNamingTheBlock) {
  svc.add({"spam.example"});
  EXPECT_NO_THROW(svc.require_allowed("a@good.example"));
  EXPECT_EQ(test::kind_of([&] { svc.require_allowed("a@mail.spam.example"); }), ErrorKind::policy);
  EXPECT_NE(
      test::message_of([&] { svc.require_allowed("a@mail.spam.example"); }).find("spam.example"),
      std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, EmailBlockServiceTest, ::testing::ValuesIn(test::backends()),
                         test::backend_name);

}  // namespace instctl::email_blocks
