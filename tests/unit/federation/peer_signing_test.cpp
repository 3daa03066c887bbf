// Which signature standard a peer gets, the double-knock and what is remembered, against an
// in-memory peer that accepts one standard; and `peers set-signature`.

#include "instctl/federation/peer_signing.hpp"

#include <gtest/gtest.h>

#include <set>

#include "instctl/core/error.hpp"
#include "instctl/crypto/keys.hpp"
#include "test_support.hpp"

namespace instctl::federation {
namespace {

using crypto::SignatureStandard;

// Answers 202 to the standards it accepts and 401 to the others, and records what came.
class OneStandardPeer final : public net::HttpClient {
 public:
  std::set<SignatureStandard> accepts;
  std::vector<SignatureStandard> seen;
  net::HttpResponse send(const net::HttpRequest& r) override {
    const auto s = crypto::find_header(r.headers, "signature-input") ? SignatureStandard::rfc9421
                                                                     : SignatureStandard::cavage;
    seen.push_back(s);
    return net::HttpResponse{accepts.count(s) ? 202 : 401, {}, "", r.url};
  }
};

class PeerSigningTest : public ::testing::Test {
 protected:
  net::HttpResponse deliver() {
    net::HttpRequest req;
    req.method = "POST";
    req.url = "https://remote.example/inbox";
    req.body = R"({"type":"Accept"})";
    req.headers = {{"Host", "remote.example"}, {"Content-Type", "application/activity+json"}};
    static const auto keys = crypto::generate_rsa_key_pair();
    peer.seen.clear();
    return send_signed(*inst.conn, peer, req,
                       {"https://localhost:8080/users/a#main-key", keys.private_pem},
                       inst.clock.now());
  }
  Peer row() { return PeerStore(*inst.conn).get("remote.example").value_or(Peer{}); }

  test::TestInstance inst;
  OneStandardPeer peer;
};

using V = std::vector<SignatureStandard>;
constexpr auto cavage = SignatureStandard::cavage;
constexpr auto rfc9421 = SignatureStandard::rfc9421;

TEST(PeerSigning, SoftwareKnownToVerifyRfc9421) {
  EXPECT_TRUE(software_takes_rfc9421("mastodon", "4.5.0"));
  EXPECT_TRUE(software_takes_rfc9421("Mastodon", "4.5.0-beta.1"));
  EXPECT_TRUE(software_takes_rfc9421("mastodon", "4.10.2+glitch"));
  EXPECT_TRUE(software_takes_rfc9421("mastodon", "5.0.0"));
  EXPECT_FALSE(software_takes_rfc9421("mastodon", "4.4.9"));
  EXPECT_FALSE(software_takes_rfc9421("mastodon", "3.9.0"));
  EXPECT_FALSE(software_takes_rfc9421("mastodon", ""));
  EXPECT_FALSE(software_takes_rfc9421("mastodon", "v4.5"));
  EXPECT_FALSE(software_takes_rfc9421("fedify", "2.0.0"));
}

TEST(PeerSigning, PlanFollowsTheRules) {
  Peer p;
  EXPECT_EQ(plan_signature(p).first, cavage);
  EXPECT_TRUE(plan_signature(p).may_retry);
  p.software = "mastodon";
  p.software_version = "4.5.1";
  EXPECT_EQ(plan_signature(p).first, rfc9421);  // NodeInfo evidence
  p = Peer{};
  p.rfc9421_signed_at = 1;
  EXPECT_EQ(plan_signature(p).first, rfc9421);  // it signed to us with RFC 9421
  p.signature_learned = cavage;
  EXPECT_EQ(plan_signature(p).first, rfc9421);  // evidence outranks a cavage that merely worked
  p.rfc9421_refused_at = 2;
  EXPECT_EQ(plan_signature(p).first, cavage);  // but not a refusal of RFC 9421
  p.signature_learned = rfc9421;
  EXPECT_EQ(plan_signature(p).first, rfc9421);
  p.signature_forced = cavage;
  EXPECT_EQ(plan_signature(p).first, cavage);
  EXPECT_FALSE(plan_signature(p).may_retry);
}

TEST_F(PeerSigningTest, CavageOnlyPeerIsRememberedAsCavageWithoutSwitching) {
  peer.accepts = {cavage, rfc9421};
  EXPECT_EQ(deliver().status, 202);
  EXPECT_EQ(peer.seen, (V{cavage}));
  EXPECT_EQ(row().signature_learned, cavage);
  // A 2xx to cavage is no evidence of RFC 9421: it stays cavage.
  deliver();
  EXPECT_EQ(peer.seen, (V{cavage}));
}

TEST_F(PeerSigningTest, DoubleKnockOnceThenOneRequest) {
  peer.accepts = {rfc9421};
  EXPECT_EQ(deliver().status, 202);
  EXPECT_EQ(peer.seen, (V{cavage, rfc9421}));
  EXPECT_EQ(row().signature_learned, rfc9421);
  deliver();
  EXPECT_EQ(peer.seen, (V{rfc9421}));
  // The peer drops RFC 9421: one more double-knock, then cavage for good.
  peer.accepts = {cavage};
  EXPECT_EQ(deliver().status, 202);
  EXPECT_EQ(peer.seen, (V{rfc9421, cavage}));
  EXPECT_EQ(row().signature_learned, cavage);
  EXPECT_TRUE(row().rfc9421_refused_at);
  deliver();
  EXPECT_EQ(peer.seen, (V{cavage}));
}

TEST_F(PeerSigningTest, EvidenceStartsWithRfc9421AndARefusalFallsBack) {
  PeerStore(*inst.conn).record_rfc9421_signed("remote.example", inst.clock.now());
  peer.accepts = {cavage};
  EXPECT_EQ(deliver().status, 202);
  EXPECT_EQ(peer.seen, (V{rfc9421, cavage}));
  deliver();
  EXPECT_EQ(peer.seen, (V{cavage}));
  // Neither accepted: two tries, the last answer returned, nothing learned.
  peer.accepts = {};
  EXPECT_EQ(deliver().status, 401);
  EXPECT_EQ(peer.seen, (V{cavage, rfc9421}));
}

TEST_F(PeerSigningTest, ForcedStandardIsSentAloneAndTeachesNothing) {
  peer.accepts = {cavage};
  deliver();
  EXPECT_EQ(set_peer_signature(inst.env, "remote.example", "rfc9421").signature_forced, rfc9421);
  EXPECT_EQ(deliver().status, 401);
  EXPECT_EQ(peer.seen, (V{rfc9421}));
  EXPECT_EQ(row().signature_learned, cavage);
  EXPECT_FALSE(set_peer_signature(inst.env, "remote.example", "auto").signature_forced);
  EXPECT_EQ(deliver().status, 202);
  EXPECT_EQ(peer.seen, (V{cavage}));
  auto st = inst.conn->prepare(
      "SELECT count(*) FROM audit_log WHERE action = 'federation.peer_signature'");
  st->step();
  EXPECT_EQ(st->get_int(0), 2);
}

TEST_F(PeerSigningTest, SetSignatureRefusesUnknownDomainAndBadValue) {
  EXPECT_EQ(test::kind_of([&] { set_peer_signature(inst.env, "nowhere.example", "cavage"); }),
            ErrorKind::not_found);
  deliver();
  EXPECT_EQ(test::kind_of([&] { set_peer_signature(inst.env, "remote.example", "rfc9999"); }),
            ErrorKind::usage);
  EXPECT_NE(test::message_of([&] {
              set_peer_signature(inst.env, "remote.example", "x");
            }).find("cavage, rfc9421 or auto"),
            std::string::npos);
}

}  // namespace
}  // namespace instctl::federation
