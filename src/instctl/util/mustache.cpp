#include "instctl/util/mustache.hpp"

#include <mutex>

#include "instctl/util/escape.hpp"
#include "instctl/util/html.hpp"

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

}  // namespace instctl::util
