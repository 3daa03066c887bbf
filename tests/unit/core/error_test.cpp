#include "instctl/core/error.hpp"

#include <gtest/gtest.h>

#include "instctl/users/user_service.hpp"
#include "test_support.hpp"

namespace instctl {

TEST(Error, OperatorAndPublicMessagesAreKeptApart) {
  const auto e = Error(ErrorKind::policy,
                       "addresses at x.example are refused: 'instctl email-blocks "
                       "remove x.example' lifts the block")
                     .with_public("Addresses at this email domain cannot sign up here.");
  EXPECT_NE(std::string(e.what()).find("instctl"), std::string::npos);
  EXPECT_EQ(e.public_message(), "Addresses at this email domain cannot sign up here.");
  EXPECT_TRUE(e.has_public_message());
  EXPECT_EQ(exit_code(e.kind()), 8);
}

TEST(Error, AFailureShowsOnlyItsKindsSentence) {
  const Error e(ErrorKind::internal, "database error: disk I/O error at /var/lib/instctl/db");
  EXPECT_FALSE(e.has_public_message());
  EXPECT_EQ(e.public_message().find("/var/lib"), std::string::npos);
  EXPECT_FALSE(e.retry_later());
  const auto busy = Error(ErrorKind::internal, "the database stayed locked for 30 s").temporary();
  EXPECT_TRUE(busy.retry_later());
  EXPECT_EQ(exit_code(busy.kind()), 1) << "the exit code stays the kind's";
  EXPECT_NE(busy.public_message().find("try again"), std::string::npos);
  EXPECT_EQ(busy.public_message().find("already"), std::string::npos);
}

TEST(Error, ProblemsCarryTheirFieldsAndTheFirstIsTheMessage) {
  const Error e(ErrorKind::usage, Problems{{"username", "the username is empty"},
                                           {"email", "the email address x is already in use",
                                            "This address already has an account here."}});
  EXPECT_STREQ(e.what(), "the username is empty");
  EXPECT_EQ(e.field(), "username");
  ASSERT_EQ(e.problems().size(), 2u);
  EXPECT_EQ(e.problems()[1].for_public(), "This address already has an account here.");
  EXPECT_EQ(e.public_problems().size(), 2u);
  const Error whole(ErrorKind::conflict, "the sign-up was completed already");
  EXPECT_EQ(whole.field(), "");
  ASSERT_EQ(whole.public_problems().size(), 1u);
  EXPECT_EQ(whole.public_problems()[0].field, "");
}

TEST(Error, ValidateReturnsEveryProblemOfACreateRequest) {
  users::CreateRequest req;
  req.username = "bad name!";
  req.email = "not-an-address";
  req.password = "short";
  const auto problems = users::UserService::validate(req);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0].field, "username");
  EXPECT_EQ(problems[1].field, "email");
  EXPECT_EQ(problems[2].field, "password");
  test::TestInstance t;
  try {
    users::UserService(t.env).create(req);
    FAIL() << "created";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::usage);
    EXPECT_EQ(e.problems().size(), 3u);
    EXPECT_STREQ(e.what(), problems[0].message.c_str())
        << "the command line's message is the first";
  }
}

TEST(Error, ACommandLineHintHasPublicWords) {
  test::TestInstance t;
  users::CreateRequest req;
  req.username = "quinn";
  req.email = "quinn@example.com";
  req.password = "correct horse battery";
  users::UserService(t.env).create(req);
  try {
    users::UserService(t.env).modify("quinn", {});
    FAIL() << "modified";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("--"), std::string::npos);
    EXPECT_EQ(e.public_message().find("--"), std::string::npos);
    EXPECT_EQ(e.public_message().find("instctl"), std::string::npos);
  }
}

}  // namespace instctl
