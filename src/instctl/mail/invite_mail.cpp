#include "instctl/mail/invite_mail.hpp"

#include <fmt/format.h>

#include "instctl/util/time.hpp"

namespace instctl::mail {

Composed invite_message(const Site& site, const invites::Invite& inv,
                        const invites::HandleOffer& handle, const std::string& url) {
  auto d = site_data(site);
  d["url"] = url;
  d["has_message"] = !inv.message.empty();
  d["message"] = lines(inv.message);
  d["handle_sentence"] = invites::handle_sentence(site.info, handle);
  d["autofollows"] = inv.autofollows.empty() ? std::string()
                                             : instance::handle_list(site.info, inv.autofollows);
  d["uses"] = inv.max_uses == 1 ? std::string("once") : fmt::format("{} times", inv.max_uses);
  d["expires"] = inv.expires_at ? util::format_time_for_people(*inv.expires_at) : std::string();
  d["code"] = inv.code;
  return render_mail("invite", d);
}

}  // namespace instctl::mail
