#include "instctl/core/config_keys.hpp"

#include <gtest/gtest.h>

#include "instctl/core/error.hpp"

namespace instctl {
namespace {

std::string usage_message(std::string_view key, std::string_view value) {
  try {
    validate_config_value(key, value);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    return e.what();
  }
  ADD_FAILURE() << "accepted " << key << " = " << value;
  return "";
}

TEST(ConfigKeys, UnknownKeySuggestsTheNearestOne) {
  EXPECT_NE(usage_message("registration.mode", "invite").find("did you mean registrations.mode?"),
            std::string::npos);
  // Nothing near: the list of known settings, no guess.
  const auto far = usage_message("colour", "red");
  EXPECT_EQ(far.find("did you mean"), std::string::npos);
  EXPECT_NE(far.find("known settings: instance.title"), std::string::npos);
}

TEST(ConfigKeys, ChoiceSuggestsTheNearestValue) {
  EXPECT_NE(usage_message("registrations.mode", "aproval").find("did you mean approval?"),
            std::string::npos);
  EXPECT_EQ(validate_config_value("registrations.mode", "Approval"), "approval");
}

TEST(ConfigKeys, TitleMayNotBeEmpty) {
  EXPECT_NE(usage_message("instance.title", "").find("may not be empty"), std::string::npos);
  EXPECT_NE(usage_message("instance.title", "   ").find("may not be empty"), std::string::npos);
  EXPECT_EQ(validate_config_value("instance.title", " Harbour "), "Harbour");
  // Other text settings may be empty.
  EXPECT_EQ(validate_config_value("mail.smtp_user", ""), "");
}

}  // namespace
}  // namespace instctl
