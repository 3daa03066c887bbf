#pragma once

// A server thread's copy of the public documents it answered lately (WebFinger, actors,
// NodeInfo, the instance API): the same request is answered again without the database, as
// long as the database has not changed since. Changes made with the command line therefore
// still show at the next request. An entry also expires after a second, for the few answers
// that depend on the time (NodeInfo's active users).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "instctl/http/message.hpp"

namespace instctl::http {

class ResponseCache {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t k_byte_budget = 256 * 1024;  // per thread
  static constexpr std::size_t k_max_body = 16 * 1024;      // larger answers are not kept
  static constexpr std::chrono::milliseconds k_max_age{1000};

  // What a cached answer depends on besides the database: the target, the Host (answers name
  // the instance, and unknown hosts are refused) and the Accept header (actors answer HTML
  // clients with a redirect).
  static std::string key_of(const Request& req);

  // The answer stored under `key` while the database was at `version`, if still fresh.
  std::optional<Response> find(const std::string& key, std::uint64_t version,
                               Clock::time_point now);
  void store(const std::string& key, const Response& res, std::uint64_t version,
             Clock::time_point now);
  std::size_t size() const { return m_entries.size(); }

 private:
  struct Entry {
    Response response;
    std::uint64_t version = 0;
    Clock::time_point stored;
  };
  std::unordered_map<std::string, Entry> m_entries;
  std::size_t m_bytes = 0;
};

}  // namespace instctl::http
