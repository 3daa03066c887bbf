#include "instctl/util/strings.hpp"

#include <gtest/gtest.h>

namespace instctl::util {

TEST(Strings, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("plain"));
  EXPECT_TRUE(is_valid_utf8("Zoë ✓ 🎉"));
  EXPECT_FALSE(is_valid_utf8("\xff"));
  EXPECT_FALSE(is_valid_utf8("\xc3"));                      // truncated
  EXPECT_FALSE(is_valid_utf8("\xc0\xaf"));                  // overlong
  EXPECT_FALSE(is_valid_utf8("\xed\xa0\x80"));              // surrogate
  EXPECT_FALSE(is_valid_utf8("\xe0\x80\xaf"));              // overlong, 3 bytes
  EXPECT_FALSE(is_valid_utf8("\xf4\x90\x80\x80"));          // past U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\x80"));                      // a continuation byte alone
  EXPECT_TRUE(is_valid_utf8(std::string_view("a\0b", 3)));  // NUL is UTF-8
  EXPECT_EQ(utf8_sequence_length("\xf0\x9f\x8e\x89!", 0), 4u);
  EXPECT_EQ(utf8_sequence_length("\xf0\x9f\x8e\x89!", 4), 1u);
  EXPECT_EQ(utf8_sequence_length("\xe2\x9c", 0), 0u);  // cut short
  EXPECT_EQ(utf8_width("Zoë"), 3u);
}

TEST(Strings, Utf8ShortenCutsBetweenCodePoints) {
  EXPECT_EQ(util::utf8_shorten("short", 10), "short");
  EXPECT_EQ(util::utf8_shorten("abcdef", 4), "abc\u2026");
  EXPECT_EQ(util::utf8_shorten("\u00e9\u00e9\u00e9\u00e9\u00e9", 3), "\u00e9\u00e9\u2026");
  EXPECT_TRUE(util::is_valid_utf8(util::utf8_shorten("\u2603\u2603\u2603", 2)));
}

TEST(Strings, Base64) {
  EXPECT_EQ(base64_encode("hello"), "aGVsbG8=");
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_EQ(hex_encode("\x01\xab"), "01ab");
}

TEST(Strings, SplitTrimJoin) {
  EXPECT_EQ(split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(trim("  x y \n"), "x y");
  EXPECT_EQ(join({"a", "b"}, ", "), "a, b");
  EXPECT_TRUE(iequals("ABC", "abc"));
}

TEST(Strings, EditDistance) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("registration.mode", "registrations.mode"), 1u);
  EXPECT_EQ(edit_distance("Users", "users"), 0u);
  EXPECT_EQ(edit_distance("jsno", "json"), 1u);  // a swap is one slip
  EXPECT_EQ(edit_distance("", "abc"), 3u);
}

TEST(Strings, ClosestMatchSuggestsOnlyNearWords) {
  const std::vector<std::string> keys{"registrations.mode", "registrations.require_reason",
                                      "waitlist.enabled"};
  EXPECT_EQ(closest_match("registration.mode", keys), "registrations.mode");
  EXPECT_EQ(closest_match("waitlist.enable", keys), "waitlist.enabled");
  EXPECT_EQ(closest_match("colour", keys), "");  // nothing near: no guess
  EXPECT_EQ(closest_match("crate", {"create", "list", "delete"}), "create");
  EXPECT_EQ(closest_match("x", {"y", "z"}), "y");  // one edit is a slip even in short words
  EXPECT_EQ(closest_match("ab", {"xyz"}), "");
  EXPECT_EQ(did_you_mean("registration.mode", keys), "; did you mean registrations.mode?");
  EXPECT_EQ(did_you_mean("waitlist.enabled", keys), "");
}

TEST(Strings, CountedNouns) {
  EXPECT_EQ(counted(1, "new user"), "1 new user");
  EXPECT_EQ(counted(2, "new user"), "2 new users");
  EXPECT_EQ(counted(0, "invite"), "0 invites");
  EXPECT_EQ(counted(1, "entry", "entries"), "1 entry");
  EXPECT_EQ(counted(3, "entry", "entries"), "3 entries");
  EXPECT_EQ(and_list({"quinn"}), "quinn");
  EXPECT_EQ(and_list({"quinn", "rob"}), "quinn and rob");
  EXPECT_EQ(and_list({"a", "b", "c"}), "a, b and c");
}

}  // namespace instctl::util
