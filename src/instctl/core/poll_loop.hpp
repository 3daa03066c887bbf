#pragma once

// A background thread that works in rounds and waits between them, for serve's workers (the
// delivery worker, federation/delivery_loop.hpp, and the mail worker, mail/mail_loop.hpp).
// `start` runs first on the thread and makes the round (it opens what the rounds use, such as
// the thread's own database connection); each round returns how long to wait before the next.
// A round that throws is logged and the next one waits five idle polls: a busy or broken
// database never takes serve down. stop() interrupts the wait, lets the round in hand finish,
// and joins (the destructor does too). heartbeat() says when the thread last showed it is
// alive: before each round, and whenever the round calls the `beat` it is given (between the
// items of a long round), for serve's readiness check.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

namespace instctl {

class PollLoop {
 public:
  using Log = std::function<void(std::string_view)>;
  using Beat = std::function<void()>;
  using Round = std::function<std::chrono::milliseconds(const Beat& beat)>;
  // `name` starts each log line ("delivery: ...").
  PollLoop(std::string name, std::function<Round()> start, Log log,
           std::chrono::milliseconds idle_poll);
  ~PollLoop();
  PollLoop(const PollLoop&) = delete;
  PollLoop& operator=(const PollLoop&) = delete;

  void stop();

  // When the thread last showed it is alive; nullopt once it has ended (stopped, or failed to
  // start). Any thread may ask.
  std::optional<std::chrono::steady_clock::time_point> heartbeat() const;

 private:
  void beat();
  void run(const std::function<Round()>& start);
  // Waits up to `d`; false when stopping.
  bool wait(std::chrono::milliseconds d);

  std::string m_name;
  Log m_log;
  std::chrono::milliseconds m_idle_poll;
  std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_stopping = false;
  std::atomic<std::chrono::steady_clock::rep> m_beat;
  std::atomic<bool> m_alive{true};
  std::thread m_thread;
};

}  // namespace instctl
