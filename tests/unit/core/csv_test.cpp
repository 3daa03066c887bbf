#include "instctl/core/csv.hpp"

#include <gtest/gtest.h>

namespace instctl {

namespace {
std::vector<CsvRecord> read_all(std::string text, std::size_t max = 1000) {
  auto in = ByteReader::from_string(std::move(text));
  in.skip_bom();
  CsvReader reader(in, max);
  std::vector<CsvRecord> out;
  CsvRecord r;
  while (reader.next(r)) out.push_back(r);
  return out;
}
using Fields = std::vector<std::string>;
}  // namespace

TEST(CsvReader, ReadsQuotedFieldsWithCommasQuotesAndLineBreaks) {
  const auto rows = read_all("a,b,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\r\nlines\"\r\nlast,,\r\n");
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_EQ(rows[0].fields, (Fields{"a", "b", "c"}));
  EXPECT_EQ(rows[1].fields, (Fields{"x, y", "say \"hi\"", "two\r\nlines"}));
  EXPECT_EQ(rows[1].line, 2u);
  EXPECT_EQ(rows[2].fields, (Fields{"last", "", ""}));
  EXPECT_EQ(rows[2].line, 4u) << "the quoted line break counts";
}

TEST(CsvReader, AcceptsBareLineFeedsABomAndNoFinalLineEnd) {
  const auto rows = read_all("\xEF\xBB\xBFu,e\nbob,b@x.org");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, (Fields{"u", "e"}));
  EXPECT_EQ(rows[1].fields, (Fields{"bob", "b@x.org"}));
}

TEST(CsvReader, SkipsEmptyLinesButCountsThem) {
  const auto rows = read_all("h\n\n\r\nrow\n");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[1].line, 4u);
}

TEST(CsvReader, ReportsBadQuotingAndCarriesOnWithTheNextLine) {
  const auto rows = read_all("a\"b,c\n\"x\"y,z\nok,1\n");
  ASSERT_EQ(rows.size(), 3u);
  ASSERT_TRUE(rows[0].problem);
  EXPECT_NE(rows[0].problem->find("quote inside an unquoted field"), std::string::npos);
  ASSERT_TRUE(rows[1].problem);
  EXPECT_NE(rows[1].problem->find("after its closing quote"), std::string::npos);
  EXPECT_FALSE(rows[2].problem);
  EXPECT_EQ(rows[2].fields, (Fields{"ok", "1"}));
  EXPECT_EQ(rows[2].line, 3u);
}

TEST(CsvReader, SkipsRecordsOverTheLimitWholeAndGoesOn) {
  const std::string long_field(50, 'x');
  const auto rows = read_all("\"" + long_field + "\n" + long_field + "\",b\nnext,row\n", 40);
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_TRUE(rows[0].problem);
  EXPECT_EQ(*rows[0].problem, "the row is longer than 40 bytes");
  EXPECT_TRUE(rows[0].fields.empty());
  EXPECT_EQ(rows[1].fields, (Fields{"next", "row"}));
  EXPECT_EQ(rows[1].line, 3u);
}

TEST(CsvReader, ReportsAQuoteThatIsNeverClosed) {
  const auto rows = read_all("a,b\n\"open,b\nmore\n");
  ASSERT_EQ(rows.size(), 2u);
  ASSERT_TRUE(rows[1].problem);
  EXPECT_NE(rows[1].problem->find("opened on line 2 is never closed"), std::string::npos);
}

TEST(CsvWriter, QuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_row({"a", "b,c", ""}), "a,\"b,c\",\r\n");
}

TEST(CsvRoundTrip, WhatTheWriterWritesTheReaderReadsBack) {
  const Fields values{"x, y", "\"q\"", "line\r\nbreak", "", "ünïcode", " padded "};
  const auto rows = read_all(csv_row(values) + csv_row(values));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].fields, values);
  EXPECT_EQ(rows[1].fields, values);
}

}  // namespace instctl
