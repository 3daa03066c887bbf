#include "instctl/util/mustache.hpp"

#include <fmt/format.h>

#include <mutex>
#include <stdexcept>

#include "instctl/util/escape.hpp"
#include "instctl/util/html.hpp"
#include "instctl/util/strings.hpp"

namespace instctl::util {

namespace {
// The rule of the render running on this thread (renders are synchronous).
thread_local Escaping t_escaping = Escaping::html;

void install_dispatcher() {
  static std::once_flag once;
  std::call_once(once, [] {
    // mstch's own escaping also turns '/' into &#x2F;, which makes every URL in an attribute
    // unreadable: the project's rules replace it.
    mstch::config::escape = [](const std::string& s) {
      return t_escaping == Escaping::html ? html_escape(s) : escape_control(s);
    };
  });
}
}  // namespace

std::string render_mustache(const std::string& source, const mstch::map& data,
                            const std::map<std::string, std::string>& partials, Escaping escaping) {
  install_dispatcher();
  const Escaping before = t_escaping;
  t_escaping = escaping;
  try {
    auto out = mstch::render(source, data, partials);
    t_escaping = before;
    return out;
  } catch (...) {
    t_escaping = before;
    throw;
  }
}

namespace {
// The partials a template's text names ({{> name}}), in the order they appear.
std::vector<std::string> named_partials(std::string_view text) {
  std::vector<std::string> out;
  for (auto pos = text.find("{{>"); pos != std::string_view::npos;
       pos = text.find("{{>", pos + 3)) {
    const auto end = text.find("}}", pos + 3);
    if (end == std::string_view::npos) break;
    out.emplace_back(trim(text.substr(pos + 3, end - pos - 3)));
  }
  return out;
}
}  // namespace

TemplateSet::TemplateSet(const std::vector<TemplateFile>& files, std::string what,
                         Escaping escaping)
    : m_files(files), m_what(std::move(what)), m_escaping(escaping) {
  std::map<std::string, std::string_view, std::less<>> partials;
  for (const auto& t : m_files) {
    if (t.name.starts_with('_')) partials.emplace(t.name, t.text);
  }
  for (const auto& t : m_files) {
    auto& used = m_partials_of[std::string(t.name)];
    std::vector<std::string> todo = named_partials(t.text);
    while (!todo.empty()) {
      const auto name = std::move(todo.back());
      todo.pop_back();
      const auto it = partials.find(name);
      if (it == partials.end() || !used.emplace(name, it->second).second) continue;
      for (auto& more : named_partials(it->second)) todo.push_back(std::move(more));
    }
  }
}

std::string TemplateSet::render(std::string_view name, const mstch::map& data) const {
  for (const auto& t : m_files) {
    if (t.name == name) {
      return render_mustache(std::string(t.text), data, m_partials_of.find(name)->second,
                             m_escaping);
    }
  }
  // A name the code gives that no template file has: a mistake in the code, never in input.
  throw UnknownTemplate(fmt::format("no {} template named '{}'", m_what, name));
}

}  // namespace instctl::util
