#include "instctl/invites/handle_offer.hpp"

#include <fmt/format.h>

#include "instctl/users/account_store.hpp"

namespace instctl::invites {

HandleOffer handle_offer(db::Connection& db, const Invite& inv) {
  if (inv.email) {
    const auto owner = users::AccountStore(db).local_by_email(*inv.email);
    if (owner && owner->activation_pending) return {HandleChoice::fixed, owner->username};
  }
  if (inv.username && !inv.username->empty()) return {HandleChoice::suggested, *inv.username};
  return {};
}

std::string handle_sentence(const instance::InstanceInfo& inst, const HandleOffer& offer) {
  switch (offer.choice) {
    case HandleChoice::fixed:
      return fmt::format("Your account {} is ready for you: choose a password to take it.",
                         instance::handle(inst, offer.username));
    case HandleChoice::suggested:
      return fmt::format(
          "Your handle will be {}, the username you asked for (you can still "
          "choose another when you sign up).",
          instance::handle(inst, offer.username));
    case HandleChoice::free:
      break;
  }
  return fmt::format("Your handle will be @username@{}, with the username you choose.",
                     inst.account_domain);
}

}  // namespace instctl::invites
