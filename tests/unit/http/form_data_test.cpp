#include "instctl/http/routes/form_data.hpp"

#include <gtest/gtest.h>

#include "instctl/http/routes/onboarding_views.hpp"

namespace instctl::http::views {

namespace {

Site site() {
  Site s;
  s.info.domain = "social.example";
  s.info.account_domain = "social.example";
  s.info.public_url = "https://social.example";
  s.info.title = "Harbour";
  return s;
}

std::string between(const std::string& page, std::string_view from, std::string_view to) {
  const auto a = page.find(from);
  if (a == std::string::npos) return "";
  const auto b = page.find(to, a);
  return page.substr(a, b == std::string::npos ? std::string::npos : b - a + to.size());
}

}  // namespace

TEST(FormData, FieldsAreLabelledAndEscapeValuesAndErrors) {
  SignUpValues v;
  v.username = "\"><script>x</script>";
  v.errors = {{"username", "bad <thing>"}};
  const auto page = sign_up_page(site(), v, "tok\"en");
  EXPECT_EQ(page.find("<script"), std::string::npos);
  const auto input = between(page, "<input type=\"text\" id=\"username\"", ">");
  EXPECT_NE(input.find("value=\"&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""), std::string::npos)
      << input;
  EXPECT_NE(input.find("aria-invalid=\"true\""), std::string::npos) << input;
  EXPECT_NE(input.find("aria-describedby=\"username-hint username-error\""), std::string::npos)
      << input;
  EXPECT_NE(input.find(" required"), std::string::npos) << input;
  EXPECT_NE(input.find(" maxlength=\"30\""), std::string::npos) << input;
  EXPECT_NE(page.find("<label for=\"username\">Username</label>"), std::string::npos);
  EXPECT_NE(page.find("<span class=\"error\" id=\"username-error\">Bad &lt;thing&gt;.</span>"),
            std::string::npos);
  EXPECT_NE(page.find("<input type=\"hidden\" name=\"csrf_token\" value=\"tok&quot;en\">"),
            std::string::npos);
  // A field without an error is not marked.
  const auto email = between(page, "<input type=\"email\" id=\"email\"", ">");
  EXPECT_EQ(email.find("aria-invalid"), std::string::npos) << email;
  EXPECT_EQ(email.find("aria-describedby"), std::string::npos) << email;
}

TEST(FormData, PasswordsAreNeverEchoedAndLockedFieldsAreReadOnly) {
  Form f{.id = "f", .title = "T", .action = "/x", .button = "Go"};
  f.fields.push_back(Input{
      .name = "password", .label = "Password", .type = "password", .value = "hunter2hunter2"});
  f.fields.push_back(Input{.name = "email", .label = "E", .value = "a@b.c", .locked = true});
  f.fields.push_back(
      Input{.name = "reason", .label = "Why", .value = "</textarea><i>", .textarea = true});
  const auto html = render_template("_form", form_data(f));
  EXPECT_EQ(html.find("hunter2"), std::string::npos);
  EXPECT_NE(between(html, "<input type=\"text\" id=\"email\"", ">").find(" readonly"),
            std::string::npos);
  EXPECT_NE(html.find("&lt;/textarea&gt;&lt;i&gt;</textarea>"), std::string::npos);
  EXPECT_NE(html.find("<form method=\"post\" action=\"/x#f\" id=\"f\" novalidate>"),
            std::string::npos);
  EXPECT_EQ(html.find("role=\"alert\""), std::string::npos);  // no problem, no summary
}

TEST(FormData, SummaryListsEveryProblemInThePagesOrderAndLinksToTheFields) {
  SignUpValues v;
  v.errors = {{"agree", "Please read the rules and agree to them to join."},
              {"password", "the password is too short: use at least 8 characters"},
              {"username", "the username is empty"},
              {"", "You need an invite to sign up here."}};
  const auto page = sign_up_page(site(), v, "t");
  const auto summary = between(page, "<div class=\"alert summary\" role=\"alert\">", "</div>");
  ASSERT_FALSE(summary.empty()) << page;
  const std::vector<std::string> in_order = {
      "<li>You need an invite to sign up here.</li>",
      "<li><a href=\"#username\">Choose a username.</a></li>",
      "<li><a href=\"#password\">The password is too short: use at least 8 characters.</a></li>",
      "<li><a href=\"#agree\">Please read the rules and agree to them to join.</a></li>"};
  std::size_t at = 0;
  for (const auto& item : in_order) {
    const auto found = summary.find(item, at);
    EXPECT_NE(found, std::string::npos) << item << "\n" << summary;
    if (found != std::string::npos) at = found;
  }
  // The summary is the form's first content, and the form's action brings the page back to it.
  EXPECT_LT(page.find("id=\"sign-up-form\""), page.find("class=\"alert summary\""));
  EXPECT_LT(page.find("class=\"alert summary\""), page.find("<div class=\"field\">"));
  EXPECT_NE(page.find("action=\"/auth/sign_up#sign-up-form\""), std::string::npos);
  const auto agree = between(page, "<input type=\"checkbox\" id=\"agree\"", ">");
  EXPECT_NE(agree.find("aria-invalid=\"true\" aria-describedby=\"agree-error\""), std::string::npos)
      << agree;
}

TEST(FormData, ProblemsAreSentencesForPeople) {
  EXPECT_EQ(for_people("the username is empty"), "Choose a username.");
  EXPECT_EQ(for_people("the email address is empty"), "Enter your email address.");
  EXPECT_EQ(for_people("'bob' is not an email address (no @)"),
            "This is not an email address (no @).");
  EXPECT_EQ(for_people("the username 'root' is reserved"), "The username 'root' is reserved.");
  EXPECT_EQ(for_people("please say why you would like to join"),
            "Please say why you would like to join.");
  EXPECT_EQ(for_people("This username is taken. Please choose another one."),
            "This username is taken. Please choose another one.");
  // A problem worded for the operator reaches a page by its public words, which the service
  // gives: no command-line words to hide here.
  const Problem cli{"", "nothing to change: give --email or use 'instctl users modify'",
                    "there is nothing to change"};
  EXPECT_EQ(for_people(cli.for_public()), "There is nothing to change.");
  EXPECT_EQ(for_people(""), "");
}

TEST(FormData, WelcomePageOfAPendingAccountDoesNotAskToShareTheHandle) {
  onboarding::SignUpResult r;
  r.handle = "@newbie@social.example";
  r.pending = true;
  users::User grace;
  grace.username = "grace";
  grace.display_name = "Grace <H>";
  grace.note = "Ships\nand harbours";
  r.suggestions = {grace};
  const auto pending = welcome_page(site(), r, "");
  EXPECT_EQ(pending.find("Share your handle"), std::string::npos);
  EXPECT_NE(pending.find("waiting for a moderator"), std::string::npos);
  EXPECT_NE(pending.find(
                "<a class=\"who\" href=\"https://social.example/@grace\">@grace@social.example</a> "
                "Grace &lt;H&gt;<span class=\"bio\">Ships and harbours</span>"),
            std::string::npos)
      << pending;
  r.pending = false;
  EXPECT_NE(welcome_page(site(), r, "").find("Share your handle, @newbie@social.example,"),
            std::string::npos);
}

}  // namespace instctl::http::views
