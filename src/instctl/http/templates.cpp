#include "instctl/http/templates.hpp"

#include <algorithm>

#include "instctl/core/error.hpp"
#include "instctl/http/web_assets.hpp"
#include "instctl/util/markdown.hpp"
#include "instctl/util/mustache.hpp"

namespace instctl::http {

std::string render_template(std::string_view name, const TemplateData& data) {
  static const util::TemplateSet pages(embedded_templates(), "page", util::Escaping::html);
  try {
    return pages.render(name, data);
  } catch (const util::UnknownTemplate& e) {
    throw Error(ErrorKind::internal, e.what());
  }
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

namespace {

mstch::array span_data(const util::markdown::Line& line) {
  using util::markdown::SpanKind;
  mstch::array out;
  for (const auto& s : line) {
    // Every flag is set on each span, so a section never finds a name of an outer context.
    mstch::map m{{"value", s.text}, {"text", false}, {"strong", false},      {"em", false},
                 {"code", false},   {"link", false}, {"href", std::string()}};
    switch (s.kind) {
      case SpanKind::text:
        m["text"] = true;
        break;
      case SpanKind::strong:
        m["strong"] = true;
        break;
      case SpanKind::em:
        m["em"] = true;
        break;
      case SpanKind::code:
        m["code"] = true;
        break;
      case SpanKind::link:
        m["link"] = true;
        m["href"] = s.href;
        break;
    }
    out.emplace_back(std::move(m));
  }
  return out;
}

mstch::array item_data(const std::vector<util::markdown::Line>& lines) {
  mstch::array out;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    out.emplace_back(mstch::map{{"first", i == 0}, {"spans", span_data(lines[i])}});
  }
  return out;
}

}  // namespace

mstch::map markdown_data(std::string_view text) {
  using util::markdown::BlockKind;
  mstch::array blocks;
  for (const auto& b : util::markdown::parse(text)) {
    mstch::array items;
    for (const auto& item : b.items) items.emplace_back(mstch::map{{"lines", item_data(item)}});
    mstch::map m{{"items", std::move(items)},
                 {"paragraph", false},
                 {"heading", false},
                 {"bullets", false},
                 {"numbered", false},
                 {"quote", false},
                 {"rule", false},
                 {"level", std::string()}};
    switch (b.kind) {
      case BlockKind::paragraph:
        m["paragraph"] = true;
        break;
      case BlockKind::heading:
        // The page's own title is its h1: the text's headings start one level below.
        m["heading"] = true;
        m["level"] = std::to_string(std::min(b.level + 1, 6));
        break;
      case BlockKind::bullet_list:
        m["bullets"] = true;
        break;
      case BlockKind::ordered_list:
        m["numbered"] = true;
        break;
      case BlockKind::quote:
        m["quote"] = true;
        break;
      case BlockKind::rule:
        m["rule"] = true;
        break;
    }
    blocks.emplace_back(std::move(m));
  }
  return mstch::map{{"blocks", std::move(blocks)}};
}

}  // namespace instctl::http
