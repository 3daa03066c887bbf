#include "instctl/members/data_export.hpp"

#include <gtest/gtest.h>

#include "instctl/users/user_service.hpp"
#include "test_support.hpp"

namespace instctl::members {

namespace {

// Every key of a JSON document, nested ones included.
void keys_of(const Json& j, std::vector<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) {
      out.push_back(k);
      keys_of(v, out);
    }
  } else if (j.is_array()) {
    for (const auto& v : j) keys_of(v, out);
  }
}

}  // namespace

TEST(DataExport, HoldsTheAccountAndNoSecret) {
  test::TestInstance t;
  users::UserService users(t.env);
  users::CreateRequest req;
  req.username = "bea";
  req.email = "bea@example.com";
  req.password = "correct-horse";
  const auto bea = users.create(req).user;
  users.ensure_keys(bea.id);
  const auto j = export_data(t.env, users.resolve("bea"));
  EXPECT_EQ(j["version"], k_export_version);
  EXPECT_EQ(j["account"]["username"], "bea");
  EXPECT_EQ(j["account"]["email"], "bea@example.com");
  EXPECT_EQ(j["account"]["has_password"], true);
  for (const char* list :
       {"identities", "followers", "following", "follow_requests", "invites", "reports_filed"}) {
    EXPECT_TRUE(j[list].is_array()) << list;
  }
  std::vector<std::string> keys;
  keys_of(j, keys);
  for (const auto& k : keys) {
    EXPECT_EQ(k.find("password_hash"), std::string::npos) << k;
    EXPECT_EQ(k.find("private"), std::string::npos) << k;
    EXPECT_EQ(k.find("token"), std::string::npos) << k;
  }
  const auto text = j.dump();
  EXPECT_EQ(text.find("PRIVATE KEY"), std::string::npos);
  EXPECT_EQ(text.find("scrypt"), std::string::npos);
}

}  // namespace instctl::members
