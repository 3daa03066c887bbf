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

}  // namespace instctl::http
