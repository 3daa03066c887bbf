#include "instctl/net/curl_multi.hpp"

#include "instctl/core/error.hpp"
#include "instctl/net/curl_api.hpp"

namespace instctl::net::curl {

Multi& Multi::shared() {
  static Multi multi;  // after curl::api()'s own static, so destroyed before it
  return multi;
}

Multi::Multi() {
  const Api& lib = api();
  m_multi = lib.multi_init();
  if (m_multi == nullptr) throw Error(ErrorKind::internal, "libcurl could not start");
  m_thread = std::thread([this] { run(); });
}

Multi::~Multi() {
  {
    std::lock_guard lock(m_mutex);
    m_stop = true;
  }
  api().multi_wakeup(m_multi);
  m_thread.join();
  api().multi_cleanup(m_multi);
}

void Multi::add(std::unique_ptr<Transfer> transfer) {
  {
    std::lock_guard lock(m_mutex);
    if (!m_stop) {
      m_queued.push_back(std::move(transfer));
      ++m_active;
    }
  }
  if (transfer) {
    // The process is exiting: the transfer ends at once, so whoever waits for it is told.
    transfer->finished(CURLE_ABORTED_BY_CALLBACK);
    return;
  }
  api().multi_wakeup(m_multi);
}

std::size_t Multi::active() const {
  std::lock_guard lock(m_mutex);
  return m_active;
}

void Multi::run() {
  const Api& lib = api();
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
  for (;;) {
    std::vector<std::unique_ptr<Transfer>> added;
    {
      std::lock_guard lock(m_mutex);
      if (m_stop) break;
      added.swap(m_queued);
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
    // Sleeps until a socket is ready, libcurl's own timeout (a transfer's deadline) or a wakeup.
    lib.multi_poll(m_multi, nullptr, 0, 1000, nullptr);
  }
  // Stopping (the process exits): what is still running or queued ends as aborted.
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

}  // namespace instctl::net::curl
