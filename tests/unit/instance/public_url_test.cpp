#include <gtest/gtest.h>

#include "instctl/instance/instance.hpp"
#include "test_support.hpp"

namespace instctl::instance {

// serve --public-url changes the URL every load() in the process sees, and nothing stored.
TEST(PublicUrl, OverrideAppliesToEveryLoadAndLeavesTheSettingAlone) {
  test::TestInstance inst;
  EXPECT_EQ(load(inst.env.db).public_url, "https://localhost:8080");
  override_public_url("https://social.example");
  EXPECT_EQ(load(inst.env.db).public_url, "https://social.example");
  auto other = db::open_sqlite(inst.path(), db::OpenMode::existing);
  EXPECT_EQ(load(*other).public_url, "https://social.example");
  auto st = inst.env.db.prepare("SELECT value FROM settings WHERE key = 'server.public_url'");
  ASSERT_TRUE(st->step());
  EXPECT_EQ(st->get_text(0), "https://localhost:8080");
  override_public_url(std::nullopt);
  EXPECT_EQ(load(inst.env.db).public_url, "https://localhost:8080");
}

}  // namespace instctl::instance

namespace instctl::instance {
namespace {

TEST(InitDefaults, HttpOnlyForLoopbackNames) {
  EXPECT_EQ(default_public_url("localhost:8088"), "http://localhost:8088");
  EXPECT_EQ(default_public_url("localhost"), "http://localhost");
  EXPECT_EQ(default_public_url("app.localhost:3000"), "http://app.localhost:3000");
  EXPECT_EQ(default_public_url("127.0.0.1:8080"), "http://127.0.0.1:8080");
  EXPECT_EQ(default_public_url("127.1.2.3"), "http://127.1.2.3");
  EXPECT_EQ(default_public_url("social.example"), "https://social.example");
  EXPECT_EQ(default_public_url("127.0.0.1.example"), "https://127.0.0.1.example");
  EXPECT_EQ(default_public_url("notlocalhost"), "https://notlocalhost");
}

TEST(InitDefaults, ListenOnTheDomainsPort) {
  EXPECT_EQ(default_listen("localhost:8088"), "127.0.0.1:8088");
  EXPECT_EQ(default_listen("social.example"), std::nullopt);
}

}  // namespace
}  // namespace instctl::instance
