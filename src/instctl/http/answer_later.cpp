#include "instctl/http/answer_later.hpp"

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

namespace instctl::http {

namespace {

using Steady = std::chrono::steady_clock;

// One thread that calls each callback at its time, oldest first. Made on first use and never
// destroyed: its thread waits for the next time until the process ends.
class Timers {
 public:
  static Timers& instance() {
    static Timers* timers = new Timers();  // never destroyed: its thread outlives main()
    return *timers;
  }

  void at(Steady::time_point when, std::function<void()> f) {
    {
      std::lock_guard lock(m_mutex);
      m_due.emplace(when, std::move(f));
    }
    m_wake.notify_one();
  }

 private:
  Timers() {
    std::thread([this] { run(); }).detach();
  }

  [[noreturn]] void run() {
    std::unique_lock lock(m_mutex);
    for (;;) {
      if (m_due.empty()) {
        m_wake.wait(lock);
        continue;
      }
      const auto first = m_due.begin();
      if (Steady::now() < first->first) {
        m_wake.wait_until(lock, first->first);
        continue;
      }
      auto f = std::move(first->second);
      m_due.erase(first);
      lock.unlock();
      f();
      lock.lock();
    }
  }

  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::multimap<Steady::time_point, std::function<void()>> m_due;
};

class AnswerLater : public Pending {
 public:
  AnswerLater(Response answer, Steady::time_point when)
      : m_answer(std::move(answer)), m_when(when) {}

  void start(std::function<void()> done) override {
    if (Steady::now() >= m_when) return done();
    Timers::instance().at(m_when, std::move(done));
  }

  Response finish(Env&) override { return std::move(m_answer); }

 private:
  Response m_answer;
  Steady::time_point m_when;
};

}  // namespace

Response answer_at(Response answer, Steady::time_point when) {
  Response r;
  r.pending = std::make_shared<AnswerLater>(std::move(answer), when);
  return r;
}

}  // namespace instctl::http
