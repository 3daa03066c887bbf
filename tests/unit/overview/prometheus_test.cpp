#include "instctl/overview/prometheus.hpp"

#include <gtest/gtest.h>

#include <sstream>

#include "instctl/reports/report_service.hpp"
#include "instctl/users/user_service.hpp"
#include "instctl/waitlist/waitlist_service.hpp"
#include "test_support.hpp"

namespace instctl::overview {

namespace {

std::size_t lines_starting(const std::string& text, const std::string& prefix) {
  std::istringstream in(text);
  std::size_t n = 0;
  for (std::string line; std::getline(in, line);) n += line.rfind(prefix, 0) == 0;
  return n;
}

}  // namespace

TEST(InstancePrometheus, UsersAndSignUpsComeFromTheStatsCounts) {
  test::TestInstance inst;
  users::UserService svc(inst.env);
  users::CreateRequest r;
  r.username = "ann";
  r.email = "ann@example.com";
  svc.create(r);
  r.username = "bea";
  r.email = "bea@example.com";
  r.pending = true;
  svc.create(r);
  const auto text = prometheus_text(inst.env.db, inst.clock.now());
  EXPECT_NE(text.find("instctl_users{status=\"active\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("instctl_users{status=\"pending\"} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ninstctl_pending_signups 1\n"), std::string::npos) << text;
}

TEST(InstancePrometheus, WaitlistAndOpenReportsComeFromTheStatsCounts) {
  test::TestInstance inst;
  users::UserService users(inst.env);
  for (const char* name : {"ann", "bea"}) {
    users::CreateRequest u;
    u.username = name;
    u.email = std::string(name) + "@example.com";
    users.create(u);
  }
  waitlist::WaitlistService waitlist(inst.env);
  for (const char* email : {"w1@example.com", "w2@example.com", "w3@example.com"}) {
    waitlist::AddRequest w;
    w.email = email;
    waitlist.add(w);
  }
  reports::ReportService reports(inst.env);
  for (int i = 0; i < 2; ++i) {
    reports::CreateRequest r;
    r.target = "bea";
    r.reporter = "ann";
    r.comment = "report " + std::to_string(i);
    reports.create(r);
  }
  const auto text = prometheus_text(inst.env.db, inst.clock.now());
  EXPECT_NE(text.find("\ninstctl_waitlist{status=\"waiting\"} 3\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ninstctl_reports{status=\"open\"} 2\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\ninstctl_reports{status=\"resolved\"} 0\n"), std::string::npos) << text;
}

TEST(InstancePrometheus, AThousandFailingPeersGiveTenSeriesLongestFailingFirst) {
  test::TestInstance inst;
  const auto now = inst.clock.now();
  auto st = inst.env.db.prepare(
      "INSERT INTO deliveries (activity_id, activity_type, activity, inbox_url, domain, state, "
      "attempts, next_attempt_at, give_up_at, last_error, created_at, updated_at) "
      "VALUES (?, 'Create', '{}', ?, ?, 'pending', 1, ?, ?, 'refused', ?, ?)");
  for (int i = 1; i <= 1000; ++i) {
    const std::string domain = "peer" + std::to_string(i) + ".example";
    st->reset();
    st->bind_all("https://x/a/" + std::to_string(i), "https://" + domain + "/inbox", domain,
                 now + 3600, now + 86400, now - 7200 + i, now);
    st->step();
  }
  const auto text = prometheus_text(inst.env.db, now);
  EXPECT_EQ(lines_starting(text, "instctl_delivery_peer_failing_seconds{"), k_peer_series);
  EXPECT_EQ(lines_starting(text, "instctl_delivery_peer_failing_jobs{"), k_peer_series);
  EXPECT_NE(text.find("instctl_delivery_peer_failing_seconds{peer=\"peer1.example\"} 7199\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\ninstctl_delivery_failing_peers 1000\n"), std::string::npos);
  EXPECT_NE(text.find("instctl_delivery_queue{state=\"pending\"} 1000\n"), std::string::npos);
  EXPECT_NE(text.find("\ninstctl_delivery_oldest_queued_age_seconds 7199\n"), std::string::npos);
}

}  // namespace instctl::overview
