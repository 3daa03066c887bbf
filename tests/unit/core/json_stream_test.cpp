#include "instctl/core/json_stream.hpp"

#include <gtest/gtest.h>

namespace instctl {

namespace {
std::vector<TextItem> array_items(std::string text, std::size_t max = 1000) {
  auto in = ByteReader::from_string(std::move(text));
  JsonArrayReader reader(in, max);
  EXPECT_TRUE(reader.open());
  std::vector<TextItem> out;
  TextItem item;
  while (reader.next(item)) out.push_back(item);
  return out;
}
}  // namespace

TEST(JsonArrayReader, SplitsElementsWithTheirLines) {
  const auto items = array_items("[\n  {\"a\": \"x,]}\"},\n  {\"b\": [1, {\"c\": 2}]}\n,3]");
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].text, "{\"a\": \"x,]}\"}");
  EXPECT_EQ(items[0].line, 2u);
  EXPECT_EQ(items[1].text, "{\"b\": [1, {\"c\": 2}]}\n");
  EXPECT_EQ(items[1].line, 3u);
  EXPECT_EQ(items[2].text, "3");
  EXPECT_EQ(items[2].line, 4u);
}

TEST(JsonArrayReader, EmptyArraysAndTrailingCommas) {
  EXPECT_TRUE(array_items(" [ ] ").empty());
  EXPECT_EQ(array_items("[{}, ]").size(), 1u);
}

TEST(JsonArrayReader, ReportsACutOffArray) {
  const auto items = array_items("[{\"a\": 1}, {\"b\": ");
  ASSERT_EQ(items.size(), 2u);
  EXPECT_FALSE(items[0].problem);
  ASSERT_TRUE(items[1].problem);
  EXPECT_NE(items[1].problem->find("cut off"), std::string::npos);
}

TEST(JsonArrayReader, SkipsOverLongElements) {
  const auto items = array_items("[\"" + std::string(100, 'x') + "\", 1]", 20);
  ASSERT_EQ(items.size(), 2u);
  ASSERT_TRUE(items[0].problem);
  EXPECT_EQ(*items[0].problem, "the row is longer than 20 bytes");
  EXPECT_EQ(items[1].text, "1");
}

TEST(JsonArrayReader, RefusesWhatIsNotAnArray) {
  auto in = ByteReader::from_string("{\"a\": 1}");
  JsonArrayReader reader(in, 100);
  EXPECT_FALSE(reader.open());
}

TEST(LineItemReader, ReadsLinesSkippingBlankOnes) {
  auto in = ByteReader::from_string("{\"a\":1}\r\n\n  \n{\"b\":2}");
  LineItemReader reader(in, 100);
  TextItem item;
  ASSERT_TRUE(reader.next(item));
  EXPECT_EQ(item.text, "{\"a\":1}");
  EXPECT_EQ(item.line, 1u);
  ASSERT_TRUE(reader.next(item));
  EXPECT_EQ(item.text, "{\"b\":2}");
  EXPECT_EQ(item.line, 4u);
  EXPECT_FALSE(reader.next(item));
}

}  // namespace instctl
