// Domain blocks and allows: subdomain matching, the stricter-parent rule, allowlist mode,
// and Mastodon's import/export formats against its own export fixtures.

#include "instctl/federation/domain_policy.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "instctl/core/error.hpp"
#include "instctl/federation/domain_service.hpp"
#include "instctl/instance/settings.hpp"
#include "test_support.hpp"

namespace instctl::federation {
namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(INSTCTL_FIXTURES_DIR) + "/mastodon/" + name, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

BlockRequest req(const std::string& domain, Severity s) {
  BlockRequest r;
  r.domain = domain;
  r.severity = s;
  return r;
}

class DomainPolicyTest : public ::testing::Test {
 protected:
  test::TestInstance inst;
  DomainService svc{inst.env};
  DomainPolicy policy{*inst.conn};
};

TEST_F(DomainPolicyTest, MostSpecificRuleWins) {
  svc.block(req("example.com", Severity::silence));
  svc.block(req("evil.example.com", Severity::suspend));
  EXPECT_EQ(policy.rule_for("a.b.example.com")->domain, "example.com");
  EXPECT_EQ(policy.rule_for("x.evil.example.com")->severity, Severity::suspend);
  EXPECT_TRUE(policy.is_suspended("evil.example.com:8443"));
  EXPECT_FALSE(policy.is_suspended("example.com"));
  EXPECT_FALSE(policy.rule_for("notexample.com"));
  EXPECT_FALSE(policy.rule_for("com"));
  EXPECT_THROW(policy.require_federates("x.evil.example.com"), Error);
  EXPECT_NO_THROW(policy.require_federates("good.example"));
}

TEST_F(DomainPolicyTest, WeakerRuleUnderStricterParentNeedsForce) {
  svc.block(req("example.com", Severity::suspend));
  try {
    svc.block(req("sub.example.com", Severity::silence));
    FAIL() << "weaker rule accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::conflict);
    EXPECT_NE(std::string(e.what()).find("--force"), std::string::npos);
  }
  EXPECT_FALSE(policy.rule_for("sub.example.com")->domain == "sub.example.com");
  auto forced = req("sub.example.com", Severity::silence);
  forced.force = true;
  svc.block(forced);
  EXPECT_EQ(policy.rule_for("a.sub.example.com")->severity, Severity::silence);
  // A stricter rule under a weaker parent is fine.
  svc.block(req("silenced.example", Severity::silence));
  EXPECT_NO_THROW(svc.block(req("x.silenced.example", Severity::suspend)));
  auto media = req("y.silenced.example", Severity::silence);
  media.reject_media = true;
  EXPECT_NO_THROW(svc.block(media));
}

TEST_F(DomainPolicyTest, BlockUpdatesAndUnblock) {
  auto r = req("Bad.Example.", Severity::silence);
  r.public_comment = "spam";
  EXPECT_EQ(svc.block(r).domain, "bad.example");
  BlockRequest change;
  change.domain = "bad.example";
  change.reject_media = true;
  const auto updated = svc.block(change);
  EXPECT_EQ(updated.severity, Severity::silence);
  EXPECT_TRUE(updated.reject_media);
  EXPECT_EQ(*updated.public_comment, "spam");
  svc.unblock("bad.example");
  EXPECT_THROW(svc.unblock("bad.example"), Error);
  EXPECT_THROW(svc.block(req("not a domain", Severity::noop)), Error);
}

TEST_F(DomainPolicyTest, AllowlistMode) {
  svc.allow("friends.example");
  EXPECT_FALSE(policy.is_suspended("stranger.example"));
  svc.set_mode("allowlist");
  EXPECT_TRUE(policy.is_suspended("stranger.example"));
  EXPECT_FALSE(policy.is_suspended("friends.example"));
  EXPECT_FALSE(policy.is_suspended("social.friends.example"));
  EXPECT_EQ(policy.state("stranger.example"), "not allowed");
  try {
    policy.require_federates("stranger.example");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::policy);
  }
  EXPECT_THROW(svc.allow("friends.example"), Error);
  svc.disallow("friends.example");
  EXPECT_THROW(svc.disallow("friends.example"), Error);
}

TEST_F(DomainPolicyTest, MastodonExportRoundTripsByteForByte) {
  for (const char* name : {"domain_blocks.csv", "domain_blocks_quoted.csv"}) {
    test::TestInstance fresh;
    DomainService s(fresh.env);
    const auto text = fixture(name);
    const auto report = s.import(text, {});
    EXPECT_TRUE(report.errors.empty()) << name;
    EXPECT_EQ(s.export_file(FileFormat::mastodon_csv, false), text) << name;
  }
  const auto allows = fixture("domain_allows.csv");
  ImportOptions o;
  o.allows = true;
  EXPECT_EQ(svc.import(allows, o).created, 2u);
  EXPECT_EQ(svc.export_file(FileFormat::mastodon_csv, true), allows);
}

TEST_F(DomainPolicyTest, ImportsNewerMastodonColumnsWithANote) {
  const auto report = svc.import(fixture("domain_blocks_reject_follows.csv"), {});
  EXPECT_EQ(report.created, 4u);
  ASSERT_EQ(report.notes.size(), 1u);
  EXPECT_NE(report.notes[0].find("#reject_follows"), std::string::npos);
  const auto exported = svc.export_file(FileFormat::mastodon_csv, false);
  EXPECT_EQ(exported.substr(0, exported.find('\n')),
            "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate");
}

TEST_F(DomainPolicyTest, PlainListImportsAsSuspend) {
  const auto report = svc.import(fixture("domain_blocks_list.txt"), {});
  EXPECT_EQ(report.format, FileFormat::text);
  EXPECT_EQ(report.created, 3u);
  EXPECT_EQ(policy.rule_for("worse.domain")->severity, Severity::suspend);
}

TEST_F(DomainPolicyTest, LimitIsSilenceAndTheReportListsEachDomain) {
  svc.import("old.example\n", {});
  const auto report = svc.import("#domain,#severity\nl.example,limit\nold.example,suspend\n", {});
  EXPECT_EQ(policy.rule_for("l.example")->severity, Severity::silence);
  ASSERT_EQ(report.changes.size(), 2u);
  EXPECT_EQ(report.changes[0].line, 2u);
  EXPECT_EQ(report.changes[0].domain, "l.example");
  EXPECT_EQ(report.changes[0].change, "created");
  EXPECT_EQ(report.changes[1].change, "skipped");
  EXPECT_EQ(report.to_json()["changes"][0]["severity"], "silence");
}

TEST_F(DomainPolicyTest, MissingColumnsTakeMastodonDefaults) {
  const auto report = svc.import("#domain,#severity\na.example,\nb.example,silence\n", {});
  EXPECT_EQ(report.created, 2u);
  const auto a = *policy.rule_for("a.example");
  EXPECT_EQ(a.severity, Severity::suspend);
  EXPECT_FALSE(a.reject_media);
  EXPECT_FALSE(a.public_comment);
}

TEST_F(DomainPolicyTest, BadRowsReportedByLineAndTheRestApplied) {
  const auto report = svc.import(
      "#domain,#severity,#reject_media\nok.example,silence,false\nbad domain,suspend,false\n"
      "x.example,severe,false\ny.example,noop,maybe\nz.example,noop,true\n",
      {});
  EXPECT_EQ(report.created, 2u);
  ASSERT_EQ(report.errors.size(), 3u);
  EXPECT_EQ(report.errors[0].line, 3u);
  EXPECT_EQ(report.errors[1].line, 4u);
  EXPECT_NE(report.errors[1].message.find("severity"), std::string::npos);
  EXPECT_EQ(report.errors[2].line, 5u);
  EXPECT_TRUE(policy.rule_for("z.example"));
}

TEST_F(DomainPolicyTest, ConflictsAndDryRun) {
  svc.block(req("a.example", Severity::silence));
  ImportOptions dry;
  dry.dry_run = true;
  auto report =
      svc.import("[{\"domain\": \"a.example\", \"severity\": \"suspend\"}, \"b.example\"]", dry);
  EXPECT_EQ(report.format, FileFormat::json);
  EXPECT_EQ(report.skipped, 1u);
  EXPECT_EQ(report.created, 1u);
  EXPECT_FALSE(policy.rule_for("b.example"));  // nothing written
  ImportOptions update;
  update.on_conflict = OnConflict::update;
  report = svc.import("[{\"domain\": \"a.example\", \"severity\": \"suspend\"}]", update);
  EXPECT_EQ(report.updated, 1u);
  EXPECT_EQ(policy.rule_for("a.example")->severity, Severity::suspend);
  // A weaker row under a stricter parent is a row error.
  report = svc.import("sub.a.example\n", {});
  EXPECT_EQ(report.created, 1u);  // suspend (plain list) under suspend: allowed
  report = svc.import("[{\"domain\": \"s2.a.example\", \"severity\": \"noop\"}, 5]", {});
  EXPECT_EQ(report.errors.size(), 2u);
}

TEST_F(DomainPolicyTest, UnparseableFilesAreInvalidData) {
  for (const char* text : {"[{", "{\"domain\": \"x\"}", "#domain,#severity\n\"open"}) {
    try {
      svc.import(text, {});
      FAIL() << text;
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), ErrorKind::invalid_data) << text;
    }
  }
}

TEST_F(DomainPolicyTest, JsonAndTextExportsReimport) {
  auto r = req("j.example", Severity::silence);
  r.private_comment = "internal";
  r.public_comment = "a, \"b\"";
  svc.block(r);
  for (auto f : {FileFormat::json, FileFormat::text}) {
    test::TestInstance fresh;
    DomainService s(fresh.env);
    s.import(svc.export_file(f, false), {});
    EXPECT_EQ(s.export_file(FileFormat::json, false).empty(), false);
    if (f == FileFormat::json) {
      EXPECT_EQ(s.export_file(f, false), svc.export_file(f, false));
    }
  }
}

TEST(DomainRule, PublicDomainObfuscates) {
  DomainRule r;
  r.domain = "example.com";
  r.obfuscate = true;
  EXPECT_EQ(r.public_domain(), "exa****.*om");
}

}  // namespace
}  // namespace instctl::federation
