#pragma once

// The response every page is sent with. The pages themselves (lang, viewport, the style sheet
// in _style.mustache, no script, the footer, the forms) come from the templates
// (templates.hpp, routes/site_frame.hpp, routes/form_data.hpp).

#include <string>

#include "instctl/net/http_message.hpp"

namespace instctl::http {

// text/html with the headers every page carries: no caching (forms hold tokens), no framing,
// no scripts at all, no Referer to other sites (invite codes are in URLs; "no-referrer" would
// make browsers send "Origin: null" with the forms, which the same-origin check refuses).
Response html_response(int status, std::string document);

}  // namespace instctl::http
