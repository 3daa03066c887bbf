// The public API's peers and domain blocks: api.show_domain_blocks, obfuscation, and blocked
// domains left out of the peers.

#include "instctl/federation/public_lists.hpp"

#include <gtest/gtest.h>

#include "instctl/federation/domain_service.hpp"
#include "instctl/instance/settings.hpp"
#include "test_support.hpp"

namespace instctl::federation {
namespace {

class PublicListsTest : public ::testing::Test {
 protected:
  PublicListsTest() {
    for (const char* d : {"friends.example", "sub.spam.example", "quiet.example", "fine.example"}) {
      inst.conn
          ->prepare(
              "INSERT INTO accounts (username, username_key, domain, created_at, updated_at) "
              "VALUES ('u', 'u', ?, 0, 0)")
          ->bind_all(d)
          .run();
    }
    block("spam.example", Severity::suspend, "spam", false);
    block("quiet.example", Severity::silence, "", true);
    block("fine.example", Severity::noop, "", false);
  }
  void block(const std::string& d, Severity s, const std::string& comment, bool obfuscate) {
    BlockRequest b;
    b.domain = d;
    b.severity = s;
    b.public_comment = comment;
    b.obfuscate = obfuscate;
    svc.block(b);
  }
  void show(const char* v) {
    instance::Settings(*inst.conn).set(inst.env, "api.show_domain_blocks", v);
  }

  test::TestInstance inst;
  DomainService svc{inst.env};
};

TEST_F(PublicListsTest, PeersLeaveOutBlockedDomainsAndTheirSubdomains) {
  EXPECT_EQ(public_peers(*inst.conn), std::vector<std::string>{"friends.example"});
  svc.set_mode("allowlist");
  EXPECT_TRUE(public_peers(*inst.conn).empty()) << "nothing allowed yet";
  svc.allow("friends.example");
  EXPECT_EQ(public_peers(*inst.conn), std::vector<std::string>{"friends.example"});
}

TEST_F(PublicListsTest, DomainBlocksFollowTheSetting) {
  show("none");
  EXPECT_FALSE(public_domain_blocks(*inst.conn));
  show("users");
  EXPECT_FALSE(public_domain_blocks(*inst.conn)) << "no signed-in API users: hidden";
  show("all");
  const auto blocks = public_domain_blocks(*inst.conn);
  ASSERT_TRUE(blocks);
  ASSERT_EQ(blocks->size(), 2u) << "noop blocks limit nothing and are not listed";
  EXPECT_EQ((*blocks)[0]["domain"], "quie*.****ple");
  EXPECT_EQ((*blocks)[0]["severity"], "silence");
  EXPECT_EQ((*blocks)[0]["digest"].get<std::string>().size(), 64u);
  EXPECT_EQ((*blocks)[1]["domain"], "spam.example");
  EXPECT_EQ((*blocks)[1]["comment"], "spam");
  EXPECT_EQ((*blocks)[1]["severity"], "suspend");
}

}  // namespace
}  // namespace instctl::federation
