#pragma once

// Starts tests/servers/fake_peer.py on a loopback port for the test's lifetime.

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>

#include "test_support.hpp"

namespace instctl::test {

class FakePeer {
 public:
  // `root` holds the peer's files (see fake_peer.py); POSTs are logged to log().
  explicit FakePeer(const std::string& root) : m_root(root) {
    const std::string script = std::string(INSTCTL_FIXTURES_DIR) + "/../servers/fake_peer.py";
    const std::string port_file = m_dir.file("port");
    m_log = m_dir.file("posts.log");
    m_pid = ::fork();
    if (m_pid == 0) {
      ::execlp("python3", "python3", script.c_str(), "--root", root.c_str(), "--port-file",
               port_file.c_str(), "--log", m_log.c_str(), static_cast<char*>(nullptr));
      ::_exit(127);
    }
    // Wait for the server to bind (it writes the port file once it listens).
    for (int i = 0; i < 2000 && !std::filesystem::exists(port_file); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    std::ifstream in(port_file);
    if (!(in >> m_port)) throw std::runtime_error("the fake peer did not start");
  }
  ~FakePeer() {
    ::kill(m_pid, SIGTERM);
    ::waitpid(m_pid, nullptr, 0);
  }
  int port() const { return m_port; }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(m_port); }
  std::string host() const { return "127.0.0.1:" + std::to_string(m_port); }
  std::string log() const { return m_log; }

 private:
  TempDir m_dir;
  std::string m_root;
  std::string m_log;
  pid_t m_pid = -1;
  int m_port = 0;
};

}  // namespace instctl::test
