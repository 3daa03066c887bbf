#pragma once

// An inbox POST's body read into what the inbox acts on, before anything is authenticated or
// stored: the activity's type and actor, and the fields of the types the inbox handles
// (Follow, Undo of a Follow, Flag, Delete of the actor, Update of the actor). No I/O, so the
// same reading serves InboxService and the fuzz target of hostile bodies.

#include <optional>
#include <string>
#include <string_view>

#include "instctl/activitypub/actor_parse.hpp"
#include "instctl/activitypub/parsed.hpp"
#include "instctl/federation/flag.hpp"

namespace instctl::federation {

// Undo: its object, a URI or an embedded activity.
struct UndoTarget {
  std::string uri;                      // the undone activity's URI
  bool embedded = false;                // given as an object, not only its URI
  bool is_follow = false;               // embedded, and of type Follow
  std::optional<std::string> followed;  // embedded: the URI of the undone Follow's object
};

// Update: an embedded object that is the sending actor itself.
struct ActorUpdate {
  activitypub::Parsed<activitypub::RemoteActor> actor;  // the error when it is no actor document
};

struct InboxActivity {
  std::string type;    // the first type
  std::string actor;   // an http(s) URL with a well-formed host
  std::string domain;  // the actor's host (url_domain)
  std::optional<std::string> id;
  std::optional<std::string> object;  // the URI of "object", a string or an embedded id
  bool deletes_actor = false;         // a Delete whose object is the actor itself
  std::optional<UndoTarget> undo;     // type Undo with an object that has a URI
  std::optional<IncomingFlag> flag;   // type Flag naming an actor and an object
  std::optional<ActorUpdate> update;  // type Update of the actor itself
};

// Refuses (with the reason, for a 400) a body that is not a JSON object (or nests too deep),
// has no type, or names no http(s) actor.
activitypub::Parsed<InboxActivity> parse_inbox_activity(std::string_view body);

}  // namespace instctl::federation
