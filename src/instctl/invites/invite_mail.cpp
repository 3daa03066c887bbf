#include "instctl/invites/invite_mail.hpp"

#include <fmt/format.h>

#include "instctl/core/error.hpp"
#include "instctl/invites/invite_service.hpp"
#include "instctl/invites/invite_store.hpp"
#include "instctl/util/time.hpp"

namespace instctl::invites {

mail::Composed invite_message(const mail::Site& site, const Invite& inv, const HandleOffer& handle,
                              const std::string& url) {
  auto d = mail::site_data(site);
  d["url"] = url;
  d["has_message"] = !inv.message.empty();
  d["message"] = mail::lines(inv.message);
  d["handle_sentence"] = handle_sentence(site.info, handle);
  d["autofollows"] =
      inv.autofollows.empty() ? std::string() : instance::handle_list(site.info, inv.autofollows);
  d["uses"] = inv.max_uses == 1 ? std::string("once") : fmt::format("{} times", inv.max_uses);
  d["expires"] = inv.expires_at ? util::format_time_for_people(*inv.expires_at) : std::string();
  d["code"] = inv.code;
  return mail::render_mail("invite", d);
}

mail::WrittenMail InviteMailWriter::write(Env& env, const mail::Site& site,
                                          std::int64_t invite_id) {
  const auto inv = InviteStore(env.db).by_id(invite_id);
  if (!inv) throw Error(ErrorKind::internal, fmt::format("no invite {} for its mail", invite_id));
  return {invite_message(site, *inv, handle_offer(env.db, *inv),
                         invite_url(site.info.public_url, *inv)),
          inv->audit_target()};
}

}  // namespace instctl::invites
