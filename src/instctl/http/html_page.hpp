#pragma once

// The response every page is sent with, and the pieces the onboarding forms are made of. The
// document around them (lang, viewport, the style sheet in _style.mustache, no script, the
// footer) comes from the templates (templates.hpp, routes/site_frame.hpp). Every text that
// goes into these pieces passes through util::html_escape.

#include <string>
#include <string_view>

#include "instctl/http/message.hpp"

namespace instctl::http {

// text/html with the headers every page carries: no caching (forms hold tokens), no framing,
// no scripts at all, no Referer to other sites (invite codes are in URLs; "no-referrer" would
// make browsers send "Origin: null" with the forms, which the same-origin check refuses).
Response html_response(int status, std::string document);

// Escaped text in an element: tag("p", "a < b") is <p>a &lt; b</p>.
std::string tag(std::string_view name, std::string_view text);

struct Input {
  std::string name;
  std::string label;
  std::string type = "text";  // text, email, password
  std::string value;          // shown again after an error (never for passwords)
  std::string error;          // shown beside the field, which is marked invalid
  std::string hint;
  std::string autocomplete;
  bool required = true;
  bool locked = false;  // read-only (an invite bound to one address)
  int max_length = 0;
};
// A labelled input with its hint and its error, tied together by ids for screen readers.
std::string input_field(const Input& in);
std::string textarea_field(const Input& in);
// A required checkbox with its label; `label_html` is markup.
std::string checkbox_field(std::string_view name, std::string_view label_html, bool checked,
                           std::string_view error);
std::string hidden_field(std::string_view name, std::string_view value);
// A message about the form as a whole (role=alert).
std::string form_error(std::string_view message);

}  // namespace instctl::http
