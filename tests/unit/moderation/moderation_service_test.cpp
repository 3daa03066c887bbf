#include "instctl/moderation/moderation_service.hpp"

#include <gtest/gtest.h>

#include "backends.hpp"
#include "instctl/audit/audit_log.hpp"
#include "instctl/core/error.hpp"
#include "instctl/instance/rules.hpp"
#include "instctl/reports/report_service.hpp"
#include "instctl/users/user_service.hpp"

namespace instctl::moderation {

class ModerationServiceTest : public ::testing::TestWithParam<test::Backend> {
 protected:
  void SetUp() override {
    make_user("alice", users::Role::user);
    make_user("mia", users::Role::moderator);
    make_user("bob", users::Role::user);
    mia = svc.identify(std::string("mia"));
  }
  users::User make_user(const std::string& name, users::Role role) {
    users::CreateRequest r;
    r.username = name;
    r.email = name + "@example.com";
    r.role = role;
    return users.create(r).user;
  }
  // Files a spam report about `target` (a remote one is recorded on the way).
  std::int64_t report(const std::string& target) {
    reports::CreateRequest req;
    req.target = target;
    req.category = reports::Category::spam;
    return reports.create(req).report.id;
  }
  ActionOutcome act(const std::string& ref, Action a,
                    std::optional<std::string> text = std::nullopt) {
    ActionRequest req;
    req.action = a;
    req.text = std::move(text);
    return svc.act(ref, mia, req);
  }
  std::vector<audit::Entry> audited(const std::string& target) {
    audit::Filter f;
    f.target = target;
    return audit::list(t.env.db, f);
  }

  test::BackendInstance t{GetParam()};
  users::UserService users{t.env};
  reports::ReportService reports{t.env};
  ModerationService svc{t.env};
  Moderator mia;
};

TEST_P(ModerationServiceTest, ActionsAndTheirRules) {
  EXPECT_EQ(parse_resolve_action("suspend"), Action::suspend);
  EXPECT_EQ(test::kind_of([] { parse_resolve_action("unsuspend"); }), ErrorKind::usage);
  EXPECT_EQ(test::kind_of([] { parse_resolve_action("ban"); }), ErrorKind::usage);
  for (Action a : {Action::warn, Action::disable, Action::silence, Action::suspend}) {
    EXPECT_TRUE(is_strike(a)) << to_string(a);
  }
  for (Action a : {Action::none, Action::unsuspend, Action::unsilence, Action::enable}) {
    EXPECT_FALSE(is_strike(a)) << to_string(a);
  }
  EXPECT_TRUE(requires_reason(Action::silence));
  EXPECT_FALSE(requires_reason(Action::warn));
  EXPECT_EQ(test::kind_of([] { require_reason(Action::suspend, std::string("  ")); }),
            ErrorKind::usage);
  EXPECT_NO_THROW(require_reason(Action::disable, std::nullopt));
  EXPECT_TRUE(applies_to_remote(Action::unsilence));
  EXPECT_FALSE(applies_to_remote(Action::warn));
}

TEST_P(ModerationServiceTest, TheModeratorIsAnActiveStaffMemberOrTheOperator) {
  EXPECT_EQ(mia.name, "mia");
  EXPECT_TRUE(mia.account_id.has_value());
  EXPECT_EQ(test::kind_of([&] { svc.identify(std::string("ghost")); }), ErrorKind::not_found);
  EXPECT_EQ(test::kind_of([&] { svc.identify(std::string("bob")); }), ErrorKind::conflict);
  const auto op = svc.identify(std::nullopt);
  EXPECT_EQ(op.name, "cli:test");
  EXPECT_FALSE(op.account_id.has_value());
}

TEST_P(ModerationServiceTest, AWarningIsAStrikeThatLeavesTheAccountAsItIs) {
  const auto first = act("alice", Action::warn);
  EXPECT_EQ(first.account.status, users::Status::active);
  ASSERT_TRUE(first.strike.has_value());
  EXPECT_EQ(first.strike->action, Action::warn);
  EXPECT_EQ(first.strike->moderator, "mia");
  EXPECT_EQ(first.strike_number, 1);
  const auto second = act("alice", Action::warn, std::string("again"));
  EXPECT_EQ(second.strike_number, 2);
  EXPECT_EQ(outcome_sentence(second), "Recorded warning strike 2 for alice.");
  EXPECT_EQ(svc.strikes(first.account.id).size(), 2u);
  const auto entries = audited("user:alice");
  ASSERT_GE(entries.size(), 2u);
  EXPECT_EQ(entries[0].action, "users.warn");
  EXPECT_EQ(entries[0].actor, "mia");
  EXPECT_EQ(entries[0].details["reason"], "again");
}

TEST_P(ModerationServiceTest, AStateChangeIsRefusedWhenTheAccountIsAlreadyInThatState) {
  EXPECT_EQ(act("alice", Action::suspend, std::string("spam")).account.status,
            users::Status::suspended);
  EXPECT_EQ(test::kind_of([&] { act("alice", Action::suspend, std::string("spam")); }),
            ErrorKind::conflict);
  const auto lifted = act("alice", Action::unsuspend);
  EXPECT_EQ(lifted.account.status, users::Status::active);
  EXPECT_FALSE(lifted.strike.has_value()) << "lifting is no strike";
  EXPECT_EQ(outcome_sentence(lifted), "Lifted the suspension of alice.");
  EXPECT_EQ(test::kind_of([&] { act("alice", Action::unsuspend); }), ErrorKind::conflict);
  EXPECT_EQ(test::kind_of([&] { act("alice", Action::enable); }), ErrorKind::conflict);
  EXPECT_EQ(svc.strikes(lifted.account.id).size(), 1u) << "the refused ones left nothing";
}

TEST_P(ModerationServiceTest, ARefusedActionWritesNothing) {
  const auto before = audited("user:alice").size();
  EXPECT_EQ(test::kind_of([&] { act("alice", Action::suspend); }), ErrorKind::usage)
      << "suspend needs a reason";
  EXPECT_EQ(test::kind_of([&] { act("nobody", Action::warn); }), ErrorKind::not_found);
  const auto alice = users.resolve_account("alice");
  EXPECT_EQ(alice.status, users::Status::active);
  EXPECT_TRUE(svc.strikes(alice.id).empty());
  EXPECT_EQ(audited("user:alice").size(), before);
}

// Rules named with an action: strike actions only, each an existing rule, kept in the audit
// entry; a refused one changes nothing.
TEST_P(ModerationServiceTest, RulesNamedWithAStrikeMustExist) {
  instance::add_rule(t.env, "No spam", "");
  ActionRequest req{Action::silence, std::string("loud"), std::nullopt, {1, 9}};
  EXPECT_EQ(test::kind_of([&] { svc.act("alice", mia, req); }), ErrorKind::not_found);
  EXPECT_EQ(users.resolve_account("alice").status, users::Status::active) << "nothing changed";
  req.rule_ids = {1};
  EXPECT_EQ(svc.act("alice", mia, req).account.status, users::Status::silenced);
  EXPECT_EQ(audited("user:alice").at(0).details["rule_ids"], Json::array({1}));
  EXPECT_EQ(test::kind_of([&] {
              svc.act("alice", mia, {Action::unsilence, std::nullopt, std::nullopt, {1}});
            }),
            ErrorKind::usage)
      << "a reversal names no rule";
}

TEST_P(ModerationServiceTest, AStrikeResolvesEveryOpenReportAgainstTheAccount) {
  const auto a = report("alice");
  const auto b = report("alice");
  const auto other = report("bob");
  const auto out = act("alice", Action::disable);
  EXPECT_EQ(out.account.status, users::Status::disabled);
  EXPECT_EQ(out.resolved_reports, (std::vector<std::int64_t>{a, b}));
  EXPECT_EQ(reports.get(a).status, reports::Status::resolved);
  EXPECT_EQ(reports.get(other).status, reports::Status::open);
  EXPECT_EQ(outcome_sentence(out),
            "Disabled alice: they cannot log in (strike 1). Resolved 2 "
            "open reports against alice: " +
                std::to_string(a) + ", " + std::to_string(b) + ".");
  EXPECT_EQ(audited("report:" + std::to_string(a)).front().action, "reports.resolve");
  // Nothing else is open: a further strike resolves none.
  EXPECT_TRUE(act("alice", Action::warn).resolved_reports.empty());
}

TEST_P(ModerationServiceTest, ARemoteAccountTakesOnlySilenceAndSuspend) {
  report("troll@remote.example");
  EXPECT_EQ(test::kind_of([&] { act("troll@remote.example", Action::warn); }), ErrorKind::conflict);
  EXPECT_EQ(test::kind_of([&] { act("troll@remote.example", Action::disable); }),
            ErrorKind::conflict);
  const auto out = act("troll@remote.example", Action::silence, std::string("spam"));
  EXPECT_EQ(out.account.status, users::Status::silenced);
  EXPECT_EQ(out.resolved_reports.size(), 1u);
  EXPECT_EQ(act("troll@remote.example", Action::unsilence).account.status, users::Status::active);
}

TEST_P(ModerationServiceTest, NoneChangesNothing) {
  const auto out = act("alice", Action::none);
  EXPECT_EQ(out.account.username, "alice");
  EXPECT_FALSE(out.strike.has_value());
  EXPECT_EQ(outcome_sentence(out), "");
  EXPECT_TRUE(svc.strikes(out.account.id).empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, ModerationServiceTest, ::testing::ValuesIn(test::backends()),
                         test::backend_name);

}  // namespace instctl::moderation
