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
