// RFC 8941's Strings and Byte Sequences as crypto/structured_field.hpp parses them inside a
// Dictionary: escapes, what fails the whole field, and the decoded bytes.

#include "instctl/crypto/structured_field.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace instctl::crypto::sf {
namespace {

// The bare value of member `key` of `field`, an Item; nullopt when the field does not parse.
std::optional<BareItem> value_of(std::string_view field, std::string_view key = "a") {
  const auto dict = parse_dictionary(field);
  if (!dict) return std::nullopt;
  const auto* member = find(*dict, key);
  if (member == nullptr || !std::holds_alternative<Item>(*member)) return std::nullopt;
  return std::get<Item>(*member).value;
}

TEST(StructuredFieldString, TakesEscapedQuotesAndBackslashesAnywhere) {
  EXPECT_EQ(value_of(R"(a="")"), BareItem{std::string()});
  EXPECT_EQ(value_of(R"(a="plain text")"), BareItem{std::string("plain text")});
  EXPECT_EQ(value_of(R"(a="say \"hi\"")"), BareItem{std::string("say \"hi\"")});
  EXPECT_EQ(value_of(R"(a="\\")"), BareItem{std::string("\\")});
  EXPECT_EQ(value_of(R"(a="x\\y\"z", b="next")"), BareItem{std::string("x\\y\"z")});
  EXPECT_EQ(value_of(R"(a="x\\y\"z", b="next")", "b"), BareItem{std::string("next")});
  EXPECT_EQ(value_of(R"(a="https://peer.example/users/a1#main-key";p=1)"),
            BareItem{std::string("https://peer.example/users/a1#main-key")});
}

TEST(StructuredFieldString, FailsTheFieldOnABadEscapeControlOrUnendedString) {
  for (const std::string& bad :
       {std::string(R"(a="unended)"), std::string(R"(a="ends in a backslash\)"),
        std::string(R"(a="bad \n escape")"), std::string("a=\"tab\there\""),
        std::string("a=\"del\x7f\""), std::string("a=\"caf\xc3\xa9\""), std::string(R"(a="\)"),
        std::string(R"(a="x"y)")}) {
    EXPECT_FALSE(parse_dictionary(bad)) << bad;
  }
}

TEST(StructuredFieldByteSequence, DecodesBase64WithOrWithoutPadding) {
  EXPECT_EQ(value_of("a=:aGVsbG8=:"), BareItem{ByteSequence{"hello"}});
  EXPECT_EQ(value_of("a=:aGVsbG8:"), BareItem{ByteSequence{"hello"}});
  EXPECT_EQ(value_of("a=::"), BareItem{ByteSequence{""}});
  EXPECT_FALSE(parse_dictionary("a=:aGVsbG8"));     // unended
  EXPECT_FALSE(parse_dictionary("a=:aGV sbG8=:"));  // not the alphabet
  EXPECT_FALSE(parse_dictionary("a=:a:"));          // one character carries no byte
}

}  // namespace
}  // namespace instctl::crypto::sf
