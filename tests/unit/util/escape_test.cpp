#include "instctl/util/escape.hpp"

#include <gtest/gtest.h>

namespace instctl::util {

TEST(EscapeControl, C0ByNameOrHex) {
  EXPECT_EQ(escape_control("a\nb\rc\td"), "a\\nb\\rc\\td");
  EXPECT_EQ(escape_control("\x1b[2J\x1b]0;owned\x07"), "\\x1b[2J\\x1b]0;owned\\x07");
  EXPECT_EQ(escape_control(std::string_view("a\0b", 3)), "a\\x00b");
  EXPECT_EQ(escape_control("\x01\x1f"), "\\x01\\x1f");
}

TEST(EscapeControl, Del) { EXPECT_EQ(escape_control("x\x7fy"), "x\\x7fy"); }

TEST(EscapeControl, C1AsCodePoints) {
  EXPECT_EQ(escape_control("\xc2\x9b"
                           "31m"),
            "\\u009b31m");  // CSI
  EXPECT_EQ(escape_control("\xc2\x80\xc2\x85\xc2\x9f"), "\\u0080\\u0085\\u009f");
  EXPECT_EQ(escape_control("\xc2\xa0\xc2\xa9"), "\xc2\xa0\xc2\xa9");  // NBSP, ©: text
}

TEST(EscapeControl, InvalidUtf8ByteByByte) {
  EXPECT_EQ(escape_control("\xff"), "\\xff");
  EXPECT_EQ(escape_control("a\x9b"
                           "b"),
            "a\\x9bb");                        // a lone C1 byte, as an 8-bit terminal reads it
  EXPECT_EQ(escape_control("\xc3"), "\\xc3");  // cut short
  EXPECT_EQ(escape_control("\xc0\xaf"), "\\xc0\\xaf");           // overlong
  EXPECT_EQ(escape_control("\xed\xa0\x80"), "\\xed\\xa0\\x80");  // surrogate
}

TEST(EscapeControl, ValidTextUntouched) {
  const std::string text = "Zoë ✓ 🎉 日本語 \"quoted\" back\\slash ~";
  EXPECT_EQ(escape_control(text), text);
  EXPECT_EQ(escape_control(""), "");
}

TEST(EscapeControl, ExtraBytes) {
  EXPECT_EQ(escape_control("a b\"c", " \""), "a\\x20b\\x22c");
  EXPECT_EQ(escape_control("é", " "), "é");
}

TEST(EscapeControl, LinesKeepTheirBreaks) {
  EXPECT_EQ(escape_control_lines("Created.\n  link \x1b[2J\r"), "Created.\n  link \\x1b[2J\\r");
}

}  // namespace instctl::util
