#pragma once

// Mustache rendering (mstch) for both kinds of text instctl writes from templates: web pages
// (http/templates.hpp) and mails (mail/mail_template.hpp). mstch has one process-wide escape
// function; this sets it once to a dispatcher, and each render says which rule its {{name}}
// values get: HTML escaping (util::html_escape) for pages, util::escape_control for plain
// text, so no control character from outside data reaches a mail (a value that must span
// lines is given as a list of lines).

#include <map>
#include <string>

#include <mstch/mstch.hpp>

namespace instctl::util {

enum class Escaping { html, plain_text };

std::string render_mustache(const std::string& source, const mstch::map& data,
                            const std::map<std::string, std::string>& partials, Escaping escaping);

}  // namespace instctl::util
