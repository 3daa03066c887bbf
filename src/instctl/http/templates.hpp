#pragma once

// HTML from mustache templates (mstch), the one way pages are written: {{name}} escapes its
// value with util::html_escape (& < > " '), so data always reaches a page as text. No template
// writes a value unescaped ({{{name}}}, {{& name}}); a unit test keeps it that way.
// Templates are the files in src/instctl/http/templates/, embedded at build time; the ones
// whose name starts with "_" are partials every page may include ({{> _head}}).

#include <mstch/mstch.hpp>
#include <string>
#include <string_view>

namespace instctl::http {

using TemplateData = mstch::map;

// Renders the template `name` with `data`. Throws Error(internal) for an unknown name.
std::string render_template(std::string_view name, const TemplateData& data);

// Plain text as paragraphs of lines, for {{#paragraphs}}<p>{{#lines}}...{{/lines}}</p>: blank
// lines separate paragraphs, single line breaks become lines (each {text, first}), as
// util::text_to_html does for bios.
mstch::array text_paragraphs(std::string_view text);

// Markdown (util::markdown's safe subset) as the data of the _markdown partial: `blocks`, each
// with one of paragraph, heading (level), bullets, numbered, quote, rule; the text as items of
// lines of spans ({text}, {strong}, {em}, {code}, {link, href}).
mstch::map markdown_data(std::string_view text);

}  // namespace instctl::http
