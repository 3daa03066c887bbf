#include "instctl/users/notify.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/users/account_store.hpp"
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
    if (item == "reports")
      reports = true;
    else if (item == "pending")
      pending = true;
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

std::vector<User> staff_for(Env& env, mail::StaffTopic topic) {
  std::vector<User> out;
  // The query asks for staff with an address; checked again here, the one promise that
  // matters: notifications never go to anyone else.
  for (auto& u : AccountStore(env.db).staff_to_notify(mail::to_string(topic))) {
    if (u.is_staff() && u.is_local() && u.email) out.push_back(std::move(u));
  }
  return out;
}

}  // namespace instctl::users
