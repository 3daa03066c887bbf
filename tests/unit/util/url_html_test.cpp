#include <gtest/gtest.h>

#include "instctl/util/html.hpp"
#include "instctl/util/url.hpp"

namespace instctl::util {

TEST(Url, PercentDecoding) {
  EXPECT_EQ(percent_decode("acct%3Aalice%40ex.com", false), "acct:alice@ex.com");
  EXPECT_EQ(percent_decode("a+b", true), "a b");
  EXPECT_EQ(percent_decode("a+b", false), "a+b");
  EXPECT_FALSE(percent_decode("%4", false));
  EXPECT_FALSE(percent_decode("%zz", false));
  EXPECT_EQ(percent_encode("a b/é"), "a%20b%2F%C3%A9");
}

TEST(Url, QueryValue) {
  EXPECT_EQ(query_value("resource=acct%3Aa%40b&x=1", "resource"), "acct:a@b");
  EXPECT_EQ(query_value("x=1&page=2", "page"), "2");
  EXPECT_EQ(query_value("flag&x=1", "flag"), "");
  EXPECT_FALSE(query_value("x=1", "page"));
  EXPECT_FALSE(query_value("page=%g1", "page"));
}

TEST(Html, EscapesAndParagraphs) {
  EXPECT_EQ(html_escape("<a href=\"x\">'&'</a>"),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  EXPECT_EQ(text_to_html(""), "");
  EXPECT_EQ(text_to_html("one"), "<p>one</p>");
  EXPECT_EQ(text_to_html("a\nb\n\n\nc<"), "<p>a<br>b</p><p>c&lt;</p>");
  EXPECT_EQ(text_to_html("a\r\nb"), "<p>a<br>b</p>");
}

}  // namespace instctl::util
