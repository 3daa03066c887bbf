// The clock of bench_users_modify.sh: how long a command takes from start to exit, with nothing
// of the clock's own in the interval (a shell's `date` before and after would add two process
// starts to every figure, the same to both sides, and so flatter the larger one).
//
//   spawn_clock RUNS COMMAND_A ARGS... -- COMMAND_B ARGS...
//
// Runs A then B, RUNS times, and prints one line per run: A's and B's wall time in
// nanoseconds, from just before posix_spawn to just after waitpid. "{i}" in an argument is
// replaced by the run's number, so each run can write a new value. Their standard output goes
// to /dev/null; a command that fails ends the program with status 1 and its exit status said.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

extern char** environ;

namespace {

std::vector<std::string> with_run(const std::vector<std::string>& args, int run) {
  std::vector<std::string> out;
  for (std::string a : args) {
    for (auto at = a.find("{i}"); at != std::string::npos; at = a.find("{i}", at)) {
      a.replace(at, 3, std::to_string(run));
    }
    out.push_back(std::move(a));
  }
  return out;
}

long long timed(const std::vector<std::string>& args, const posix_spawn_file_actions_t* actions) {
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], actions, nullptr, argv.data(), environ) != 0) {
    std::fprintf(stderr, "spawn_clock: cannot start %s\n", argv[0]);
    std::exit(1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  const auto end = std::chrono::steady_clock::now();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::fprintf(stderr, "spawn_clock: %s failed (status %d)\n", argv[0], status);
    std::exit(1);
  }
  return std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> a;
  std::vector<std::string> b;
  bool second = false;
  for (int i = 2; i < argc; ++i) {
    if (!second && std::string_view(argv[i]) == "--") {
      second = true;
    } else {
      (second ? b : a).emplace_back(argv[i]);
    }
  }
  const int runs = argc > 1 ? std::atoi(argv[1]) : 0;
  if (runs <= 0 || a.empty() || b.empty()) {
    std::fprintf(stderr, "usage: spawn_clock RUNS COMMAND_A ARGS... -- COMMAND_B ARGS...\n");
    return 2;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  for (int run = 1; run <= runs; ++run) {
    const long long ta = timed(with_run(a, run), &actions);
    const long long tb = timed(with_run(b, run), &actions);
    std::printf("%lld %lld\n", ta, tb);
  }
  posix_spawn_file_actions_destroy(&actions);
  return 0;
}
