#include "instctl/federation/inbox_activity.hpp"

#include "instctl/activitypub/object_ref.hpp"
#include "instctl/core/untrusted_json.hpp"
#include "instctl/federation/url_domain.hpp"

namespace instctl::federation {

namespace {

using Result = activitypub::Parsed<InboxActivity>;

std::optional<UndoTarget> undo_target(const Json& activity) {
  const Json object = activity.contains("object") ? activity["object"] : Json();
  const auto uri = activitypub::uri_of(object);
  if (!uri) return std::nullopt;
  UndoTarget t{*uri, object.is_object(), false, std::nullopt};
  if (t.embedded) {
    t.is_follow = activitypub::has_type(object, "Follow");
    t.followed = activitypub::uri_field(object, "object");
  }
  return t;
}

std::optional<ActorUpdate> actor_update(const Json& activity, const std::string& actor) {
  if (!activity.contains("object")) return std::nullopt;
  const Json& object = activity["object"];
  if (!object.is_object() || activitypub::uri_of(object) != actor) return std::nullopt;
  return ActorUpdate{activitypub::parse_actor(object.dump())};
}

}  // namespace

Result parse_inbox_activity(std::string_view body) {
  const auto doc = parse_untrusted_object(body);
  if (!doc) return Result::fail("the body is not a JSON object");
  InboxActivity a;
  a.type = activitypub::first_type(*doc);
  if (a.type.empty()) return Result::fail("the activity has no type");
  const auto actor = activitypub::uri_field(*doc, "actor");
  // url_domain is empty for anything but an http(s) URL with a well-formed host.
  if (!actor || url_domain(*actor).empty()) return Result::fail("the activity names no actor URL");
  a.actor = *actor;
  a.domain = url_domain(a.actor);
  a.id = activitypub::uri_field(*doc, "id");
  a.object = activitypub::uri_field(*doc, "object");
  a.deletes_actor = activitypub::has_type(*doc, "Delete") && a.object == a.actor;
  if (a.type == "Undo") a.undo = undo_target(*doc);
  if (a.type == "Flag") a.flag = parse_flag(*doc, a.domain);
  if (a.type == "Update") a.update = actor_update(*doc, a.actor);
  return Result::ok(std::move(a));
}

}  // namespace instctl::federation
