#include "instctl/mail/waitlist_mail.hpp"

#include "instctl/util/time.hpp"

namespace instctl::mail {

Composed waitlist_confirmation_message(const Site& site, const std::string& url,
                                       UnixTime expires_at) {
  auto d = site_data(site);
  d["url"] = url;
  d["expires"] = util::format_time_for_people(expires_at);
  return render_mail("waitlist_confirmation", d);
}

}  // namespace instctl::mail
