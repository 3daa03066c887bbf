#pragma once

#include <string>
#include <string_view>

namespace instctl::util {

// & < > " ' escaped: safe in HTML and XML text and attribute values.
std::string html_escape(std::string_view text);
// Plain text as HTML paragraphs, as Mastodon renders a profile bio: blank lines separate <p>s,
// single line breaks become <br>. Empty text gives "".
std::string text_to_html(std::string_view text);

}  // namespace instctl::util
