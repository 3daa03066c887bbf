#pragma once

#include <string>

#include "instctl/activitypub/profile.hpp"
#include "instctl/core/json.hpp"
#include "instctl/instance/instance.hpp"

namespace instctl::activitypub {

// The @context Mastodon puts on actors: ActivityStreams, the security vocabulary (publicKey),
// and the extension terms used (manuallyApprovesFollowers, discoverable).
Json actor_context();

// A local user's Person, as Mastodon builds it.
Json local_actor(const instance::InstanceInfo& site, const LocalProfile& user,
                 const std::string& public_key_pem);
// The instance actor (/actor): an Application that signs Flags and fetches.
Json instance_actor(const instance::InstanceInfo& site, const std::string& public_key_pem);
// What a deleted actor's URL answers (with 410 Gone).
Json tombstone(const std::string& id, UnixTime deleted_at);

}  // namespace instctl::activitypub
