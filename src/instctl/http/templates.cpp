#include "instctl/http/templates.hpp"

#include <map>

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/http/web_assets.hpp"
#include "instctl/util/mustache.hpp"

namespace instctl::http {

namespace {

const std::map<std::string, std::string>& partials() {
  static const auto all = [] {
    std::map<std::string, std::string> out;
    for (const auto& t : embedded_templates()) {
      if (t.name.starts_with('_')) out.emplace(t.name, t.text);
    }
    return out;
  }();
  return all;
}

std::string_view source_of(std::string_view name) {
  for (const auto& t : embedded_templates()) {
    if (t.name == name) return t.text;
  }
  throw Error(ErrorKind::internal, fmt::format("no page template named '{}'", name));
}

}  // namespace

std::string render_template(std::string_view name, const TemplateData& data) {
  return util::render_mustache(std::string(source_of(name)), data, partials(), util::Escaping::html);
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
