#pragma once

// Files the web pages are made of, embedded into the binary at build time from
// src/instctl/http/templates/ (cmake/embed_templates.cmake), as the migrations are: the
// server needs nothing installed beside it, and a template is edited as the HTML it is.

#include <string_view>
#include <vector>

#include "instctl/util/mustache.hpp"

namespace instctl::http {

using WebTemplate = util::TemplateFile;

const std::vector<WebTemplate>& embedded_templates();
// The site's icon: a 32x32 PNG in an ICO container, a couple of hundred bytes.
std::string_view favicon_ico();

}  // namespace instctl::http
