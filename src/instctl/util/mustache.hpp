#pragma once

// Mustache rendering (mstch) for both kinds of text instctl writes from templates: web pages
// (http/templates.hpp) and mails (mail/mail_template.hpp). mstch has one process-wide escape
// function; this sets it once to a dispatcher, and each render says which rule its {{name}}
// values get: HTML escaping (util::html_escape) for pages, util::escape_control for plain
// text, so no control character from outside data reaches a mail (a value that must span
// lines is given as a list of lines).

#include <map>
#include <mstch/mstch.hpp>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace instctl::util {

enum class Escaping { html, plain_text };

std::string render_mustache(const std::string& source, const mstch::map& data,
                            const std::map<std::string, std::string>& partials, Escaping escaping);

// A template file embedded at build time (pages: http/web_assets.hpp; mails:
// mail/mail_template.hpp).
struct TemplateFile {
  std::string_view name;  // the file name without .mustache
  std::string_view text;
};

// A template name that no file of the set has: a mistake in the code, never in input (the
// callers above util turn it into an internal error).
struct UnknownTemplate : std::logic_error {
  using std::logic_error::logic_error;
};

// A set of embedded templates whose `_name` files are the partials every template may include.
// mstch parses every partial it is given at each render: a render is given only the partials its
// template includes (directly or through another partial), found once when the set is made.
class TemplateSet {
 public:
  // `what` names the set in errors ("page", "mail").
  TemplateSet(const std::vector<TemplateFile>& files, std::string what, Escaping escaping);
  // Throws std::logic_error for an unknown name (a mistake in the code).
  std::string render(std::string_view name, const mstch::map& data) const;

 private:
  const std::vector<TemplateFile>& m_files;
  std::string m_what;
  Escaping m_escaping;
  // Template name -> the partials it includes, with their text.
  std::map<std::string, std::map<std::string, std::string>, std::less<>> m_partials_of;
};

}  // namespace instctl::util
