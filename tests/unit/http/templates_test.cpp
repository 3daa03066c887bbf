#include "instctl/http/templates.hpp"

#include <gtest/gtest.h>

#include <regex>
#include <set>

#include "instctl/core/error.hpp"
#include "instctl/http/routes/site_frame.hpp"
#include "instctl/http/web_assets.hpp"

namespace instctl::http {

namespace {

const std::string k_hostile = "<script>alert(\"x\")</script> & 'q'";
const std::string k_escaped = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;";

views::Site hostile_site() {
  views::Site s;
  s.info.domain = "social.example";
  s.info.account_domain = "social.example";
  s.info.public_url = "https://social.example";
  s.info.title = k_hostile;
  s.texts.description = k_hostile + "\nline two\n\nsecond";
  s.contact_email = "a\"b@example.com";
  return s;
}

}  // namespace

TEST(Templates, ValuesAreEscapedByDefault) {
  const auto page =
      views::render_page("notice", hostile_site(), k_hostile,
                         {{"heading", k_hostile}, {"text", k_hostile}, {"handle", k_hostile}});
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("'q'"), std::string::npos);
  EXPECT_NE(page.find("<h1 class=\"name\">" + k_escaped + "</h1>"), std::string::npos);
  EXPECT_NE(page.find("<title>" + k_escaped + " · " + k_escaped + "</title>"), std::string::npos);
  EXPECT_NE(page.find("href=\"mailto:a&quot;b@example.com\""), std::string::npos);
}

TEST(Templates, DocumentHasLangViewportIconFooterAndNoScript) {
  auto site = hostile_site();
  site.has_privacy_policy = true;
  const auto page = views::render_page("notice", site, "T", {{"heading", std::string("H")}});
  EXPECT_EQ(page.rfind("<!DOCTYPE html>\n<html lang=\"en\">", 0), 0u);
  EXPECT_NE(page.find("name=\"viewport\" content=\"width=device-width, initial-scale=1\""),
            std::string::npos);
  EXPECT_NE(page.find("<meta name=\"robots\" content=\"noindex\">"), std::string::npos);
  EXPECT_NE(page.find("<link rel=\"icon\" href=\"/favicon.ico\""), std::string::npos);
  EXPECT_NE(page.find("<a href=\"/about\">About " + k_escaped + "</a>"), std::string::npos);
  EXPECT_NE(page.find("<a href=\"/privacy-policy\">Privacy policy</a>"), std::string::npos);
  EXPECT_EQ(page.find("<script"), std::string::npos);
  EXPECT_EQ(page.find("application/activity+json"), std::string::npos);  // no actor, no link
  const auto indexed = views::render_page("notice", site, "T", {}, views::Indexing::allowed);
  EXPECT_EQ(indexed.find("name=\"robots\""), std::string::npos);
}

TEST(Templates, SiteHeaderKeepsParagraphsAndLineBreaks) {
  const auto page =
      views::render_page("about", hostile_site(), "About", {{"join_text", std::string("j")}});
  EXPECT_NE(
      page.find("<div class=\"desc\"><p>" + k_escaped + "<br>line two</p><p>second</p></div>"),
      std::string::npos);
}

TEST(Templates, NoTemplateWritesUnescapedData) {
  // A template cannot forget to escape: {{{x}}}, {{& x}} (and {{=...=}}, which would change the
  // delimiters so that another form of them could hide) appear in none, except the ones listed
  // here with the trusted renderer that makes their value. None today.
  const std::set<std::string_view> allowed_raw = {};
  const std::regex raw(R"(\{\{\s*[{&=])");
  ASSERT_FALSE(embedded_templates().empty());
  for (const auto& t : embedded_templates()) {
    const std::string text(t.text);
    EXPECT_EQ(std::regex_search(text, raw), allowed_raw.contains(t.name)) << t.name;
  }
  EXPECT_TRUE(std::regex_search(std::string("a {{ & b}}"), raw));  // the check itself
  EXPECT_TRUE(std::regex_search(std::string("a {{{b}}}"), raw));
  EXPECT_FALSE(std::regex_search(std::string("a {{b}} {{#c}}{{/c}} {{> _d}}"), raw));
}

TEST(Templates, UnknownTemplateIsAnInternalError) {
  try {
    render_template("no_such_page", {});
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::internal);
    EXPECT_NE(std::string(e.what()).find("no_such_page"), std::string::npos);
  }
}

TEST(Templates, TextParagraphs) {
  // Plain text read as Markdown keeps its paragraphs and its lines.
  const auto out = render_template(
      "privacy_policy",
      {{"policy", markdown_data("a\r\nb\n\n \n\nc <d>")}, {"site_title", std::string("S")}});
  EXPECT_NE(out.find("<p>a<br>b</p>\n<p>c &lt;d&gt;</p>"), std::string::npos) << out;
  EXPECT_TRUE(text_paragraphs("").empty());
  EXPECT_TRUE(text_paragraphs("\n \n").empty());
}

TEST(Templates, MarkdownIsEscapedAndLinksOnlySafeTargets) {
  const auto out = render_template(
      "privacy_policy_content",
      {{"policy", markdown_data("# T <i>\n\n[x](javascript:alert(1)) [y](https://e.example/?a=\"b) "
                                "[z](https://e.example/a?b=1&c=2) **<b>**\n\n- one\n- `<two>`")}});
  EXPECT_NE(out.find("<h2>T &lt;i&gt;</h2>"), std::string::npos) << out;
  EXPECT_NE(
      out.find("<p>x y <a href=\"https://e.example/a?b=1&amp;c=2\" rel=\"nofollow noopener\">z</a> "
               "<strong>&lt;b&gt;</strong></p>"),
      std::string::npos)
      << out;
  EXPECT_NE(out.find("<ul><li>one</li><li><code>&lt;two&gt;</code></li></ul>"), std::string::npos)
      << out;
  EXPECT_EQ(out.find("javascript"), std::string::npos);
}

TEST(Templates, FaviconIsASmallIcon) {
  const auto ico = favicon_ico();
  ASSERT_GT(ico.size(), 22u);
  EXPECT_LT(ico.size(), 1024u);
  EXPECT_EQ(ico.substr(0, 4), std::string_view("\0\0\1\0", 4));
}

}  // namespace instctl::http
