#pragma once

// What an invite promises about the invitee's username. The invite mail and the invite page
// both say it with handle_sentence, so they cannot disagree.

#include <string>

#include "instctl/db/connection.hpp"
#include "instctl/instance/instance.hpp"
#include "instctl/invites/invite.hpp"

namespace instctl::invites {

enum class HandleChoice {
  free,       // the invitee chooses a username
  suggested,  // the username a waitlist entry asked for, filled in; another may be chosen
  fixed,      // an account made for the invite's address (users import --invite) waits
};

struct HandleOffer {
  HandleChoice choice = HandleChoice::free;
  std::string username;  // empty when free
};

// fixed when a local account made for the invite's address still waits for its owner to
// activate it, suggested when the invite carries a requested username, free otherwise.
HandleOffer handle_offer(db::Connection& db, const Invite& inv);

// One sentence for the invitee: "Your handle will be @quinn@example.com, the username you
// asked for ...", "Your account @amy@example.com is ready for you: ...".
std::string handle_sentence(const instance::InstanceInfo& inst, const HandleOffer& offer);

}  // namespace instctl::invites
