// The delivery queue: grouping by shared inbox, policy drops, claims and leases.

#include "instctl/federation/delivery_queue.hpp"

#include <gtest/gtest.h>

#include "acting.hpp"
#include "instctl/activitypub/activities.hpp"
#include "instctl/core/error.hpp"
#include "instctl/federation/delivery_admin.hpp"
#include "instctl/federation/delivery_store.hpp"
#include "instctl/federation/delivery_worker.hpp"
#include "instctl/federation/domain_service.hpp"
#include "instctl/users/account_store.hpp"
#include "instctl/users/user_service.hpp"
#include "test_support.hpp"

namespace instctl::federation {
namespace {

class DeliveryQueueTest : public ::testing::Test {
 protected:
  DeliveryQueueTest() {
    users::CreateRequest req;
    req.username = "writer";
    req.email = "writer@example.com";
    writer = users::UserService(inst.env).create(req).user.id;
    remote("alice", "https://a.example/users/alice/inbox", "https://a.example/inbox");
    remote("bob", "https://a.example/users/bob/inbox", "https://a.example/inbox");
    remote("carol", "https://c.example/users/carol/inbox", std::nullopt);
  }

  void remote(const std::string& name, const std::string& inbox,
              const std::optional<std::string>& shared) {
    const std::string domain = inbox.substr(8, inbox.find('/', 8) - 8);
    inst.conn
        ->prepare(
            "INSERT INTO accounts (username, username_key, domain, inbox_url, shared_inbox_url, "
            "actor_uri, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 0, 0)")
        ->bind_all(name, name, domain, inbox, shared, "https://" + domain + "/users/" + name)
        .run();
    inst.conn
        ->prepare(
            "INSERT INTO follows (follower_id, followed_id, created_at) "
            "SELECT id, ?, 0 FROM accounts WHERE username = ? AND domain = ?")
        ->bind_all(writer, name, domain)
        .run();
  }

  std::int64_t id_of(const std::string& name) {
    auto st = inst.conn->prepare("SELECT id FROM accounts WHERE username = ?");
    st->bind_all(name);
    st->step();
    return st->get_int(0);
  }

  Json activity(const std::string& id) {
    return Json{{"id", id}, {"type", "Update"}, {"actor", "https://localhost:8080/users/writer"}};
  }

  test::TestInstance inst;
  std::int64_t writer = 0;
};

TEST_F(DeliveryQueueTest, GroupsFollowersByInbox) {
  const auto r = DeliveryQueue(inst.env).to_followers(activity("https://x/1"), writer);
  EXPECT_EQ(r.queued, 2u);  // a.example's shared inbox once, carol's own inbox
  const auto jobs = DeliveryStore(*inst.conn).list(QueueFilter::pending, 0);
  ASSERT_EQ(jobs.size(), 2u);
  EXPECT_EQ(jobs[0].inbox_url, "https://a.example/inbox");
  EXPECT_EQ(jobs[1].inbox_url, "https://c.example/users/carol/inbox");
  EXPECT_EQ(*jobs[0].sender_account_id, writer);
  // The same activity to the same inbox is one job.
  EXPECT_EQ(DeliveryQueue(inst.env).to_followers(activity("https://x/1"), writer).queued, 0u);
}

TEST_F(DeliveryQueueTest, SuspendedDomainsAreDropped) {
  BlockRequest b;
  b.domain = "a.example";
  DomainService(inst.env).block(b);
  const auto r = DeliveryQueue(inst.env).to_followers(activity("https://x/2"), writer);
  EXPECT_EQ(r.queued, 1u);
  EXPECT_EQ(r.dropped, 1u);
}

TEST_F(DeliveryQueueTest, SuspendingALocalUserTellsItsFollowersAndUnsuspendingBringsItBack) {
  users::UserService users(inst.env);
  test::act(inst.env, "writer", moderation::Action::suspend, "spam");
  auto jobs = DeliveryStore(*inst.conn).list(QueueFilter::pending, 0);
  ASSERT_EQ(jobs.size(), 2u);  // one per inbox
  EXPECT_EQ(jobs[0].activity_type, "Delete");
  EXPECT_EQ(Json::parse(jobs[0].activity)["object"], "https://localhost:8080/users/writer");
  EXPECT_EQ(*jobs[0].sender_account_id, writer);

  inst.clock.advance(60);
  test::act(inst.env, "writer", moderation::Action::unsuspend, std::nullopt);
  jobs = DeliveryStore(*inst.conn).list(QueueFilter::pending, 0);
  ASSERT_EQ(jobs.size(), 4u);
  EXPECT_EQ(jobs[2].activity_type, "Update");
  EXPECT_EQ(Json::parse(jobs[2].activity)["object"]["id"], "https://localhost:8080/users/writer");

  // Silencing is not announced.
  test::act(inst.env, "writer", moderation::Action::silence, std::string("test"));
  EXPECT_EQ(DeliveryStore(*inst.conn).list(QueueFilter::pending, 0).size(), 4u);
}

TEST_F(DeliveryQueueTest, InstanceActorAndAccounts) {
  const auto r = DeliveryQueue(inst.env).to_accounts(
      Json{{"id", "https://localhost:8080/flags/1"}, {"type", "Flag"}}, Sender::instance_actor(),
      {id_of("alice"), id_of("bob")});  // they share an inbox
  EXPECT_EQ(r.queued, 1u);
  EXPECT_FALSE(DeliveryStore(*inst.conn).list(QueueFilter::pending, 0)[0].sender_account_id);
  EXPECT_THROW(DeliveryQueue(inst.env).to_inbox(Json{{"type", "Flag"}}, Sender::instance_actor(),
                                                "https://a/"),
               Error);
}

TEST_F(DeliveryQueueTest, ClaimsAreExclusiveLeases) {
  DeliveryQueue(inst.env).to_followers(activity("https://x/3"), writer);
  DeliveryStore store(*inst.conn);
  const auto now = inst.clock.now();
  const auto a = store.claim("w1", now, 300);
  const auto b = store.claim("w2", now, 300);
  ASSERT_TRUE(a && b);
  EXPECT_NE(a->id, b->id);
  EXPECT_EQ(a->attempts, 1);
  EXPECT_FALSE(store.claim("w2", now, 300));  // both held
  // w1 dies; after its lease w2 takes the job over, and w1 can no longer record anything.
  const auto c = store.claim("w2", now + 301, 300);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->attempts, 2);
  EXPECT_FALSE(store.mark_delivered(a->id, "w1", 202, now + 302));
  EXPECT_TRUE(store.mark_delivered(c->id, "w2", 202, now + 302));
  EXPECT_EQ(store.get(c->id)->state, "delivered");
}

TEST_F(DeliveryQueueTest, OperatorRetryAndDropAreCheckedAndAudited) {
  DeliveryQueue(inst.env).to_followers(activity("https://x/4"), writer);
  DeliveryStore store(*inst.conn);
  const auto now = inst.clock.now();
  const auto dead = store.claim("w", now, 300);
  const auto done = store.claim("w", now, 300);
  ASSERT_TRUE(dead && done);
  ASSERT_TRUE(store.mark_dead(dead->id, "w", 500, "boom", now));
  ASSERT_TRUE(store.mark_delivered(done->id, "w", 202, now));
  DeliveryAdmin admin(inst.env);
  EXPECT_EQ(test::kind_of([&] { admin.retry(9999); }), ErrorKind::not_found);
  EXPECT_EQ(test::kind_of([&] { admin.retry(done->id); }), ErrorKind::conflict)
      << "already delivered";
  EXPECT_EQ(admin.retry_dead(), 1);
  EXPECT_EQ(store.get(dead->id)->state, "pending");
  EXPECT_EQ(admin.drop(dead->id).id, dead->id);
  EXPECT_FALSE(store.get(dead->id));
  EXPECT_EQ(test::kind_of([&] { admin.drop(dead->id); }), ErrorKind::not_found);
  auto st = inst.conn->prepare(
      "SELECT group_concat(action, ' ') FROM (SELECT action FROM audit_log WHERE action LIKE "
      "'federation.queue_%' ORDER BY id)");
  st->step();
  EXPECT_EQ(st->get_text(0), "federation.queue_retry federation.queue_drop");
}

TEST_F(DeliveryQueueTest, AKeyRotationsUpdateIsSignedWithTheReplacedKeyKeptUntilDelivered) {
  users::UserService svc(inst.env);
  const auto old_key = svc.ensure_keys(writer);
  svc.rotate_keys({"writer"}, nullptr);
  const auto new_key = svc.ensure_keys(writer);
  ASSERT_NE(old_key.private_pem, new_key.private_pem);
  DeliveryStore store(*inst.conn);
  auto jobs = store.list(QueueFilter::pending, 0);
  ASSERT_EQ(jobs.size(), 2u);
  for (const auto& j : jobs) {
    EXPECT_EQ(j.activity_type, "Update");
    ASSERT_TRUE(j.signing_key_id);
    EXPECT_EQ(users::AccountStore(*inst.conn).retired_private_key(writer, *j.signing_key_id),
              old_key.private_pem);
    EXPECT_EQ(Json::parse(j.activity)["object"]["publicKey"]["publicKeyPem"], new_key.public_pem);
  }
  // Kept while a job needs it, even one held by a worker that may have died.
  const auto held = store.claim("w1", inst.clock.now(), 300);
  ASSERT_TRUE(held);
  store.purge_delivered(inst.clock.now());
  EXPECT_TRUE(users::AccountStore(*inst.conn).retired_private_key(writer, *jobs[0].signing_key_id));
  store.mark_delivered(held->id, "w1", 202, inst.clock.now());
  const auto second = store.claim("w1", inst.clock.now(), 300);
  ASSERT_TRUE(second);
  store.mark_delivered(second->id, "w1", 202, inst.clock.now());
  store.purge_delivered(inst.clock.now() - 86400);
  EXPECT_FALSE(
      users::AccountStore(*inst.conn).retired_private_key(writer, *jobs[0].signing_key_id));
  // Activities after the rotation name no retired key: the new key signs them.
  svc.rotate_keys({"writer"}, nullptr);
  jobs = store.list(QueueFilter::pending, 0);
  ASSERT_EQ(jobs.size(), 2u) << "a second rotation in the same second is a new Update";
  DeliveryQueue(inst.env).to_followers(activity("https://x/after"), writer);
  for (const auto& j : store.list(QueueFilter::pending, 0)) {
    EXPECT_EQ(j.signing_key_id.has_value(), j.activity_id != "https://x/after");
  }
}

TEST_F(DeliveryQueueTest, AUserWithoutFollowersKeepsNoRetiredKey) {
  users::CreateRequest req;
  req.username = "loner";
  req.email = "loner@example.com";
  const auto loner = users::UserService(inst.env).create(req).user.id;
  users::UserService svc(inst.env);
  svc.ensure_keys(loner);
  svc.rotate_keys({"loner"}, nullptr);
  auto st = inst.conn->prepare("SELECT count(*) FROM retired_keys");
  st->step();
  EXPECT_EQ(st->get_int(0), 0);
}

TEST(Activities, DeleteAndUpdate) {
  const auto del = activitypub::delete_actor("https://h/users/a", 5);
  EXPECT_EQ(del["type"], "Delete");
  EXPECT_EQ(del["object"], "https://h/users/a");
  const Json doc{{"@context", Json::array({"ctx"})}, {"id", "https://h/users/a"}};
  const auto update = activitypub::update_actor(doc, 5, "n1");
  EXPECT_EQ(update["object"], doc);
  EXPECT_EQ(update["@context"], doc["@context"]);
  EXPECT_EQ(update["id"], "https://h/users/a#update-5-n1");
  EXPECT_NE(activitypub::update_actor(doc, 5, "n2")["id"], update["id"]);
}

}  // namespace
}  // namespace instctl::federation
