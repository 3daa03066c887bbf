#pragma once

// Structured Field Values for HTTP (RFC 8941), the parts RFC 9421 and RFC 9530 use: a
// Dictionary whose members are Items or Inner Lists, each with Parameters; bare items are
// Integers, Decimals, Strings, Tokens, Byte Sequences and Booleans. Parsing is strict (the
// RFC's algorithms, which fail the whole field on any error) and bounded: it never reads past
// the input and never recurses.
//
//   auto dict = crypto::sf::parse_dictionary(R"(sig1=("@method" "@path");created=1;keyid="k")");
//   if (!dict) -> malformed
//   const auto* m = sf::find(*dict, "sig1");   // Member: an Item or an InnerList
//
// Serialization (`serialize`) gives the canonical form RFC 9421 signs in "@signature-params".

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace instctl::crypto::sf {

struct Token {
  std::string text;
  bool operator==(const Token&) const = default;
};
struct ByteSequence {
  std::string bytes;  // decoded
  bool operator==(const ByteSequence&) const = default;
};
struct Decimal {
  std::int64_t thousandths = 0;  // at most 12 integer and 3 fractional digits (RFC 8941 3.3.2)
  bool operator==(const Decimal&) const = default;
};
// Integer, Decimal, String, Token, Byte Sequence, Boolean.
using BareItem = std::variant<std::int64_t, Decimal, std::string, Token, ByteSequence, bool>;
// Keys are unique; a repeated key keeps its first position and takes the last value.
using Parameters = std::vector<std::pair<std::string, BareItem>>;

struct Item {
  BareItem value;
  Parameters params;
};
struct InnerList {
  std::vector<Item> items;
  Parameters params;
};
using Member = std::variant<Item, InnerList>;
using Dictionary = std::vector<std::pair<std::string, Member>>;

// nullopt when the text is not a valid Dictionary (RFC 8941 4.2.2). An empty field is an
// empty dictionary.
std::optional<Dictionary> parse_dictionary(std::string_view text);

const Member* find(const Dictionary& dict, std::string_view key);
const BareItem* find(const Parameters& params, std::string_view key);

std::string serialize(const BareItem& item);
std::string serialize(const Parameters& params);
std::string serialize(const InnerList& list);

}  // namespace instctl::crypto::sf
