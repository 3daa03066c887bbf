// JSON from elsewhere: not JSON, or nested too deep, is refused without harm.

#include "instctl/core/untrusted_json.hpp"

#include <gtest/gtest.h>

#include <string>

namespace instctl {
namespace {
std::string nested_arrays(int depth) { return std::string(depth, '[') + std::string(depth, ']'); }
std::string nested_objects(int depth) {
  std::string s;
  for (int i = 0; i < depth; ++i) s += "{\"a\":";
  s += "1";
  return s + std::string(depth, '}');
}
}  // namespace

TEST(UntrustedJson, ParsesOrdinaryDocuments) {
  const auto doc = parse_untrusted_object(R"({"type":"Follow","n":[1,2,{"x":null}]})");
  ASSERT_TRUE(doc);
  EXPECT_EQ((*doc)["type"], "Follow");
  EXPECT_EQ((*doc)["n"][2]["x"], nullptr);
  EXPECT_TRUE(parse_untrusted_json("[1, 2]"));
  EXPECT_FALSE(parse_untrusted_object("[1, 2]")) << "an object only";
}

TEST(UntrustedJson, RefusesWhatIsNotJson) {
  EXPECT_FALSE(parse_untrusted_json(""));
  EXPECT_FALSE(parse_untrusted_json("{\"a\":"));
  EXPECT_FALSE(parse_untrusted_json("{\"a\":1} trailing"));
  EXPECT_FALSE(parse_untrusted_json("\xff\xfe"));
}

TEST(UntrustedJson, NestingIsLimited) {
  EXPECT_TRUE(parse_untrusted_json(nested_arrays(k_max_json_depth)));
  EXPECT_FALSE(parse_untrusted_json(nested_arrays(k_max_json_depth + 1)));
  EXPECT_TRUE(parse_untrusted_json(nested_objects(k_max_json_depth)));
  EXPECT_FALSE(parse_untrusted_json(nested_objects(k_max_json_depth + 1)));
  // A whole inbox body of brackets: refused, no stack exhausted.
  EXPECT_FALSE(parse_untrusted_json(nested_arrays(131072)));
  EXPECT_FALSE(parse_untrusted_json(nested_objects(40000)));
}

TEST(UntrustedJson, NumbersThatOverflowStayNumbers) {
  const auto doc =
      parse_untrusted_object(R"({"big":123456789012345678901234567890,"tiny":1e-999})");
  ASSERT_TRUE(doc);
  EXPECT_TRUE((*doc)["big"].is_number());
  EXPECT_TRUE((*doc)["tiny"].is_number());
}

}  // namespace instctl
