#include "instctl/reports/report_service.hpp"

#include <gtest/gtest.h>

#include "acting.hpp"
#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/federation/domain_service.hpp"
#include "instctl/instance/rules.hpp"
#include "instctl/moderation/report_desk.hpp"
#include "instctl/overview/account_details.hpp"
#include "instctl/users/user_service.hpp"
#include "test_support.hpp"

namespace instctl::reports {

namespace {

std::int64_t count(db::Connection& db, const std::string& sql) {
  auto st = db.prepare(sql);
  st->step();
  return st->get_int(0);
}
}  // namespace

using federation::build_flag;
using federation::IncomingFlag;
using federation::parse_flag;
using moderation::Action;

class ReportServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    make_user("alice", users::Role::user);
    make_user("mia", users::Role::moderator);
    make_user("bob", users::Role::user);
  }
  users::User make_user(const std::string& name, users::Role role) {
    users::CreateRequest r;
    r.username = name;
    r.email = name + "@example.com";
    r.role = role;
    return users.create(r).user;
  }
  Report file(const std::string& target, Category c = Category::spam) {
    CreateRequest req;
    req.target = target;
    req.category = c;
    req.reporter = "bob";
    return svc.create(req).report;
  }

  test::TestInstance t;
  users::UserService users{t.env};
  ReportService svc{t.env};
  moderation::ReportDesk desk{t.env};
  const std::optional<std::string> mod = std::string("mia");
};

TEST_F(ReportServiceTest, CategoriesAndRules) {
  const auto rule = instance::add_rule(t.env, "Be kind", "");
  CreateRequest req;
  req.target = "alice";
  req.category = Category::violation;
  EXPECT_EQ(test::kind_of([&] { svc.create(req); }), ErrorKind::usage) << "violation needs rules";
  req.rule_ids = {rule.id + 100};
  EXPECT_EQ(test::kind_of([&] { svc.create(req); }), ErrorKind::not_found) << "unknown rule";
  req.rule_ids = {rule.id, rule.id};
  const auto r = svc.create(req).report;
  EXPECT_EQ(r.rule_ids, std::vector<std::int64_t>{rule.id});
  req.category = Category::spam;
  EXPECT_EQ(test::kind_of([&] { svc.create(req); }), ErrorKind::usage) << "rules on a spam report";
  req.rule_ids.clear();
  req.status_urls = {"javascript:alert(1)"};
  EXPECT_EQ(test::kind_of([&] { svc.create(req); }), ErrorKind::usage);
  req.status_urls.clear();
  req.target = "nobody";
  EXPECT_EQ(test::kind_of([&] { svc.create(req); }), ErrorKind::not_found);
  EXPECT_EQ(count(*t.conn, "SELECT count(*) FROM reports"), 1) << "nothing half-written";
}

TEST_F(ReportServiceTest, AnUnknownRemoteAccountIsRecordedWithoutFetching) {
  CreateRequest req;
  req.target = "@Spammer@Remote.Example";
  const auto res = svc.create(req);
  EXPECT_TRUE(res.remote_account_recorded);
  EXPECT_EQ(res.report.target, "Spammer@remote.example");
  EXPECT_FALSE(svc.create(req).remote_account_recorded) << "the second report finds it";
  EXPECT_EQ(count(*t.conn, "SELECT count(*) FROM accounts WHERE domain = 'remote.example'"), 1);
}

TEST_F(ReportServiceTest, ResolvingWithAnActionStrikesAndClosesEveryOpenReport) {
  const auto first = file("alice");
  const auto second = file("alice", Category::other);
  const auto other = file("bob");
  const auto res = desk.resolve(first.id, Action::suspend, std::string("spam waves"), mod);
  EXPECT_EQ(res.account.status, users::Status::suspended);
  ASSERT_TRUE(res.strike.has_value());
  EXPECT_EQ(res.strike->action, Action::suspend);
  EXPECT_EQ(res.strike->report_id, first.id);
  EXPECT_EQ(res.strike->moderator, "mia");
  EXPECT_EQ(res.also_resolved, std::vector<std::int64_t>{second.id});
  EXPECT_EQ(svc.get(second.id).status, Status::resolved);
  EXPECT_EQ(svc.get(second.id).action_taken, "suspend");
  EXPECT_EQ(svc.get(other.id).status, Status::open) << "reports about others stay open";
  EXPECT_EQ(res.report.resolved_by, "mia");
  EXPECT_EQ(
      test::kind_of([&] { desk.resolve(first.id, Action::suspend, std::string("test"), mod); }),
      ErrorKind::conflict);
  EXPECT_EQ(count(*t.conn, "SELECT count(*) FROM account_strikes"), 1);
  audit::Filter f;
  f.actor = "mia";
  const auto entries = audit::list(*t.conn, f);
  ASSERT_EQ(entries.size(), 3u);  // users.suspend, reports.resolve (second), reports.resolve
  EXPECT_EQ(entries[2].action, "users.suspend");
  EXPECT_EQ(entries[0].target, "report:" + std::to_string(first.id));
}

TEST_F(ReportServiceTest, NoneResolvesOnlyThatReportAndKeepsTheTextAsANote) {
  const auto a = file("alice");
  const auto b = file("alice");
  const auto res = desk.resolve(a.id, Action::none, std::string("not spam"), mod);
  EXPECT_FALSE(res.strike.has_value());
  EXPECT_EQ(res.account.status, users::Status::active);
  EXPECT_EQ(svc.get(b.id).status, Status::open);
  EXPECT_EQ(desk.details(a.id)["notes"][0]["text"], "not spam");
}

TEST_F(ReportServiceTest, RemoteAccountsAcceptOnlySilenceAndSuspend) {
  CreateRequest req;
  req.target = "troll@remote.example";
  const auto r = svc.create(req).report;
  EXPECT_EQ(test::kind_of([&] { desk.resolve(r.id, Action::disable, std::nullopt, mod); }),
            ErrorKind::conflict);
  EXPECT_EQ(test::kind_of([&] { desk.resolve(r.id, Action::warn, std::nullopt, mod); }),
            ErrorKind::conflict);
  EXPECT_EQ(svc.get(r.id).status, Status::open) << "a refused action leaves the report open";
  EXPECT_EQ(desk.resolve(r.id, Action::silence, std::string("test"), mod).account.status,
            users::Status::silenced);
}

TEST_F(ReportServiceTest, OnlyModeratorsHandleReports) {
  const auto r = file("alice");
  EXPECT_EQ(test::kind_of([&] { desk.assign(r.id, std::string("bob"), mod); }),
            ErrorKind::conflict);
  EXPECT_EQ(test::kind_of([&] { desk.assign(r.id, std::string("ghost"), mod); }),
            ErrorKind::not_found);
  EXPECT_EQ(
      test::kind_of([&] { desk.resolve(r.id, Action::none, std::nullopt, std::string("bob")); }),
      ErrorKind::conflict);
  EXPECT_EQ(test::kind_of([&] { desk.assign(r.id + 50, std::string("mia"), mod); }),
            ErrorKind::not_found);
  EXPECT_EQ(desk.assign(r.id, std::nullopt, mod).assigned_to, "mia") << "take it yourself";
  EXPECT_EQ(test::kind_of([&] { desk.assign(r.id, std::string("mia"), mod); }),
            ErrorKind::conflict);
  EXPECT_EQ(desk.unassign(r.id, mod).assigned_to, std::nullopt);
  EXPECT_EQ(test::kind_of([&] { desk.unassign(r.id, mod); }), ErrorKind::conflict);
  // The operator (no local identity) may act; $INSTCTL_ACTOR naming a user makes them act.
  EXPECT_EQ(test::kind_of([&] { desk.assign(r.id, std::nullopt, std::nullopt); }),
            ErrorKind::usage);
  Env as_bob{t.env.db, t.env.clock, "bob", t.env.seams};
  moderation::ReportDesk bobs(as_bob);
  EXPECT_EQ(test::kind_of([&] { bobs.note(r.id, "hi", std::nullopt); }), ErrorKind::conflict);
  Env as_mod{t.env.db, t.env.clock, "@mia", t.env.seams};
  EXPECT_EQ(moderation::ReportDesk(as_mod).note(r.id, "looking", std::nullopt).author, "mia");
}

TEST_F(ReportServiceTest, ReopenKeepsTheStrike) {
  const auto r = file("alice");
  desk.resolve(r.id, Action::warn, std::nullopt, mod);
  EXPECT_EQ(test::kind_of([&] { desk.reopen(r.id + 9, mod); }), ErrorKind::not_found);
  const auto reopened = desk.reopen(r.id, mod);
  EXPECT_EQ(reopened.status, Status::open);
  EXPECT_EQ(reopened.action_taken, std::nullopt);
  EXPECT_EQ(test::kind_of([&] { desk.reopen(r.id, mod); }), ErrorKind::conflict);
  const auto d = desk.details(r.id);
  EXPECT_EQ(d["strikes"].size(), 1u);
  EXPECT_EQ(d["history"][0]["action"], "reports.reopen");
}

TEST_F(ReportServiceTest, ListFiltersAndOrder) {
  const auto a = file("alice");
  t.clock.advance(60);
  const auto b = file("bob", Category::other);
  t.clock.advance(60);
  const auto c = file("alice", Category::legal);
  desk.resolve(b.id, Action::none, std::nullopt, mod);
  desk.assign(c.id, std::string("mia"), mod);
  ListRequest open;
  auto ids = [&](const ListRequest& req) {
    std::vector<std::int64_t> out;
    for (const auto& r : svc.list(req)) out.push_back(r.id);
    return out;
  };
  EXPECT_EQ(ids(open), (std::vector<std::int64_t>{a.id, c.id}));
  ListRequest all;
  all.status = std::nullopt;
  EXPECT_EQ(ids(all), (std::vector<std::int64_t>{a.id, c.id, b.id})) << "open first, oldest first";
  ListRequest unassigned;
  unassigned.unassigned = true;
  EXPECT_EQ(ids(unassigned), std::vector<std::int64_t>{a.id});
  ListRequest mine;
  mine.assigned_to = "mia";
  EXPECT_EQ(ids(mine), std::vector<std::int64_t>{c.id});
  ListRequest legal;
  legal.category = Category::legal;
  EXPECT_EQ(ids(legal), std::vector<std::int64_t>{c.id});
  ListRequest remote;
  remote.origin = Origin::remote;
  EXPECT_TRUE(ids(remote).empty());
  ListRequest by_target;
  by_target.target = "bob";
  by_target.status = std::nullopt;
  EXPECT_EQ(ids(by_target), std::vector<std::int64_t>{b.id});
}

TEST_F(ReportServiceTest, UserActionsGoThroughTheSameImplementation) {
  const auto r = file("alice");
  test::act(t.env, "alice", Action::silence, std::string("flooding"));
  EXPECT_EQ(svc.get(r.id).status, Status::resolved);
  EXPECT_EQ(svc.get(r.id).action_taken, "silence");
  const auto d = overview::account_details(t.env, users.resolve("alice"));
  ASSERT_EQ(d["strikes"].size(), 1u);
  EXPECT_EQ(d["strikes"][0]["action"], "silence");
  EXPECT_EQ(d["strikes"][0]["text"], "flooding");
  EXPECT_EQ(d["open_reports"].size(), 0u);
  test::act(t.env, "alice", Action::unsilence, std::nullopt);
  EXPECT_EQ(count(*t.conn, "SELECT count(*) FROM account_strikes"), 1) << "lifting is no strike";
}

TEST(FlagTest, ParsesTheShapesPeersSend) {
  const auto f = parse_flag(Json::parse(R"({
    "@context": ["https://www.w3.org/ns/activitystreams"], "id": "https://r.example/f/1",
    "type": "Flag", "actor": {"id": "https://r.example/actor"}, "content": "bad",
    "object": ["https://l.example/users/a", {"id": "https://l.example/users/a/statuses/1"}],
    "signature": {"type": "RsaSignature2017"}})"),
                            "r.example");
  ASSERT_TRUE(f.has_value());
  EXPECT_EQ(f->actor_uri, "https://r.example/actor");
  EXPECT_EQ(f->object_uris.size(), 2u);
  EXPECT_EQ(f->content, "bad");
  EXPECT_FALSE(parse_flag(Json::parse(R"({"type": "Follow", "actor": "x", "object": "y"})"), "r"));
  EXPECT_FALSE(parse_flag(Json::parse(R"({"type": "Flag", "actor": "x"})"), "r"));
  const auto one = parse_flag(Json::parse(R"({"type": "Flag", "actor": "x", "object": "y"})"), "r");
  ASSERT_TRUE(one.has_value());
  EXPECT_EQ(one->object_uris, std::vector<std::string>{"y"});
}

TEST(FlagTest, BuildsMastodonsShape) {
  const auto j = build_flag("https://l.example/reports/1/flag", "https://l.example/actor",
                            "https://r.example/users/t", {"https://r.example/@t/1"}, "spam");
  EXPECT_EQ(j["type"], "Flag");
  EXPECT_EQ(j["actor"], "https://l.example/actor");
  EXPECT_EQ(j["object"][0], "https://r.example/users/t");
  EXPECT_EQ(j["object"][1], "https://r.example/@t/1");
  EXPECT_EQ(j["content"], "spam");
}

TEST_F(ReportServiceTest, IncomingFlagsBecomeRemoteReportsOnce) {
  IncomingFlag f;
  f.activity_id = "https://remote.example/flags/1";
  f.actor_uri = "https://remote.example/actor";
  f.actor_domain = "remote.example";
  f.object_uris = {"https://localhost:8080/users/alice",
                   "https://localhost:8080/users/alice/statuses/9",
                   "https://elsewhere.example/users/x", "https://localhost:8080/users/ghost"};
  f.content = "harassment";
  const auto made = svc.receive_flag(f);
  ASSERT_EQ(made.size(), 1u);
  EXPECT_EQ(made[0].target, "alice");
  EXPECT_EQ(made[0].origin, "remote.example");
  EXPECT_EQ(made[0].reporter, "https://remote.example/actor");
  EXPECT_EQ(made[0].status_urls,
            std::vector<std::string>{"https://localhost:8080/users/alice/statuses/9"});
  EXPECT_EQ(made[0].category, Category::other);
  const auto again = svc.receive_flag(f);
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].id, made[0].id) << "a redelivered Flag is one report";
  f.object_uris = {"https://elsewhere.example/users/x"};
  f.activity_id = "https://remote.example/flags/2";
  EXPECT_TRUE(svc.receive_flag(f).empty()) << "only local accounts are reported";
  ListRequest remote;
  remote.origin = Origin::remote;
  EXPECT_EQ(svc.list(remote).size(), 1u);
}

TEST_F(ReportServiceTest, FlagsFromSuspendedOrRejectReportsDomainsAreDropped) {
  IncomingFlag f;
  f.activity_id = "https://remote.example/flags/1";
  f.actor_uri = "https://remote.example/actor";
  f.object_uris = {"https://localhost:8080/users/alice"};
  federation::DomainService domains(t.env);
  federation::BlockRequest b;
  b.domain = "remote.example";
  b.severity = federation::Severity::noop;
  b.reject_reports = true;
  domains.block(b);
  EXPECT_TRUE(svc.receive_flag(f).empty()) << "reject_reports";
  b.reject_reports = false;
  b.severity = federation::Severity::suspend;
  domains.block(b);
  EXPECT_TRUE(svc.receive_flag(f).empty()) << "suspended";
  domains.unblock("remote.example");
  EXPECT_EQ(svc.receive_flag(f).size(), 1u) << "heard again once unblocked";
}

TEST_F(ReportServiceTest, ForwardingNeedsARemoteTargetWithAKnownActor) {
  const auto local = file("alice");
  EXPECT_EQ(test::kind_of([&] { desk.forward(local.id, mod); }), ErrorKind::conflict);
  CreateRequest req;
  req.target = "troll@remote.example";
  req.comment = "spam";
  req.status_urls = {"https://remote.example/@troll/1"};
  const auto r = svc.create(req).report;
  EXPECT_EQ(test::kind_of([&] { desk.forward(r.id, mod); }), ErrorKind::conflict)
      << "actor unknown";
  t.conn
      ->prepare(
          "UPDATE accounts SET actor_uri = 'https://remote.example/users/troll', "
          "inbox_url = 'https://remote.example/users/troll/inbox' WHERE domain <> ''")
      ->run();
  const auto fwd = desk.forward(r.id, mod);
  EXPECT_TRUE(fwd.report.forwarded_at.has_value());
  EXPECT_EQ(fwd.activity["actor"], "https://localhost:8080/actor");
  EXPECT_EQ(fwd.activity["object"][0], "https://remote.example/users/troll");
  EXPECT_EQ(fwd.activity["object"][1], "https://remote.example/@troll/1");
  EXPECT_EQ(test::kind_of([&] { desk.forward(r.id, mod); }), ErrorKind::conflict) << "once";
  EXPECT_EQ(test::kind_of([&] { desk.forward(r.id + 40, mod); }), ErrorKind::not_found);
}

}  // namespace instctl::reports
