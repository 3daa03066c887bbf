#pragma once

// A server thread's copy of the public documents it answered lately (WebFinger, actors,
// NodeInfo, the instance API): the same request is answered again without the database, as
// long as the database has not changed since. Changes made with the command line therefore
// still show at the next request. An entry also expires after a second, for the few answers
// that depend on the time (NodeInfo's active users). Workers keep one each; so does each event
// loop (LoopCache), whose entries also name the worker connection that read the version.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>

#include "instctl/net/http_message.hpp"

namespace instctl::http {

class ResponseCache {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t k_byte_budget = 256 * 1024;  // per thread
  static constexpr std::size_t k_max_body = 16 * 1024;      // larger answers are not kept
  static constexpr std::chrono::milliseconds k_max_age{1000};

  // The database's version an answer was made at (Connection::data_version), and whose
  // reading it is: SQLite's version is per connection, so versions read by two connections
  // are not compared (0: the cache's owner's own connection).
  struct Stamp {
    Stamp(std::uint64_t v, std::uintptr_t r = 0) : version(v), reader(r) {}  // NOLINT: implicit
    std::uint64_t version;
    std::uintptr_t reader;
    bool operator==(const Stamp&) const = default;
  };

  // What a cached answer depends on besides the database: the target, the Host (answers name
  // the instance, and unknown hosts are refused) and the Accept header (actors answer HTML
  // clients with a redirect).
  static std::string key_of(const Request& req);

  // The answer stored under `key` while the database was at `version`, if still fresh.
  std::optional<Response> find(const std::string& key, Stamp version, Clock::time_point now);
  void store(const std::string& key, const Response& res, Stamp version, Clock::time_point now);
  // Whether an answer is kept for `key` (fresh or not: find decides).
  bool holds(const std::string& key) const { return m_entries.count(key) != 0; }
  std::size_t size() const { return m_entries.size(); }

 private:
  struct Entry {
    Response response;
    Stamp version;
    Clock::time_point stored;
  };
  std::unordered_map<std::string, Entry> m_entries;
  std::size_t m_bytes = 0;
};

}  // namespace instctl::http
