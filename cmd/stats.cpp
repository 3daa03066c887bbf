// instctl stats: the instance at a glance.

#include "instctl/overview/stats.hpp"

#include <fmt/format.h>

#include "cli.hpp"
#include "instctl/overview/prometheus.hpp"

namespace instctl::cli {

std::string sparkline(const Json& series) {
  static const char* const bars[] = {"▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"};
  std::int64_t max = 0;
  for (const auto& v : series) max = std::max<std::int64_t>(max, v.get<std::int64_t>());
  std::string out;
  for (const auto& v : series) {
    const auto n = v.get<std::int64_t>();
    out += max == 0 ? bars[0] : bars[(n * 7 + max - 1) / max];
  }
  return out;
}

namespace {

// "unsent 1, sent 4" for an object of counts.
std::string count_list(const Json& counts) {
  std::vector<std::string> parts;
  for (auto jt = counts.begin(); jt != counts.end(); ++jt)
    parts.push_back(fmt::format("{} {}", jt.key(), jt->dump()));
  return fmt::format("{}", fmt::join(parts, ", "));
}

void print_table(const Json& stats) {
  std::string text;
  for (auto it = stats["counts"].begin(); it != stats["counts"].end(); ++it) {
    const bool nested = it->is_object() && !it->empty() && it->begin()->is_object();
    if (nested) {  // mails: a line per kind
      text += it.key() + "\n";
      for (auto jt = it->begin(); jt != it->end(); ++jt) {
        text += fmt::format("  {:<20}{}\n", jt.key(), count_list(*jt));
      }
    } else if (it->is_object()) {
      text += fmt::format("{:<22}{}\n", it.key(), it->empty() ? "none" : count_list(*it));
    } else {
      text += fmt::format("{:<22}{}\n", it.key(), it->dump());
    }
  }
  const auto& days = stats["days"];
  text += fmt::format("\nlast 30 days ({} .. {})\n", days.front().get<std::string>(),
                      days.back().get<std::string>());
  for (auto it = stats["daily"].begin(); it != stats["daily"].end(); ++it) {
    std::int64_t total = 0;
    for (const auto& v : *it) total += v.get<std::int64_t>();
    text += fmt::format("{:<22}{}  {} in all, {} today\n", it.key(), sparkline(*it), total,
                        it->back().get<std::int64_t>());
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
}

void setup_stats(CLI::App& app, Context& ctx) {
  auto* cmd = app.add_subcommand(
      "stats", "Counts of users, invites, waitlist, reports, domains and deliveries, with trends");
  cmd->callback([&ctx] {
    if (ctx.opts.format == "prometheus" && !ctx.opts.json) {
      // The instance's gauges as GET /metrics serves them, for node_exporter's textfile
      // collector.
      const std::string text = overview::prometheus_text(ctx.db(), ctx.clock().now());
      std::fwrite(text.data(), 1, text.size(), stdout);
      return;
    }
    const Json stats = overview::collect_stats(ctx.db(), ctx.clock().now());
    if (ctx.out().format() == Format::table && !ctx.out().quiet()) {
      print_table(stats);
    } else {
      ctx.out().item(stats, View{{}, "counts", ""});
    }
  });
}

}  // namespace

INSTCTL_COMMAND_GROUP(35, "stats", setup_stats);

}  // namespace instctl::cli
