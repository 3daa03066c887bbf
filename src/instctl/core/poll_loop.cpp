#include "instctl/core/poll_loop.hpp"

#include <fmt/format.h>
#include <malloc.h>

namespace instctl {

PollLoop::PollLoop(std::string name, std::function<Round()> start, Log log,
                   std::chrono::milliseconds idle_poll)
    : m_name(std::move(name)),
      m_log(std::move(log)),
      m_idle_poll(idle_poll),
      m_beat(std::chrono::steady_clock::now().time_since_epoch().count()) {
  m_thread = std::thread([this, start = std::move(start)] { run(start); });
}

PollLoop::~PollLoop() { stop(); }

void PollLoop::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_cv.notify_all();
  if (m_thread.joinable()) m_thread.join();
}

void PollLoop::beat() { m_beat.store(std::chrono::steady_clock::now().time_since_epoch().count()); }

std::optional<std::chrono::steady_clock::time_point> PollLoop::heartbeat() const {
  if (!m_alive.load()) return std::nullopt;
  using C = std::chrono::steady_clock;
  return C::time_point(C::duration(m_beat.load()));
}

bool PollLoop::wait(std::chrono::milliseconds d) {
  std::unique_lock lock(m_mutex);
  return !m_cv.wait_for(lock, d, [this] { return m_stopping; });
}

void PollLoop::run(const std::function<Round()>& start) {
  struct Ended {  // however the thread ends
    std::atomic<bool>& alive;
    ~Ended() { alive.store(false); }
  } ended{m_alive};
  const Beat beat_fn = [this] { beat(); };
  try {
    const Round round = start();
    bool worked = false;  // the last round found work
    while (true) {
      std::chrono::milliseconds pause = m_idle_poll;
      beat();
      try {
        pause = round(beat_fn);
      } catch (const std::exception& e) {
        m_log(fmt::format("{}: {}", m_name, e.what()));
        pause = m_idle_poll * 5;
      }
      // A burst of work (a batch of deliveries or mails) is over: give back to the system
      // what it allocated and freed, so an idle server's memory is not its busiest moment's.
      if (pause >= m_idle_poll && worked) malloc_trim(0);
      worked = pause < m_idle_poll;
      if (!wait(pause)) return;
    }
  } catch (const std::exception& e) {
    m_log(fmt::format("{} worker stopped: {}", m_name, e.what()));
  }
}

}  // namespace instctl
