#pragma once

// The inbox's key fetches, off the server's workers: they run on the outbound client's
// libcurl multi (net::HttpClient::send_async), so a slow or silent key host holds a socket,
// never a thread, let alone one that has a database connection.
//
//   KeyFetcher::shared().fetch(order, [](const KeyFetch& k) { ... });   // any thread
//
// Rules, per the process:
//   - requests for a keyId already being fetched share that fetch;
//   - at most `per_host` fetches run at once per host; more wait their turn, without a thread;
//   - each fetch, both documents and every redirect, has `deadline` from the moment it was
//     asked for (time spent waiting for a turn counts);
//   - a host that did not answer (refused, timed out, not resolved, refused by the guards) is
//     not asked again for `retry_after`: fetches for it fail at once meanwhile, so a flood of
//     requests naming one dead host costs one fetch;
//   - at most `max_waiting` fetches wait for a turn; more fail at once.
// The callback runs exactly once, on the client's thread or on the caller's (when the answer is
// known at once): it must be short (the server posts the rest of the request to a worker).
// Fetches go through net::HttpClient, with its guards.

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "instctl/federation/inbox_keys.hpp"
#include "instctl/net/http_client.hpp"

namespace instctl::federation {

struct KeyFetchOrder {
  std::string key_id;
  FetchSigner signer;
  net::ClientOptions options;  // the instance's (instance::client_options)
  UnixTime now = 0;            // for the fetch's signature
};

class KeyFetcher {
 public:
  using Clock = std::chrono::steady_clock;
  using Done = std::function<void(const KeyFetch&)>;
  struct Limits {
    int per_host = 2;
    Clock::duration deadline = std::chrono::seconds(5);
    Clock::duration retry_after = std::chrono::seconds(30);
    std::size_t max_waiting = 1000;
  };

  explicit KeyFetcher(Limits limits);
  KeyFetcher() : KeyFetcher(Limits{}) {}
  ~KeyFetcher();
  KeyFetcher(const KeyFetcher&) = delete;
  KeyFetcher& operator=(const KeyFetcher&) = delete;

  void fetch(KeyFetchOrder order, Done done);
  // Fetches started (not shared, not refused at once) since the start: for tests.
  std::size_t started() const;

  // The process's fetcher (the server's inbox uses it).
  static KeyFetcher& shared();

 private:
  struct Job {
    KeyFetchOrder order;
    Clock::time_point deadline;
  };
  struct Host {
    int running = 0;
    std::deque<Job> waiting;
    Clock::time_point failed_until{};
  };
  void launch(Job job);  // without m_mutex held
  void finished(const KeyFetchOrder& order, const KeyFetch& result);
  void prune(Clock::time_point now);
  static constexpr std::size_t k_prune_above = 4096;
  // Takes the callbacks of a key's fetch (with m_mutex held).
  std::vector<Done> take(const std::string& key_id);

  const Limits m_limits;
  mutable std::mutex m_mutex;
  std::map<std::string, std::vector<Done>> m_in_flight;  // keyId -> who waits for it
  std::map<std::string, Host> m_hosts;
  std::size_t m_waiting = 0;
  std::size_t m_started = 0;
  std::size_t m_running = 0;       // fetches started and not finished
  std::condition_variable m_idle;  // the destructor waits for them
};

}  // namespace instctl::federation
