#include "instctl/users/notify.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/util/escape.hpp"

namespace instctl::users {

std::string parse_notify(std::string_view text) {
  if (text == "none") return "none";
  if (text == "digest") return "digest";
  bool reports = false, pending = false;
  std::size_t pos = 0;
  while (pos <= text.size()) {
    auto comma = text.find(',', pos);
    if (comma == std::string_view::npos) comma = text.size();
    const auto item = text.substr(pos, comma - pos);
    if (item == "reports") reports = true;
    else if (item == "pending") pending = true;
    else {
      throw Error(ErrorKind::usage,
                  fmt::format("--notify {}: give reports, pending, reports,pending (a mail as "
                              "each happens), digest (one mail a day about both) or none",
                              util::escape_control(text)));
    }
    pos = comma + 1;
  }
  if (reports && pending) return "reports,pending";
  return reports ? "reports" : "pending";
}

}  // namespace instctl::users
