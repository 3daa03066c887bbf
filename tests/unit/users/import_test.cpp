#include "instctl/users/import.hpp"

#include <gtest/gtest.h>

#include "instctl/core/error.hpp"
#include "instctl/users/export.hpp"
#include "instctl/users/user_service.hpp"
#include "test_support.hpp"

namespace instctl::users {

namespace {
struct Collector final : ImportListener {
  std::vector<RowOutcome> rows;
  void row_done(const RowOutcome& o) override { rows.push_back(o); }
  std::string reason(std::size_t line) const {
    for (const auto& r : rows) {
      if (r.line == line) return r.reason;
    }
    return "(no row on line " + std::to_string(line) + ")";
  }
};
}  // namespace

class ImportTest : public ::testing::Test {
 protected:
  ImportSummary import(std::string text, ImportOptions opts = {}) {
    collected = Collector{};
    auto in = ByteReader::from_string(std::move(text));
    return import_users(t.env, in, opts, collected);
  }
  std::int64_t count(const std::string& where = "1=1") {
    auto st = t.conn->prepare("SELECT count(*) FROM accounts WHERE " + where);
    st->step();
    return st->get_int(0);
  }
  std::string export_text(ImportFormat f) {
    std::string out;
    export_users(*t.conn, ListFilter{}, f, [&](std::string_view s) { out += s; });
    return out;
  }

  test::TestInstance t;
  Collector collected;
};

TEST_F(ImportTest, CreatesUsersWithoutKeysPasswordsOrPerRowAudit) {
  const auto s = import(
      "email,username,role,display_name\n"
      "amy@example.com,amy,moderator,Amy A\n"
      "bob@Example.COM,bob,,\n");
  EXPECT_EQ(s.format, ImportFormat::csv);
  EXPECT_EQ(s.rows, 2u);
  EXPECT_EQ(s.created, 2u);
  EXPECT_EQ(s.failed, 0u);
  UserService svc(t.env);
  const auto amy = svc.resolve("amy");
  EXPECT_EQ(amy.role, Role::moderator);
  EXPECT_EQ(amy.display_name, "Amy A");
  EXPECT_FALSE(amy.has_keys) << "keys appear when first needed";
  EXPECT_TRUE(amy.activation_pending);
  EXPECT_EQ(svc.resolve("bob").email, "bob@example.com");
  EXPECT_EQ(count("password_hash IS NOT NULL"), 0);
  ASSERT_TRUE(collected.rows[0].activation_url);
  EXPECT_EQ(collected.rows[0].activation_url->rfind("https://localhost:8080/auth/activate/", 0),
            0u);
  auto st =
      t.conn->prepare("SELECT count(*), max(details) FROM audit_log WHERE action = 'users.import'");
  st->step();
  EXPECT_EQ(st->get_int(0), 1);
  EXPECT_NE(st->get_text(1).find("\"created\":2"), std::string::npos);
  svc.ensure_keys(amy.id);
  EXPECT_TRUE(svc.resolve("amy").has_keys);
}

TEST_F(ImportTest, ReportsEachBadRowWithItsLineAndAppliesTheRest) {
  const auto s = import(
      "username,email,note\n"
      "ok1,ok1@example.com,\"two\nlines\"\n"  // lines 2-3
      "bad name,x@example.com,\n"             // 4
      "ok2,not-an-email,\n"                   // 5
      "ok3,ok3@example.com\n"                 // 6: missing field
      "ok1,other@example.com,\n"              // 7: duplicate username
      "ok4,OK1@example.com,\n"                // 8: duplicate email
      "admin,a@example.com,\n"                // 9: reserved
      "ok5,ok5@example.com,\xff\n"            // 10: invalid UTF-8
      "ok6,ok6@example.com,fine\n");          // 11
  EXPECT_EQ(s.rows, 9u);
  EXPECT_EQ(s.created, 2u);
  EXPECT_EQ(s.failed, 7u);
  EXPECT_NE(collected.reason(4).find("only letters, digits and underscores"), std::string::npos);
  EXPECT_NE(collected.reason(5).find("not an email address"), std::string::npos);
  EXPECT_NE(collected.reason(6).find("a field is missing"), std::string::npos);
  EXPECT_EQ(collected.reason(7), "duplicate: the username 'ok1' is also on line 2");
  EXPECT_EQ(collected.reason(8), "duplicate: the email address OK1@example.com is also on line 2");
  EXPECT_NE(collected.reason(9).find("reserved"), std::string::npos);
  EXPECT_EQ(collected.reason(10), "the note field is not valid UTF-8: save the file as UTF-8");
  EXPECT_EQ(count("username IN ('ok1', 'ok6')"), 2);
  EXPECT_EQ(count(), 2);
}

TEST_F(ImportTest, ConflictPolicies) {
  import("username,email,display_name\nann,ann@example.com,Ann\nbo,bo@example.com,\n");
  auto s = import("username,email,display_name\nann,ann@example.com,Ann B\nzed,bo@example.com,\n");
  EXPECT_EQ(s.failed, 2u);
  EXPECT_NE(collected.reason(2).find("already exists"), std::string::npos);
  EXPECT_EQ(collected.reason(3),
            "the email address bo@example.com already belongs to the user 'bo'");

  ImportOptions skip;
  skip.on_conflict = OnConflict::skip;
  s = import("username,email\nann,new@example.com\ncy,cy@example.com\nann,x@example.com\n", skip);
  EXPECT_EQ(s.skipped, 1u);
  EXPECT_EQ(s.created, 1u);
  EXPECT_EQ(s.failed, 1u) << "a duplicate inside the file is an error even when skipping";
  EXPECT_EQ(collected.reason(4), "duplicate: the username 'ann' is also on line 2");

  ImportOptions update;
  update.on_conflict = OnConflict::update;
  s = import("username,email,role\nANN,ann2@example.com,admin\ncy,ann2@example.com,\n", update);
  EXPECT_EQ(s.updated, 1u);
  EXPECT_EQ(s.failed, 1u);
  UserService svc(t.env);
  const auto ann = svc.resolve("ann");
  EXPECT_EQ(ann.email, "ann2@example.com");
  EXPECT_EQ(ann.role, Role::admin);
  EXPECT_EQ(ann.display_name, "Ann") << "a column the file lacks is left alone";
}

TEST_F(ImportTest, DeletedUsernamesAreNeverReused) {
  UserService svc(t.env);
  CreateRequest req;
  req.username = "gone";
  req.email = "gone@example.com";
  svc.create(req);
  svc.remove("gone");
  ImportOptions update;
  update.on_conflict = OnConflict::update;
  import("username,email\ngone,gone@example.com\n", update);
  EXPECT_EQ(collected.reason(2), "the user 'gone' is deleted and cannot be updated");
  import("username,email\ngone,g2@example.com\n");
  EXPECT_NE(collected.reason(2).find("deleted account and is never reused"), std::string::npos);
}

TEST_F(ImportTest, DryRunReportsExactlyWhatARealRunDoesAndChangesNothing) {
  const std::string file = "username,email\nd1,d1@example.com\nd1,dup@example.com\nd2,bad\n";
  ImportOptions dry;
  dry.dry_run = true;
  const auto before = count();
  const auto d = import(file, dry);
  const auto dry_rows = collected.rows;
  EXPECT_EQ(count(), before);
  auto audit = t.conn->prepare("SELECT count(*) FROM audit_log WHERE action = 'users.import'");
  audit->step();
  EXPECT_EQ(audit->get_int(0), 0) << "a dry run changes nothing, so it is not audited";
  audit.reset();
  const auto r = import(file);
  EXPECT_EQ(d.created, r.created);
  EXPECT_EQ(d.failed, r.failed);
  ASSERT_EQ(dry_rows.size(), collected.rows.size());
  for (std::size_t i = 0; i < dry_rows.size(); ++i) {
    EXPECT_EQ(dry_rows[i].result, collected.rows[i].result);
    EXPECT_EQ(dry_rows[i].reason, collected.rows[i].reason);
  }
  EXPECT_FALSE(dry_rows[0].activation_url) << "no link for a user that does not exist";
}

TEST_F(ImportTest, JsonAndNdjsonRows) {
  auto s = import(
      "[\n {\"username\": \"j1\", \"email\": \"j1@example.com\", \"note\": null},\n"
      " {\"username\": \"j2\", \"email\": \"j2@example.com\", \"age\": \"3\"},\n"
      " {\"username\": 7, \"email\": \"j3@example.com\"},\n"
      " \"text\",\n {\"username\": \"j4\"}\n]");
  EXPECT_EQ(s.format, ImportFormat::json);
  EXPECT_EQ(s.created, 1u);
  EXPECT_EQ(s.failed, 4u);
  EXPECT_NE(collected.reason(3).find("unknown field 'age'"), std::string::npos);
  EXPECT_EQ(collected.reason(4), "the field 'username' must be a string, not number");
  EXPECT_NE(collected.reason(5).find("expected an object"), std::string::npos);
  EXPECT_EQ(collected.reason(6), "the email address is missing");

  s = import("{\"username\": \"n1\", \"email\": \"n1@example.com\"}\n{broken\n");
  EXPECT_EQ(s.format, ImportFormat::ndjson);
  EXPECT_EQ(s.created, 1u);
  EXPECT_NE(collected.reason(2).find("not valid JSON"), std::string::npos);

  // Found by the import_rows fuzz target: a number too large for a double threw out_of_range,
  // which nothing caught, and the import died.
  s = import(
      "{\"username\": \"n2\", \"email\": \"n2@example.com\"}\n"
      "{\"username\": \"n3\", \"email\": \"n3@example.com\", \"note\": 6e6666}\n");
  EXPECT_EQ(s.created, 1u);
  EXPECT_EQ(collected.reason(2), "not valid JSON (number overflow parsing '6e6666')");
  s = import("[{\"username\": \"n4\", \"email\": \"n4@example.com\", \"x\": -1e400}]");
  EXPECT_EQ(s.failed, 1u);
  EXPECT_NE(collected.reason(1).find("number overflow"), std::string::npos);
}

TEST_F(ImportTest, UnreadableFilesAreRefusedWhole) {
  auto kind = [&](std::string text, std::optional<ImportFormat> f = std::nullopt) {
    ImportOptions o;
    o.format = f;
    try {
      import(std::move(text), o);
    } catch (const Error& e) {
      return e.kind();
    }
    return ErrorKind::internal;
  };
  EXPECT_EQ(kind(""), ErrorKind::invalid_data);
  EXPECT_EQ(kind("username,email,password\n"), ErrorKind::invalid_data);
  EXPECT_EQ(kind("username,display_name\n"), ErrorKind::invalid_data);
  EXPECT_EQ(kind("username,email,email\n"), ErrorKind::invalid_data);
  EXPECT_EQ(kind("{}", ImportFormat::json), ErrorKind::invalid_data);
  EXPECT_EQ(count(), 0);
}

TEST_F(ImportTest, SmallBatchesCommitAsTheyGo) {
  ImportOptions o;
  o.batch_size = 2;
  std::string file = "username,email\n";
  for (int i = 0; i < 7; ++i)
    file += "b" + std::to_string(i) + ",b" + std::to_string(i) + "@example.com\n";
  file += "b0,again@example.com\n";
  const auto s = import(file, o);
  EXPECT_EQ(s.created, 7u);
  EXPECT_EQ(collected.reason(9), "duplicate: the username 'b0' is also on line 2")
      << "duplicates are found across batches";
}

TEST_F(ImportTest, ExportReimportsToTheSameUsers) {
  import(
      "username,email,display_name,role,note\n"
      "r1,r1@example.com,\"Smith, Jo\",admin,\"says \"\"hi\"\"\nand more\"\n"
      "r2,r2@example.com,Zoë,user,\n");
  for (auto f : {ImportFormat::csv, ImportFormat::json, ImportFormat::ndjson}) {
    const std::string first = export_text(f);
    test::TestInstance other;
    Collector c;
    auto in = ByteReader::from_string(first);
    const auto s = import_users(other.env, in, ImportOptions{}, c);
    EXPECT_EQ(s.created, 2u) << to_string(f);
    std::string second;
    export_users(*other.conn, ListFilter{}, f, [&](std::string_view x) { second += x; });
    EXPECT_EQ(first, second) << to_string(f);
  }
  EXPECT_EQ(export_text(ImportFormat::csv).substr(0, 38),
            "username,email,display_name,role,note\r");
}

}  // namespace instctl::users
