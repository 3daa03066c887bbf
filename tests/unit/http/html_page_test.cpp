#include "instctl/http/html_page.hpp"

#include <gtest/gtest.h>

namespace instctl::http {

TEST(HtmlPage, ResponseForbidsScriptsFramingAndCaching) {
  const auto r = html_response(200, "x");
  EXPECT_EQ(r.content_type, "text/html; charset=utf-8");
  bool csp = false, nostore = false;
  for (const auto& [k, v] : r.headers) {
    if (k == "Content-Security-Policy") csp = v.find("default-src 'none'") != std::string::npos;
    if (k == "Cache-Control") nostore = v == "no-store";
  }
  EXPECT_TRUE(csp);
  EXPECT_TRUE(nostore);
}

TEST(HtmlPage, InputsAreLabelledAndEscapeValuesAndErrors) {
  Input in{.name = "username", .label = "User <name>", .value = "\"><script>x</script>",
           .error = "bad <thing>", .hint = "a & b"};
  const auto html = input_field(in);
  EXPECT_NE(html.find("<label for=\"username\">User &lt;name&gt;</label>"), std::string::npos);
  EXPECT_NE(html.find("value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""), std::string::npos);
  EXPECT_NE(html.find("bad &lt;thing&gt;"), std::string::npos);
  EXPECT_NE(html.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(html.find("aria-describedby=\"username-hint username-error\""), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
}

TEST(HtmlPage, PasswordsAreNeverEchoed) {
  const auto html = input_field({.name = "password", .label = "Password", .type = "password",
                                 .value = "hunter2hunter2"});
  EXPECT_EQ(html.find("hunter2"), std::string::npos);
}

TEST(HtmlPage, LockedFieldsAreReadOnlyAndTextareasEscape) {
  EXPECT_NE(input_field({.name = "email", .label = "E", .value = "a@b.c", .locked = true}).find(" readonly"),
            std::string::npos);
  const auto t = textarea_field({.name = "reason", .label = "Why", .value = "</textarea><i>"});
  EXPECT_NE(t.find("&lt;/textarea&gt;&lt;i&gt;</textarea>"), std::string::npos);
  EXPECT_NE(hidden_field("t", "\"x").find("value=\"&quot;x\""), std::string::npos);
}

}  // namespace instctl::http
