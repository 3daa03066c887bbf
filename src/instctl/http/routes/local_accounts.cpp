#include "instctl/http/routes/local_accounts.hpp"

#include "instctl/activitypub/actor.hpp"
#include "instctl/activitypub/urls.hpp"
#include "instctl/users/user_service.hpp"

namespace instctl::http {

MemberLookup lookup_member(RouteContext& ctx, std::string_view username) {
  users::UserService svc(ctx.env);
  auto user = svc.find_local(username);
  if (!user || user->status == users::Status::pending) {
    return {std::nullopt, error_response(404, "Record not found")};
  }
  const auto status = user->status;
  if (status == users::Status::deleted) {
    const auto id = activitypub::actor_url(ctx.site().public_url, user->username);
    return {std::nullopt,
            json_response(410, activitypub::tombstone(id, user->updated_at), media::k_activity),
            status};
  }
  if (status == users::Status::suspended) {
    return {std::nullopt, error_response(410, "Gone"), status};
  }
  return {std::move(user), {}, status};
}

}  // namespace instctl::http
