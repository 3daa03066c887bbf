#include "instctl/users/account_mails.hpp"

#include <fmt/format.h>

#include "instctl/util/time.hpp"

namespace instctl::users {

using mail::greeting_name;
using mail::lines;
using mail::render_mail;
using mail::site_data;

namespace {
// The site's data, the greeting for `user` and their handle.
mstch::map person_data(const Site& site, const User& user) {
  auto d = site_data(site);
  d["name"] = greeting_name(user.display_name, user.username);
  d["username"] = user.username;
  d["handle"] = instance::handle(site.info, user.username);
  return d;
}

mstch::array as_array(const std::vector<std::string>& items) {
  mstch::array out;
  for (const auto& i : items) out.emplace_back(i);
  return out;
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

// The subject and the sentence saying what was done.
std::pair<std::string, std::string> moderation_words(const Site& site, std::string_view action) {
  const auto& t = site.info.title;
  if (action == "warn") {
    return {fmt::format("A warning from the moderators of {}", t),
            fmt::format("The moderators of {} have sent you a warning about your account.", t)};
  }
  if (action == "silence") {
    return {fmt::format("Your account on {} is limited", t),
            fmt::format("The moderators of {} have limited your account: people who do not "
                        "follow you will not see your posts.",
                        t)};
  }
  if (action == "suspend") {
    return {fmt::format("Your account on {} is suspended", t),
            fmt::format("The moderators of {} have suspended your account: you cannot use it, "
                        "and other servers have been told it is gone.",
                        t)};
  }
  if (action == "disable") {
    return {fmt::format("Your account on {} is disabled", t),
            fmt::format("The moderators of {} have disabled your account: you cannot sign in.", t)};
  }
  return {fmt::format("About your account on {}", t),
          fmt::format("The moderators of {} have acted on your account ({}).", t, action)};
}
}  // namespace

Composed approved_message(const Site& site, const User& user) {
  auto d = person_data(site, user);
  d["activation_pending"] = user.activation_pending;
  return render_mail("approved", d);
}

Composed rejected_message(const Site& site, const User& user) {
  return render_mail("rejected", person_data(site, user));
}

Composed welcome_message(const Site& site, const User& user) {
  return render_mail("welcome", person_data(site, user));
}

Composed moderation_message(const Site& site, const User& user, const ModerationNotice& n) {
  auto d = person_data(site, user);
  const auto [subject, sentence] = moderation_words(site, n.action);
  d["subject"] = subject;
  d["sentence"] = sentence;
  d["has_text"] = n.text && !blank(*n.text);
  d["text"] = lines(n.text.value_or(""));
  d["has_rules"] = !n.rules.empty();
  d["rules"] = as_array(n.rules);
  d["date"] = util::format_time_for_people(n.at);
  return render_mail("moderation", d);
}

Composed report_message(const Site& site, const User& to, const ReportNotice& n) {
  auto d = person_data(site, to);
  d["id"] = std::to_string(n.id);
  d["target"] = n.target;
  d["reporter"] = n.reporter.empty() ? std::string("The operator") : n.reporter;
  d["category"] = n.category;
  d["has_comment"] = !blank(n.comment);
  d["comment"] = lines(n.comment);
  d["has_rules"] = !n.rules.empty();
  d["rules"] = as_array(n.rules);
  d["date"] = util::format_time_for_people(n.at);
  return render_mail("report", d);
}

Composed pending_message(const Site& site, const User& to, const User& newcomer) {
  auto d = person_data(site, to);
  d["handle"] = instance::handle(site.info, newcomer.username);
  d["new_username"] = newcomer.username;
  d["email"] = newcomer.email.value_or("no address");
  d["date"] = util::format_time_for_people(newcomer.created_at);
  d["has_reason"] = false;
  return render_mail("pending", d);
}

Composed reset_message(const Site& site, const User& user, const std::string& url,
                       UnixTime expires_at) {
  auto d = person_data(site, user);
  d["url"] = url;
  d["expires"] = util::format_time_for_people(expires_at);
  return render_mail("password_reset", d);
}

}  // namespace instctl::users
