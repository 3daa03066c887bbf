#include "instctl/util/json_line.hpp"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "instctl/util/escape.hpp"

namespace instctl::util {

namespace {
std::string json_string(std::string_view text) {
  std::string out;
  append_json_string(out, text);
  return out;
}
}  // namespace

TEST(JsonString, QuotesAndBackslashes) {
  EXPECT_EQ(json_string("a\"b\\c"), R"("a\"b\\c")");
  EXPECT_EQ(json_string(""), R"("")");
}

TEST(JsonString, ControlCharactersEscaped) {
  EXPECT_EQ(json_string("a\nb\rc\td"), R"("a\nb\rc\td")");
  EXPECT_EQ(json_string("\x1b[31m"), R"("\u001b[31m")");
  EXPECT_EQ(json_string(std::string_view("\0", 1)), R"("\u0000")");
  EXPECT_EQ(json_string("x\x7fy"), R"("x\u007fy")");
  EXPECT_EQ(json_string("\xc2\x9b"
                        "2J"),
            R"("\u009b2J")");  // C1 CSI
}

TEST(JsonString, InvalidUtf8BecomesReplacementCharacters) {
  EXPECT_EQ(json_string("a\xff"
                        "b"),
            R"("a\ufffdb")");
  EXPECT_EQ(json_string("\xc3"), R"("\ufffd")");                      // cut sequence
  EXPECT_EQ(json_string("\xc0\xaf"), R"("\ufffd\ufffd")");            // overlong
  EXPECT_EQ(json_string("\xed\xa0\x80"), R"("\ufffd\ufffd\ufffd")");  // surrogate
}

TEST(JsonString, ValidTextKeptAsItIs) {
  EXPECT_EQ(json_string("café 日本 🎉 /users/a?b=c"), "\"café 日本 🎉 /users/a?b=c\"");
}

TEST(JsonLine, BuildsOneObjectPerLine) {
  JsonLine line;
  line.field("msg", "hi")
      .field("status", 200)
      .field("bytes", std::size_t{12})
      .field("ms", 1.23456, 3);
  EXPECT_EQ(line.finish(), "{\"msg\":\"hi\",\"status\":200,\"bytes\":12,\"ms\":1.235}\n");
  line.field("a", "b");
  EXPECT_EQ(line.finish(), "{\"a\":\"b\"}\n") << "finish starts a new object";
  EXPECT_EQ(line.finish(), "{}\n");
}

TEST(JsonLine, ObjectForAColumnAndBooleans) {
  JsonLine line;
  line.field("severity", "suspend").field("updated", false).field("force", true);
  EXPECT_EQ(line.object(), R"({"severity":"suspend","updated":false,"force":true})");
  EXPECT_EQ(line.object(), "{}") << "object starts a new one too";
}

TEST(JsonLine, NotANumberIsZero) {
  JsonLine line;
  line.field("ms", std::numeric_limits<double>::quiet_NaN(), 3);
  EXPECT_EQ(line.finish(), "{\"ms\":0.000}\n");
}

TEST(JsonLine, EveryHostileByteStillParses) {
  // Every single byte, and every pair of bytes, in a value: the line is one line of valid JSON.
  for (int a = 0; a < 256; ++a) {
    for (int b = 0; b < 256; b += 7) {
      const std::string value{static_cast<char>(a), static_cast<char>(b), '"', '\\'};
      JsonLine line;
      const std::string text = line.field("path", value).finish();
      ASSERT_EQ(text.find('\n'), text.size() - 1);
      for (char c : text.substr(0, text.size() - 1)) {
        ASSERT_GE(static_cast<unsigned char>(c), 0x20) << "raw control byte in " << text;
        ASSERT_NE(c, 0x7f);
      }
      const auto parsed = nlohmann::json::parse(text);  // throws on invalid JSON or UTF-8
      ASSERT_TRUE(parsed.at("path").is_string());
    }
  }
}

TEST(JsonLine, Rfc3339Millis) {
  EXPECT_EQ(rfc3339_millis(1'795'000'000'123), "2026-11-18T11:06:40.123Z");
  EXPECT_EQ(rfc3339_millis(1'795'000'000'000), "2026-11-18T11:06:40.000Z");
  EXPECT_EQ(rfc3339_millis(5), "1970-01-01T00:00:00.005Z");
}

}  // namespace instctl::util
