#include "instctl/mail/mail_template.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/instance/settings.hpp"
#include "instctl/util/mustache.hpp"

namespace instctl::mail {

namespace {
// Blank lines left by sections that wrote nothing are folded: at most one empty line in a row,
// none at the start.
std::string tidy(std::string_view text) {
  std::string out;
  int blank = 1;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    // "-- " is the signature separator: its trailing space is meant.
    while (!line.empty() && line.back() == ' ' && line != "-- ") line.remove_suffix(1);
    if (line.empty()) {
      if (blank++ == 0) out += '\n';
    } else {
      blank = 0;
      out.append(line);
      out += '\n';
    }
    pos = nl + 1;
  }
  return out;
}
}  // namespace

Site load_site(db::Connection& db) {
  instance::Settings s(db);
  return Site{instance::load(db), s.get("instance.description"), s.get("instance.contact_email")};
}

mstch::map site_data(const Site& site) {
  return mstch::map{{"instance_title", site.info.title},
                    {"instance_description", lines(site.description)},
                    {"public_url", site.info.public_url},
                    {"account_domain", site.info.account_domain},
                    {"contact_email", site.contact_email}};
}

Composed render_mail(std::string_view name, const mstch::map& data) {
  static const util::TemplateSet mails(embedded_mail_templates(), "mail",
                                       util::Escaping::plain_text);
  std::string text;
  try {
    text = mails.render(name, data);
  } catch (const util::UnknownTemplate& e) {
    throw Error(ErrorKind::internal, e.what());
  }
  constexpr std::string_view k_subject = "Subject: ";
  const auto nl = text.find('\n');
  if (!text.starts_with(k_subject) || nl == std::string::npos) {
    throw Error(ErrorKind::internal,
                fmt::format("the mail template '{}' has no Subject line", name));
  }
  return Composed{text.substr(k_subject.size(), nl - k_subject.size()),
                  tidy(std::string_view(text).substr(nl + 1))};
}

mstch::array lines(std::string_view text) {
  mstch::array out;
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out.emplace_back(std::string(line));
    pos = nl + 1;
  }
  return out;
}

std::string greeting_name(std::string_view display_name, std::string_view username) {
  return std::string(display_name.empty() ? username : display_name);
}

}  // namespace instctl::mail
