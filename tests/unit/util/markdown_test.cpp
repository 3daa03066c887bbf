#include "instctl/util/markdown.hpp"

#include <gtest/gtest.h>

using namespace instctl::util::markdown;

TEST(Markdown, PlainTextKeepsParagraphsAndLines) {
  const auto blocks = parse("One\ntwo\n\nThree\r\n");
  ASSERT_EQ(blocks.size(), 2u);
  EXPECT_EQ(blocks[0].kind, BlockKind::paragraph);
  ASSERT_EQ(blocks[0].items.at(0).size(), 2u);
  EXPECT_EQ(blocks[0].items[0][1].at(0).text, "two");
  EXPECT_EQ(blocks[1].items[0][0].at(0).text, "Three");
}

TEST(Markdown, BlocksOfEachKind) {
  const auto b = parse("## Title\n- a\n* b\n1. c\n> quoted\n---\n");
  ASSERT_EQ(b.size(), 5u);
  EXPECT_EQ(b[0].kind, BlockKind::heading);
  EXPECT_EQ(b[0].level, 2);
  EXPECT_EQ(b[1].kind, BlockKind::bullet_list);
  EXPECT_EQ(b[1].items.size(), 2u);
  EXPECT_EQ(b[2].kind, BlockKind::ordered_list);
  EXPECT_EQ(b[3].kind, BlockKind::quote);
  EXPECT_EQ(b[4].kind, BlockKind::rule);
  EXPECT_EQ(parse("#nospace").at(0).kind, BlockKind::paragraph);
}

TEST(Markdown, SpansAndOnlySafeLinks) {
  const auto l =
      parse_inline("a **b** *c* `d` [e](https://x.example/(1)) [f](javascript:alert(1)) \\*g");
  ASSERT_EQ(l.size(), 9u);
  EXPECT_EQ(l[1].kind, SpanKind::strong);
  EXPECT_EQ(l[3].kind, SpanKind::em);
  EXPECT_EQ(l[5].kind, SpanKind::code);
  EXPECT_EQ(l[7].kind, SpanKind::link);
  EXPECT_EQ(l[7].href, "https://x.example/(1)");
  EXPECT_EQ(l[8].kind, SpanKind::text);
  EXPECT_EQ(l[8].text, " f *g");  // the unsafe link is its text; the escaped star a star
  EXPECT_TRUE(safe_href("/about"));
  EXPECT_TRUE(safe_href("mailto:a@example.org"));
  EXPECT_FALSE(safe_href("//evil.example"));
  EXPECT_FALSE(safe_href("data:text/html,x"));
  EXPECT_FALSE(safe_href("https://x.example/\"onmouseover"));
}

TEST(Markdown, UnclosedDelimitersAreText) {
  const auto l = parse_inline("a * b ** c ` d [e](f");
  ASSERT_EQ(l.size(), 1u);
  EXPECT_EQ(l[0].text, "a * b ** c ` d [e](f");
}
