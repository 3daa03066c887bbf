// The one base64 (util/strings.hpp): standard and base64url, both ways.

#include "instctl/util/base64.hpp"

#include <gtest/gtest.h>

#include <utility>

#include "instctl/util/strings.hpp"

namespace instctl::util {
namespace {

TEST(Base64, EncodesEveryTailLength) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("h"), "aA==");
  EXPECT_EQ(base64_encode("hi"), "aGk=");
  EXPECT_EQ(base64_encode("hel"), "aGVs");
  EXPECT_EQ(base64_encode("hello"), "aGVsbG8=");
  EXPECT_EQ(base64_encode(std::string("\xfb\xff\x00", 3)), "+/8A");
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff\x00", 3)), "-_8A");
  EXPECT_EQ(base64url_encode("hi"), "aGk");
  EXPECT_EQ(base64url_encode(""), "");
}

TEST(Base64, MatchesRfc4648TestVectors) {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "Zg=="},
                                                         {"fo", "Zm8="},
                                                         {"foo", "Zm9v"},
                                                         {"foob", "Zm9vYg=="},
                                                         {"fooba", "Zm9vYmE="},
                                                         {"foobar", "Zm9vYmFy"}};
  for (const auto& [bytes, text] : vectors) {
    EXPECT_EQ(base64_encode(bytes), text) << bytes;
    EXPECT_EQ(base64_decode(text), bytes) << text;
  }
}

TEST(Base64, DecodesWithOrWithoutPadding) {
  EXPECT_EQ(base64_decode("aGVsbG8="), "hello");
  EXPECT_EQ(base64_decode("aGVsbG8"), "hello");
  EXPECT_EQ(base64_decode("aA=="), "h");
  EXPECT_EQ(base64_decode("aA"), "h");
  EXPECT_EQ(base64_decode(""), "");
  EXPECT_EQ(base64_decode("+/8A"), std::string("\xfb\xff\x00", 3));
  EXPECT_EQ(base64url_decode("-_8A"), std::string("\xfb\xff\x00", 3));
  EXPECT_EQ(base64url_decode("aGk"), "hi");
}

TEST(Base64, RoundTripsEveryByte) {
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  for (std::size_t n = 0; n <= all.size(); n += 37) {
    const auto bytes = all.substr(0, n);
    EXPECT_EQ(base64_decode(base64_encode(bytes)), bytes) << n;
    EXPECT_EQ(base64url_decode(base64url_encode(bytes)), bytes) << n;
  }
}

TEST(Base64, RefusesWhatIsNotBase64) {
  for (const std::string& bad :
       {std::string("a"), std::string("a==="), std::string("aGk=aGk="), std::string("aG k"),
        std::string(" aGk="), std::string("aGk=\n"), std::string("aG-_"), std::string("aG\0k", 4),
        std::string("aGVsbG8*")}) {
    EXPECT_FALSE(base64_decode(bad)) << bad;
  }
  for (const std::string& bad : {std::string("a"), std::string("aGk="), std::string("a+/8"),
                                 std::string("a/"), std::string("aG k"), std::string("aGk\n")}) {
    EXPECT_FALSE(base64url_decode(bad)) << bad;
  }
}

}  // namespace
}  // namespace instctl::util
