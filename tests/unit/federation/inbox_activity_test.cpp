// The inbox's reading of activity bodies, before any key or database is involved.
#include "instctl/federation/inbox_activity.hpp"

#include <gtest/gtest.h>

#include <string>

namespace instctl::federation {

namespace {
const std::string k_actor = "https://mastodon.example/users/alice";
}

TEST(InboxActivity, RefusesBodiesThatAreNoActivity) {
  for (const char* bad :
       {"", "[]", "not json", R"({"actor":"https://m.example/a"})",
        R"({"type":"Follow","actor":"acct:a@m.example"})", R"({"type":"Follow"})"}) {
    const auto a = parse_inbox_activity(bad);
    EXPECT_FALSE(a) << bad;
    EXPECT_FALSE(a.error.empty()) << bad;
  }
  EXPECT_FALSE(parse_inbox_activity(std::string(100, '[') + std::string(100, ']')));
  // A host getaddrinfo would read differently from the domain policy (see ParseUrl).
  EXPECT_FALSE(
      parse_inbox_activity(R"({"type":"Follow","actor":"https://blocked.example\u0000.x/a"})"));
}

TEST(InboxActivity, ReadsTheHandledTypes) {
  const auto follow = parse_inbox_activity(
      R"({"id":"https://mastodon.example/f/1","type":["Follow"],"actor":{"id":")" + k_actor +
      R"("},"object":"https://social.example/users/bob"})");
  ASSERT_TRUE(follow);
  EXPECT_EQ(follow->type, "Follow");
  EXPECT_EQ(follow->actor, k_actor);
  EXPECT_EQ(follow->domain, "mastodon.example");
  EXPECT_EQ(follow->id, "https://mastodon.example/f/1");
  EXPECT_EQ(follow->object, "https://social.example/users/bob");

  const auto undo =
      parse_inbox_activity(R"({"type":"Undo","actor":")" + k_actor +
                           R"(","object":{"id":"https://m.example/f/1","type":"Follow",)"
                           R"("object":"https://social.example/users/bob"}})");
  ASSERT_TRUE(undo && undo->undo);
  EXPECT_EQ(undo->undo->uri, "https://m.example/f/1");
  EXPECT_TRUE(undo->undo->embedded && undo->undo->is_follow);
  EXPECT_EQ(undo->undo->followed, "https://social.example/users/bob");
  const auto undo_like =
      parse_inbox_activity(R"({"type":"Undo","actor":")" + k_actor +
                           R"(","object":{"id":"https://m.example/l/1","type":"Like"}})");
  ASSERT_TRUE(undo_like && undo_like->undo);
  EXPECT_FALSE(undo_like->undo->is_follow);
  EXPECT_FALSE(parse_inbox_activity(R"({"type":"Undo","actor":")" + k_actor + R"("})")->undo);

  const auto flag =
      parse_inbox_activity(R"({"type":"Flag","actor":"https://m.example:8443/actor",)"
                           R"("object":["https://social.example/users/bob"],"content":"spam"})");
  ASSERT_TRUE(flag && flag->flag);
  EXPECT_EQ(flag->flag->actor_domain, "m.example:8443");
  EXPECT_EQ(flag->flag->content, "spam");

  const auto del = parse_inbox_activity(R"({"type":"Delete","actor":")" + k_actor +
                                        R"(","object":")" + k_actor + R"("})");
  ASSERT_TRUE(del);
  EXPECT_TRUE(del->deletes_actor);
  EXPECT_FALSE(parse_inbox_activity(R"({"type":"Delete","actor":")" + k_actor +
                                    R"(","object":"https://m.example/n/1"})")
                   ->deletes_actor);

  const auto update =
      parse_inbox_activity(R"({"type":"Update","actor":")" + k_actor + R"(","object":{"id":")" +
                           k_actor + R"(","type":"Note"}})");
  ASSERT_TRUE(update && update->update);
  EXPECT_FALSE(update->update->actor);  // a Note is no actor document: the inbox answers 400
  const auto other = parse_inbox_activity(R"({"type":"Update","actor":")" + k_actor +
                                          R"(","object":{"id":"https://m.example/users/eve"}})");
  EXPECT_FALSE(other->update);  // someone else's document: ignored
}

}  // namespace instctl::federation
