// The inbox service: every refusal of the verification, the key cache and its re-fetch, and
// the handled activities, against an in-memory peer (no network).

#include "instctl/federation/inbox_service.hpp"

#include <gtest/gtest.h>

#include <map>

#include "instctl/crypto/keys.hpp"
#include "instctl/crypto/message_signature.hpp"
#include "instctl/federation/domain_service.hpp"
#include "instctl/federation/peer_store.hpp"
#include "instctl/reports/flag_reports.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/util/time.hpp"
#include "test_support.hpp"

namespace instctl::federation {
namespace {

constexpr const char* k_pat = "https://remote.example/users/pat";
constexpr const char* k_rex = "https://remote.example/users/rex";

const crypto::KeyPair& key(int n) {
  static const crypto::KeyPair keys[] = {crypto::generate_rsa_key_pair(),
                                         crypto::generate_rsa_key_pair(),
                                         crypto::generate_rsa_key_pair()};
  return keys[n];
}

// Serves documents by URL and records what was asked.
class MemoryPeer final : public net::HttpClient {
 public:
  std::map<std::string, std::pair<long, std::string>> docs;
  std::vector<std::string> asked;
  net::HttpResponse send(const net::HttpRequest& r) override {
    asked.push_back(r.url);
    const auto it = docs.find(r.url);
    if (it == docs.end()) return net::HttpResponse{404, {}, "", r.url};
    return net::HttpResponse{it->second.first, {}, it->second.second, r.url};
  }
};

Json actor_doc(const std::string& id, const std::string& pem, const std::string& name = "") {
  const auto user = id.substr(id.rfind('/') + 1);
  return Json{{"@context", Json::array({"https://www.w3.org/ns/activitystreams",
                                        "https://w3id.org/security/v1"})},
              {"id", id},
              {"type", "Person"},
              {"preferredUsername", user},
              {"name", name.empty() ? user : name},
              {"inbox", id + "/inbox"},
              {"endpoints", {{"sharedInbox", "https://remote.example/inbox"}}},
              {"publicKey", {{"id", id + "#main-key"}, {"owner", id}, {"publicKeyPem", pem}}}};
}

class InboxTest : public ::testing::Test {
 protected:
  InboxTest() {
    users::CreateRequest req;
    req.username = "alice";
    req.email = "alice@example.com";
    alice = users::UserService(inst.env).create(req).user.id;
    req.username = "mona";
    req.email = "mona@example.com";
    const auto mona = users::UserService(inst.env).create(req).user.id;
    inst.conn->prepare("UPDATE accounts SET manually_approves_followers = 1 WHERE id = ?")
        ->bind_all(mona)
        .run();
    site = instance::load(*inst.conn);
    publish(k_pat, key(0).public_pem);
    publish(k_rex, key(1).public_pem);
  }

  void publish(const std::string& id, const std::string& pem, const std::string& name = "") {
    peer.docs[id] = {200, actor_doc(id, pem, name).dump()};
  }

  crypto::IncomingRequest signed_post(const Json& activity, const std::string& key_id,
                                      const std::string& private_pem, UnixTime at = 0) {
    crypto::IncomingRequest r{"POST", "/inbox", {}, activity.dump()};
    r.headers = {{"Host", "localhost:8080"}, {"Content-Type", "application/activity+json"}};
    crypto::sign_request("POST", "/inbox", r.body, r.headers, key_id, private_pem,
                         at ? at : inst.clock.now());
    return r;
  }
  crypto::IncomingRequest as_pat(const Json& activity) {
    return signed_post(activity, std::string(k_pat) + "#main-key", key(0).private_pem);
  }

  InboxResult receive(const crypto::IncomingRequest& r) {
    reports::FlagReports flags(inst.env);
    return InboxService(inst.env, peer, site, flags).receive(r);
  }

  Json follow(const std::string& id, const std::string& actor, const std::string& object) {
    return Json{{"@context", "https://www.w3.org/ns/activitystreams"},
                {"id", id},
                {"type", "Follow"},
                {"actor", actor},
                {"object", object}};
  }
  std::string alice_url() const { return site.public_url + "/users/alice"; }

  std::int64_t count(const std::string& sql) {
    auto st = inst.conn->prepare(sql);
    st->step();
    const auto n = st->get_int(0);
    st->reset();
    return n;
  }
  std::string text(const std::string& sql) {
    auto st = inst.conn->prepare(sql);
    if (!st->step()) return "";
    auto s = st->get_text(0);
    st->reset();
    return s;
  }
  std::int64_t recorded() {
    return count(
        "SELECT (SELECT count(*) FROM follows) + (SELECT count(*) FROM deliveries) + "
        "(SELECT count(*) FROM reports) + (SELECT count(*) FROM accounts WHERE domain <> '')");
  }

  test::TestInstance inst;
  MemoryPeer peer;
  instance::InstanceInfo site;
  std::int64_t alice = 0;
};

TEST_F(InboxTest, FollowIsRecordedAndAnsweredWithAnAccept) {
  const auto r = receive(as_pat(follow(std::string(k_pat) + "/follows/1", k_pat, alice_url())));
  ASSERT_EQ(r.outcome, InboxOutcome::accepted) << r.message;
  EXPECT_EQ(r.type, "Follow");
  EXPECT_EQ(text("SELECT state FROM follows"), "accepted");
  const auto accept = Json::parse(text("SELECT activity FROM deliveries"));
  EXPECT_EQ(accept["type"], "Accept");
  EXPECT_EQ(accept["actor"], alice_url());
  EXPECT_EQ(accept["object"]["id"], std::string(k_pat) + "/follows/1");
  EXPECT_EQ(text("SELECT inbox_url FROM deliveries"), std::string(k_pat) + "/inbox");
  EXPECT_EQ(
      count("SELECT count(*) FROM deliveries WHERE sender_account_id = " + std::to_string(alice)),
      1);
  EXPECT_EQ(
      text("SELECT domain FROM accounts WHERE actor_uri = 'https://remote.example/users/pat'"),
      "remote.example");
}

TEST_F(InboxTest, Rfc9421FollowIsAcceptedAndMarksThePeer) {
  const auto f = follow(std::string(k_pat) + "/follows/9421", k_pat, alice_url());
  crypto::IncomingRequest r{"POST", "/inbox", {}, f.dump(), "http"};
  r.headers = {{"Host", "localhost:8080"}, {"Content-Type", "application/activity+json"}};
  crypto::sign_message("POST", "http", "/inbox", r.body, r.headers,
                       std::string(k_pat) + "#main-key", key(0).private_pem, inst.clock.now());
  const auto res = receive(r);
  ASSERT_EQ(res.outcome, InboxOutcome::accepted) << res.message;
  EXPECT_EQ(text("SELECT state FROM follows"), "accepted");
  const auto peer_row = PeerStore(*inst.conn).get("remote.example");
  ASSERT_TRUE(peer_row);
  EXPECT_EQ(peer_row->rfc9421_signed_at, inst.clock.now());
  // Signed for https, received as http (another @target-uri): refused, and says which standard.
  r.scheme = "https";
  const auto bad = receive(r);
  EXPECT_EQ(bad.outcome, InboxOutcome::unauthorized);
  EXPECT_EQ(bad.message.rfind("RFC 9421: ", 0), 0u) << bad.message;
}

TEST_F(InboxTest, Rfc9421KeyOnAnotherHostIsRefused) {
  const auto f = follow(std::string(k_pat) + "/follows/9421", k_pat, alice_url());
  crypto::IncomingRequest r{"POST", "/inbox", {}, f.dump(), "http"};
  r.headers = {{"Host", "localhost:8080"}, {"Content-Type", "application/activity+json"}};
  crypto::sign_message("POST", "http", "/inbox", r.body, r.headers,
                       "https://elsewhere.example/users/pat#main-key", key(0).private_pem,
                       inst.clock.now());
  const auto before = recorded();
  const auto res = receive(r);
  EXPECT_EQ(res.outcome, InboxOutcome::unauthorized);
  EXPECT_NE(res.message.find("is not on the actor's host"), std::string::npos) << res.message;
  EXPECT_TRUE(peer.asked.empty());
  EXPECT_EQ(recorded(), before);
}

TEST_F(InboxTest, FollowOfAManuallyApprovingUserStaysPending) {
  const auto r =
      receive(as_pat(follow(std::string(k_pat) + "/f", k_pat, site.public_url + "/users/mona")));
  ASSERT_EQ(r.outcome, InboxOutcome::accepted) << r.message;
  EXPECT_EQ(text("SELECT state FROM follows"), "pending");
  EXPECT_EQ(count("SELECT count(*) FROM deliveries"), 0);
}

TEST_F(InboxTest, FollowOfNobodyHereIsIgnored) {
  const auto r =
      receive(as_pat(follow(std::string(k_pat) + "/f", k_pat, site.public_url + "/users/ghost")));
  EXPECT_EQ(r.outcome, InboxOutcome::ignored);
  EXPECT_EQ(count("SELECT count(*) FROM follows"), 0);
}

TEST_F(InboxTest, RefusalsRecordNothing) {
  const auto f = follow(std::string(k_pat) + "/follows/1", k_pat, alice_url());
  const auto before = recorded();
  // Signed by rex's key under pat's keyId.
  EXPECT_EQ(receive(signed_post(f, std::string(k_pat) + "#main-key", key(1).private_pem)).outcome,
            InboxOutcome::unauthorized);
  // A valid signature of rex on an activity whose actor is pat.
  auto r = receive(signed_post(f, std::string(k_rex) + "#main-key", key(1).private_pem));
  EXPECT_EQ(r.outcome, InboxOutcome::unauthorized);
  EXPECT_NE(r.message.find("not to the activity's actor"), std::string::npos) << r.message;
  // Tampered body.
  auto tampered = as_pat(f);
  tampered.body.insert(tampered.body.size() - 1, ",\"x\":1");
  r = receive(tampered);
  EXPECT_EQ(r.outcome, InboxOutcome::unauthorized);
  EXPECT_NE(r.message.find("Digest"), std::string::npos);
  // Date 13 h old.
  r = receive(signed_post(f, std::string(k_pat) + "#main-key", key(0).private_pem,
                          inst.clock.now() - 13 * 3600));
  EXPECT_EQ(r.outcome, InboxOutcome::unauthorized);
  // Unsigned.
  auto unsigned_req = as_pat(f);
  std::erase_if(unsigned_req.headers,
                [](const crypto::Header& h) { return h.name == "Signature"; });
  EXPECT_EQ(receive(unsigned_req).outcome, InboxOutcome::unauthorized);
  // Not JSON, no actor.
  EXPECT_EQ(receive(signed_post(Json("just a string"), std::string(k_pat) + "#main-key",
                                key(0).private_pem))
                .outcome,
            InboxOutcome::bad_request);
  EXPECT_EQ(receive(as_pat(Json{{"type", "Follow"}})).outcome, InboxOutcome::bad_request);
  EXPECT_EQ(recorded(), before);
}

TEST_F(InboxTest, SignedHeadersMustIncludeTheRequiredOnes) {
  const auto f = follow(std::string(k_pat) + "/follows/1", k_pat, alice_url());
  for (const char* dropped : {"(request-target)", "host", "date", "digest"}) {
    auto r = as_pat(f);
    auto params = *crypto::parse_signature_header(*crypto::find_header(r.headers, "Signature"));
    std::erase(params.headers, std::string(dropped));
    params.signature = crypto::rsa_sha256_sign(
        key(0).private_pem, *crypto::signing_string(params, "POST", "/inbox", r.headers));
    crypto::set_header(r.headers, "Signature", crypto::format_signature_header(params));
    const auto res = receive(r);
    EXPECT_EQ(res.outcome, InboxOutcome::unauthorized) << dropped;
    EXPECT_NE(res.message.find(dropped), std::string::npos) << res.message;
  }
  EXPECT_EQ(recorded(), 0);
}

TEST_F(InboxTest, SuspendedDomainsAreRefusedBeforeAnyFetch) {
  BlockRequest b;
  b.domain = "remote.example";
  b.severity = Severity::suspend;
  DomainService(inst.env).block(b);
  const auto r = receive(as_pat(follow(std::string(k_pat) + "/f", k_pat, alice_url())));
  EXPECT_EQ(r.outcome, InboxOutcome::forbidden);
  EXPECT_TRUE(peer.asked.empty());
  EXPECT_EQ(recorded(), 0);
}

TEST_F(InboxTest, KeysAreCachedAndAChangedKeyIsFetchedOnce) {
  ASSERT_EQ(receive(as_pat(follow(std::string(k_pat) + "/1", k_pat, alice_url()))).outcome,
            InboxOutcome::accepted);
  EXPECT_EQ(peer.asked.size(), 1u);
  ASSERT_EQ(receive(as_pat(follow(std::string(k_pat) + "/2", k_pat, alice_url()))).outcome,
            InboxOutcome::accepted);
  EXPECT_EQ(peer.asked.size(), 1u) << "the second request uses the cached key";
  // pat rotates to key 2: one re-fetch, then the new key is cached.
  publish(k_pat, key(2).public_pem);
  const auto f = follow(std::string(k_pat) + "/3", k_pat, alice_url());
  auto r = receive(signed_post(f, std::string(k_pat) + "#main-key", key(2).private_pem));
  ASSERT_EQ(r.outcome, InboxOutcome::accepted) << r.message;
  EXPECT_EQ(peer.asked.size(), 2u);
  r = receive(signed_post(f, std::string(k_pat) + "#main-key", key(2).private_pem));
  EXPECT_EQ(peer.asked.size(), 2u);
  // A bad signature with an unchanged key: fetched once more, still refused.
  r = receive(signed_post(f, std::string(k_pat) + "#main-key", key(0).private_pem));
  EXPECT_EQ(r.outcome, InboxOutcome::unauthorized);
  EXPECT_EQ(peer.asked.size(), 3u);
}

TEST_F(InboxTest, UndoRemovesTheFollow) {
  const std::string fid = std::string(k_pat) + "/follows/1";
  ASSERT_EQ(receive(as_pat(follow(fid, k_pat, alice_url()))).outcome, InboxOutcome::accepted);
  Json undo{{"id", std::string(k_pat) + "/undo"},
            {"type", "Undo"},
            {"actor", k_pat},
            {"object", follow(fid, k_pat, alice_url())}};
  EXPECT_EQ(receive(as_pat(undo)).outcome, InboxOutcome::accepted);
  EXPECT_EQ(count("SELECT count(*) FROM follows"), 0);
  EXPECT_EQ(receive(as_pat(undo)).outcome, InboxOutcome::ignored) << "nothing left to undo";
  undo["object"] = Json{{"id", "x"}, {"type", "Like"}};
  EXPECT_EQ(receive(as_pat(undo)).outcome, InboxOutcome::ignored);
}

TEST_F(InboxTest, FlagBecomesARemoteReportUnlessReportsAreRejected) {
  Json flag{{"id", std::string(k_pat) + "/flags/1"},
            {"type", "Flag"},
            {"actor", k_pat},
            {"object", Json::array({alice_url()})},
            {"content", "spam"}};
  ASSERT_EQ(receive(as_pat(flag)).outcome, InboxOutcome::accepted);
  EXPECT_EQ(text("SELECT origin FROM reports"), "remote.example");
  BlockRequest b;
  b.domain = "remote.example";
  b.severity = Severity::noop;
  b.reject_reports = true;
  DomainService(inst.env).block(b);
  flag["id"] = std::string(k_pat) + "/flags/2";
  EXPECT_EQ(receive(as_pat(flag)).outcome, InboxOutcome::ignored);
  EXPECT_EQ(count("SELECT count(*) FROM reports"), 1);
}

TEST_F(InboxTest, DeleteAndUpdateOfTheSendingActor) {
  ASSERT_EQ(receive(as_pat(follow(std::string(k_pat) + "/1", k_pat, alice_url()))).outcome,
            InboxOutcome::accepted);
  Json update{{"id", std::string(k_pat) + "#u"},
              {"type", "Update"},
              {"actor", k_pat},
              {"object", actor_doc(k_pat, key(0).public_pem, "Pat Two")}};
  EXPECT_EQ(receive(as_pat(update)).outcome, InboxOutcome::accepted);
  EXPECT_EQ(
      text(
          "SELECT display_name FROM accounts WHERE actor_uri = 'https://remote.example/users/pat'"),
      "Pat Two");
  update["object"] = actor_doc(k_rex, key(1).public_pem, "Not Pat");
  EXPECT_EQ(receive(as_pat(update)).outcome, InboxOutcome::ignored) << "pat cannot update rex";
  Json del{
      {"id", std::string(k_pat) + "#d"}, {"type", "Delete"}, {"actor", k_pat}, {"object", k_pat}};
  EXPECT_EQ(receive(as_pat(del)).outcome, InboxOutcome::accepted);
  EXPECT_EQ(count("SELECT count(*) FROM follows"), 0);
  Json create{{"id", std::string(k_pat) + "/n"},
              {"type", "Create"},
              {"actor", k_pat},
              {"object", {{"type", "Note"}}}};
  EXPECT_EQ(receive(as_pat(create)).outcome, InboxOutcome::ignored);
}

TEST_F(InboxTest, DeleteOfAGoneActorWeNeverKnewIsIgnored) {
  peer.docs[k_pat] = {410, "{}"};
  Json del{
      {"id", std::string(k_pat) + "#d"}, {"type", "Delete"}, {"actor", k_pat}, {"object", k_pat}};
  EXPECT_EQ(receive(as_pat(del)).outcome, InboxOutcome::ignored);
  EXPECT_EQ(recorded(), 0);
}

}  // namespace
}  // namespace instctl::federation
