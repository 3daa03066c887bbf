#pragma once

// Mails from plain-text mustache templates, as the web pages come from HTML ones: the files in
// src/instctl/mail/templates/, embedded at build time (cmake/embed_templates.cmake). A
// template's first line is "Subject: ...", then a blank line, then the body. {{name}} writes a
// value with util::escape_control (no HTML escaping: this is plain text, but no control
// character from outside reaches a mail); text of several lines is given as a list of lines
// (`lines`). `_name` templates are partials: `_greeting`, `_ignore`, `_signature`.

#include <mstch/mstch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "instctl/db/connection.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/util/mustache.hpp"

namespace instctl::mail {

using MailTemplateFile = util::TemplateFile;
const std::vector<MailTemplateFile>& embedded_mail_templates();

// A mail's words, before it has a sender, a recipient, a date and a Message-ID.
struct Composed {
  std::string subject;
  std::string body;  // lines separated by \n
};

// What every mail says about the instance: its title, description, address and how to reach
// its admins (the instance.* settings).
struct Site {
  instance::InstanceInfo info;
  std::string description;
  std::string contact_email;
};
Site load_site(db::Connection& db);

// The data every template may use: instance_title, instance_description (lines), public_url,
// account_domain, contact_email; the caller adds its own.
mstch::map site_data(const Site& site);

// Renders the template `name`. Throws Error(internal) for an unknown name or a template
// without its Subject line.
Composed render_mail(std::string_view name, const mstch::map& data);

// Text of several lines as a list for {{#lines}}{{.}}{{/lines}}: each line escaped on its
// own, so the text keeps its line breaks and nothing else.
mstch::array lines(std::string_view text);

// "Quinn" (the display name) or "quinn" (the username) for "Hello Quinn,".
std::string greeting_name(std::string_view display_name, std::string_view username);

}  // namespace instctl::mail
