#include "instctl/http/templates.hpp"

#include "instctl/http/web_assets.hpp"
#include "instctl/util/mustache.hpp"

namespace instctl::http {

std::string render_template(std::string_view name, const TemplateData& data) {
  static const util::TemplateSet pages(embedded_templates(), "page", util::Escaping::html);
  return pages.render(name, data);
}

mstch::array text_paragraphs(std::string_view text) {
  mstch::array out;
  mstch::array lines;
  auto flush = [&] {
    if (!lines.empty()) out.emplace_back(mstch::map{{"lines", std::move(lines)}});
    lines = mstch::array();
  };
  std::size_t pos = 0;
  while (pos <= text.size()) {
    const auto nl = text.find('\n', pos);
    std::string_view line = text.substr(pos, nl == std::string_view::npos ? text.npos : nl - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == std::string_view::npos) {
      flush();
    } else {
      lines.emplace_back(mstch::map{{"text", std::string(line)}, {"first", lines.empty()}});
    }
    if (nl == std::string_view::npos) break;
    pos = nl + 1;
  }
  flush();
  return out;
}

}  // namespace instctl::http
