#include "instctl/db/sql_stats.hpp"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace instctl::db::sql_stats {

namespace {
std::atomic<std::int64_t> g_statements{0};
std::atomic<std::int64_t> g_vm_steps{0};
std::atomic<std::int64_t> g_commits{0};
std::string g_path;

void write_at_exit() {
  FILE* f = std::fopen(g_path.c_str(), "a");
  if (f == nullptr) return;
  std::fprintf(f, "{\"statements\": %lld, \"vm_steps\": %lld, \"commits\": %lld}\n",
               static_cast<long long>(g_statements.load()),
               static_cast<long long>(g_vm_steps.load()), static_cast<long long>(g_commits.load()));
  std::fclose(f);
}

bool read_setting() {
  const char* p = std::getenv("INSTCTL_SQL_STATS");
  if (p == nullptr || *p == '\0') return false;
  g_path = p;
  std::atexit(write_at_exit);
  return true;
}
}  // namespace

bool enabled() {
  static const bool on = read_setting();
  return on;
}

void count_statement() {
  if (enabled()) g_statements.fetch_add(1, std::memory_order_relaxed);
}

void count_vm_steps(std::int64_t steps) {
  if (enabled()) g_vm_steps.fetch_add(steps, std::memory_order_relaxed);
}

void count_commit() {
  if (enabled()) g_commits.fetch_add(1, std::memory_order_relaxed);
}

}  // namespace instctl::db::sql_stats
