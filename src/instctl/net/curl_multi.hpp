#pragma once

// The process's libcurl multi handle and the one thread that drives it. Every outbound HTTP
// exchange of net::HttpClient runs here, asynchronously: a transfer waiting on a slow server
// costs a socket and a few kilobytes, never a thread.
//
// Why a thread of its own rather than curl_multi_socket_action on an Asio io_context: the
// server's event loops must only do their own I/O, and one loop over curl_multi_poll (woken
// by curl_multi_wakeup when a transfer is added) is the simplest correct driver; libcurl's
// threaded resolver is waited on by the same poll, so DNS is bounded by each transfer's
// CURLOPT_TIMEOUT_MS like the rest of the exchange.
//
// The thread, its multi handle and libcurl live only while there is work: once no transfer
// has run for Multi::idle_release, the thread cleans the multi up (its connection, DNS and
// CA caches), drops its Lease so libcurl is unloaded (curl::release_unused) and ends; the
// next transfer starts them again. A burst keeps them; an idle server gives the memory back.
//
// Transfer::finished runs on that thread: it must be short (parse, sign a follow-up request,
// hand the result to another executor) and must never wait for another transfer.

#include <curl/curl.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "instctl/net/curl_lease.hpp"

namespace instctl::net::curl {

// One easy handle the multi runs, and what to do when it has ended.
class Transfer {
 public:
  virtual ~Transfer() = default;
  virtual CURL* easy() = 0;
  // Called once on the multi's thread, after the handle was removed from the multi (or, when
  // the process exits, with CURLE_ABORTED_BY_CALLBACK wherever it stands).
  virtual void finished(CURLcode result) = 0;
};

class Multi {
 public:
  // How long the thread and libcurl stay after the last transfer ended.
  static constexpr std::chrono::milliseconds idle_release{1000};

  // The process's multi (its thread and libcurl start with the first transfer added).
  static Multi& shared();
  ~Multi();
  Multi(const Multi&) = delete;
  Multi& operator=(const Multi&) = delete;

  // Starts the transfer (from any thread, the multi's own included); starts the thread and
  // loads libcurl when they are not running (Error(internal) when libcurl cannot be loaded).
  void add(std::unique_ptr<Transfer> transfer);
  // Transfers added and not finished: for tests.
  std::size_t active() const;
  // Whether the thread runs (it ends idle_release after the last transfer): for tests.
  bool running() const;

 private:
  Multi() = default;
  void start();  // with m_mutex held
  void run();

  mutable std::mutex m_mutex;
  std::optional<Lease> m_lib;  // held while the thread runs
  CURLM* m_multi = nullptr;
  std::vector<std::unique_ptr<Transfer>> m_queued;  // added, not yet given to the multi
  std::size_t m_active = 0;
  bool m_stop = false;
  bool m_running = false;  // the thread has not decided to end
  std::thread m_thread;
};

}  // namespace instctl::net::curl
