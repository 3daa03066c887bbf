// An inbox POST body read into the activity the inbox acts on (InboxService::receive reads
// every body with parse_inbox_activity before it looks at the sender's key).
//
// Input: the body.

#include "instctl/federation/inbox_activity.hpp"

#include "fuzz_support.hpp"
#include "instctl/util/strings.hpp"

using namespace instctl;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto parsed = federation::parse_inbox_activity(fuzz::as_text(data, size));
  if (!parsed) {
    fuzz::require(!parsed.error.empty(), "a refused activity says why");
    return 0;
  }
  const auto& a = *parsed;
  fuzz::require(!a.type.empty(), "an activity has a type");
  fuzz::require(
      util::starts_with_ci(a.actor, "https://") || util::starts_with_ci(a.actor, "http://"),
      "an activity's actor is an http(s) URL");
  fuzz::require(!a.domain.empty() && a.domain.find('\0') == std::string::npos,
                "an activity's actor has a host");
  if (a.deletes_actor) fuzz::require(a.object == a.actor, "a Delete of the actor names it");
  if (a.undo)
    fuzz::require(a.type == "Undo" && (!a.undo->is_follow || a.undo->embedded), "an Undo target");
  if (a.flag) {
    fuzz::require(a.type == "Flag" && !a.flag->actor_uri.empty() && !a.flag->object_uris.empty(),
                  "a Flag names its actor and what it reports");
    fuzz::require(a.flag->actor_domain == a.domain, "a Flag's origin is the sender's domain");
  }
  if (a.update && a.update->actor) {
    const auto& actor = *a.update->actor;
    fuzz::require(actor.id == a.actor, "an Update of the actor carries the actor's own document");
    fuzz::require(
        !actor.inbox.empty() && !actor.preferred_username.empty() && !actor.public_key_pem.empty(),
        "an updated actor has an inbox, a username and a key");
  }
  return 0;
}
