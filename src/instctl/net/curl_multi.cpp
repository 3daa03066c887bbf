#include "instctl/net/curl_multi.hpp"

#include <algorithm>
#include <cstdint>

#include "instctl/core/error.hpp"
#include "instctl/net/curl_api.hpp"
#include "instctl/net/http_client.hpp"

namespace instctl::net::curl {

Multi& Multi::shared() {
  static Multi multi;
  return multi;
}

Multi::~Multi() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
    if (m_running) (*m_lib)->multi_wakeup(m_multi);
  }
  if (m_thread.joinable()) m_thread.join();
}

void Multi::start() {
  // The previous thread decided to end: let it finish its cleanup first (it takes no lock).
  if (m_thread.joinable()) m_thread.join();
  m_lib.emplace();
  m_multi = (*m_lib)->multi_init();
  if (m_multi == nullptr) {
    m_lib.reset();
    throw Error(ErrorKind::internal, "libcurl could not start");
  }
  m_running = true;
  m_thread = std::thread([this] { run(); });
}

void Multi::add(std::unique_ptr<Transfer> transfer) {
  // The process is exiting: the transfer ends at once, so whoever waits for it is told.
  CURLcode refused = CURLE_ABORTED_BY_CALLBACK;
  {
    std::lock_guard lock(m_mutex);
    if (!m_stop) {
      if (m_running || !caught([this] { start(); })) {
        m_queued.push_back(std::move(transfer));
        ++m_active;
        // Under the lock: the thread cannot end (and clean the handle up) before it saw this.
        (*m_lib)->multi_wakeup(m_multi);
        return;
      }
      refused = CURLE_FAILED_INIT;  // libcurl could not start a multi
    }
  }
  // Without the lock: finished() may add the next transfer.
  transfer->finished(refused);
}

std::size_t Multi::active() const {
  std::lock_guard lock(m_mutex);
  return m_active;
}

bool Multi::running() const {
  std::lock_guard lock(m_mutex);
  return m_running;
}

void Multi::run() {
  const Api& lib = **m_lib;
  std::map<CURL*, std::unique_ptr<Transfer>> running;
  // Ends a transfer: off the multi, then its callback (which may add the next one).
  const auto end = [&](std::unique_ptr<Transfer> t, CURLcode rc) {
    try {
      t->finished(rc);
    } catch (...) {
      // finished() reports its own errors; nothing may escape onto this thread.
    }
    t.reset();
    std::lock_guard lock(m_mutex);
    --m_active;
  };
  using Clock = std::chrono::steady_clock;
  auto last_busy = Clock::now();
  bool stopping = false;
  for (;;) {
    std::vector<std::unique_ptr<Transfer>> added;
    {
      std::lock_guard lock(m_mutex);
      if (m_stop) {
        stopping = true;
        break;
      }
      added.swap(m_queued);
      if (added.empty() && running.empty() && Clock::now() - last_busy >= idle_release) {
        m_running = false;  // from here on, add() starts another thread
        break;
      }
    }
    for (auto& t : added) {
      CURL* easy = t->easy();
      if (lib.multi_add_handle(m_multi, easy) != CURLM_OK) {
        end(std::move(t), CURLE_FAILED_INIT);
        continue;
      }
      running.emplace(easy, std::move(t));
    }
    int still = 0;
    lib.multi_perform(m_multi, &still);
    int left = 0;
    while (CURLMsg* msg = lib.multi_info_read(m_multi, &left)) {
      if (msg->msg != CURLMSG_DONE) continue;
      CURL* easy = msg->easy_handle;
      const CURLcode rc = msg->data.result;
      lib.multi_remove_handle(m_multi, easy);
      auto it = running.find(easy);
      if (it == running.end()) continue;
      auto t = std::move(it->second);
      running.erase(it);
      end(std::move(t), rc);
    }
    if (!running.empty()) last_busy = Clock::now();
    // Sleeps until a socket is ready, libcurl's own timeout (a transfer's deadline), a wakeup,
    // or the moment the thread has been idle long enough to end.
    const auto idle_left = std::chrono::duration_cast<std::chrono::milliseconds>(
        idle_release - (Clock::now() - last_busy));
    const int wait_ms =
        running.empty() ? static_cast<int>(std::clamp<std::int64_t>(idle_left.count() + 1, 1, 1000))
                        : 1000;
    lib.multi_poll(m_multi, nullptr, 0, wait_ms, nullptr);
  }
  if (stopping) {
    // The process exits: what is still running or queued ends as aborted.
    for (auto& [easy, t] : running) {
      lib.multi_remove_handle(m_multi, easy);
      end(std::move(t), CURLE_ABORTED_BY_CALLBACK);
    }
    std::vector<std::unique_ptr<Transfer>> queued;
    {
      std::lock_guard lock(m_mutex);
      queued.swap(m_queued);
    }
    for (auto& t : queued) end(std::move(t), CURLE_ABORTED_BY_CALLBACK);
  }
  // Idle (or exiting): the multi's caches go, and libcurl with them when nothing else holds it.
  // No lock is taken from here: a new start() joins this thread while holding m_mutex.
  lib.multi_cleanup(m_multi);
  m_multi = nullptr;
  m_lib.reset();
  if (!stopping) release_unused();
}

}  // namespace instctl::net::curl
