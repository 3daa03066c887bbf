#include "instctl/metrics/registry.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace instctl::metrics {
namespace {

TEST(MetricsRegistry, CountersSumEveryThreadsShardAndLeaveOutSeriesThatNeverMoved) {
  CounterFamily c("t_total", "Things", Labels{{"kind", "result"}, {{"a", "b"}, {"ok", "no"}}});
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&c] {
      for (int i = 0; i < 1000; ++i) c.add(c.labels().index({1, 0}));
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(c.value(c.labels().index({1, 0})), 4000u);
  std::string out;
  c.render(out);
  EXPECT_EQ(
      out,
      "# HELP t_total Things\n# TYPE t_total counter\nt_total{kind=\"b\",result=\"ok\"} 4000\n");
}

TEST(MetricsRegistry, AFamilyWithoutLabelsAlwaysShowsItsValue) {
  CounterFamily c("n_total", "N", Labels{});
  std::string out;
  c.render(out);
  EXPECT_NE(out.find("\nn_total 0\n"), std::string::npos) << out;
}

TEST(MetricsRegistry, HistogramBucketsAreCumulativeWithSumAndCount) {
  HistogramFamily h("d_seconds", "D", Labels{{"route"}, {{"/x", "other"}}}, {0.01, 0.1});
  h.observe(0, 0.005);
  h.observe(0, 0.05);
  h.observe(0, 3);
  std::string out;
  h.render(out);
  EXPECT_NE(out.find("d_seconds_bucket{route=\"/x\",le=\"0.01\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("d_seconds_bucket{route=\"/x\",le=\"0.1\"} 2\n"), std::string::npos) << out;
  EXPECT_NE(out.find("d_seconds_bucket{route=\"/x\",le=\"+Inf\"} 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("d_seconds_sum{route=\"/x\"} 3.055\n"), std::string::npos) << out;
  EXPECT_NE(out.find("d_seconds_count{route=\"/x\"} 3\n"), std::string::npos) << out;
  EXPECT_EQ(out.find("other"), std::string::npos) << "a series never observed is left out";
}

TEST(MetricsRegistry, LabelValuesAreEscaped) {
  EXPECT_EQ(escape_label_value("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
}

}  // namespace
}  // namespace instctl::metrics
