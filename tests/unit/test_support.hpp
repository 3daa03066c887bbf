#pragma once

// A real SQLite file in a temporary directory, migrated and holding an instance, with a clock
// the test moves by hand.

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "instctl/core/clock.hpp"
#include "instctl/core/error.hpp"
#include "instctl/db/env.hpp"
#include "instctl/db/migrations.hpp"
#include "instctl/db/sqlite_connection.hpp"
#include "instctl/http/seams.hpp"
#include "instctl/instance/instance.hpp"

namespace instctl::test {

inline constexpr UnixTime k_test_now = 1795846898;  // 2026-11-28T06:21:38Z

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (std::filesystem::temp_directory_path() / "instctl-unit.XXXXXX").string();
    m_path = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(m_path, ec);
  }
  std::string file(const std::string& name) const { return (m_path / name).string(); }

 private:
  std::filesystem::path m_path;
};

struct TestInstance {
  explicit TestInstance(bool with_instance = true)
      : conn(db::open_sqlite(dir.file("instance.db"), db::OpenMode::create)),
        env{*conn, clock, "cli:test", &http::seams()} {
    db::migrate(*conn);
    if (with_instance) {
      instance::InitOptions o;
      o.domain = "localhost:8080";
      o.public_url = "https://localhost:8080";  // as a proxied instance has it
      o.title = "Test";
      instance::initialize(env, o);
    }
  }
  std::string path() const { return dir.file("instance.db"); }

  TempDir dir;
  FixedClock clock{k_test_now};
  std::unique_ptr<db::Connection> conn;
  Env env;
};

// The kind of the Error that `f` throws; a test failure when it throws none.
// Whether `check` comes true within 20 s (polled every 10 ms): for what another thread does.
inline bool eventually(const std::function<bool()>& check) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (std::chrono::steady_clock::now() < until) {
    if (check()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

inline ErrorKind kind_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.kind();
  }
  ADD_FAILURE() << "no error";
  return ErrorKind::internal;
}

// The message of the Error that `f` throws; empty when it throws none.
inline std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

}  // namespace instctl::test
