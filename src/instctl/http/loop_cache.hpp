#pragma once

// An event loop's answers to repeated requests for public documents (what workers marked
// cacheable), so that a cache hit costs no hand-off to a worker per request. The loop never
// touches the database, so it cannot tell by itself whether an answer is still what the
// database says; a worker can (Worker::data_version). The rule:
//
//   A kept answer, made while worker connection W read version V, answers a request that
//   arrived at time A only after W has read its version again at a time T >= A, found V
//   still, and the answer is less than a second old.
//
// A write that returned before the request was sent (a command in another process) was
// committed before A <= T, so W's reading at T sees it and the version differs: the request
// never gets an answer older than the write. (A window instead, "V was read in the last few
// ms", would answer a request sent right after the write from before it.) Requests that wait
// for the same reading share it: under load one reading serves every request that arrived
// before it was taken, instead of one hand-off each.
//
// On SQLite the loop reads the version itself: instctl's change counter (db::ChangeCounter,
// which every instctl process moves after a commit that changed rows), one load from memory,
// so no request waits for a worker and a hit makes no system call: the loop reads the count
// before it hands a request to a worker (so the worker's answer is at least that fresh) and
// keeps the answer at that count; a later request is answered from it, on the loop that read
// it, if a reading the loop takes after the request arrived still finds that count
// (`find_now`). The rule is the same, the reader being the loop. Writes by other programs do
// not move the counter: they show when the answer expires (ResponseCache::k_max_age).
//
// Only the loop's thread uses a LoopCache; a worker's reading is taken on the worker and
// handed back.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "instctl/http/response_cache.hpp"
#include "instctl/net/http_message.hpp"

namespace instctl::http {

class LoopCache {
 public:
  using Clock = ResponseCache::Clock;
  // A waiting request's continuation: the kept answer, or none (then a worker answers it).
  using Resume = std::function<void(std::optional<Response>)>;

  // A worker connection's version, read at `taken` (the time just before the read); no
  // version when the backend cannot tell (then nothing kept is used).
  struct Reading {
    std::uintptr_t reader = 0;
    std::optional<std::uint64_t> version;
    Clock::time_point taken;
  };

  enum class Wait {
    ask_worker,  // nothing kept for this request: a worker answers it now
    waiting,     // it waits for the reading under way
    read,        // it waits, and a reading must be started (call on_reading with it)
  };

  // A worker's answer to the request `key` names, made at `version` read by `reader`.
  void store(const std::string& key, const Response& res, std::uintptr_t reader,
             std::uint64_t version, Clock::time_point now);

  // A request that arrived at `arrived`: if an answer is kept for it, it waits for a reading.
  Wait wait(const std::string& key, Clock::time_point arrived, Resume resume);

  // A reading came back: requests that arrived before it was taken are resumed, with the kept
  // answer when it was made at that reader's version, else with none. True when requests that
  // arrived since still wait (start another reading).
  bool on_reading(const Reading& reading, Clock::time_point now);

  // The kept answer for `key` if it was made at `version` read by `reader`, whose reading
  // was taken after the request arrived (the loop's own reading).
  std::optional<Response> find_now(const std::string& key, std::uintptr_t reader,
                                   std::uint64_t version, Clock::time_point now) {
    return m_answers.find(key, {version, reader}, now);
  }
  bool holds(const std::string& key) const { return m_answers.holds(key); }

  std::size_t waiting() const { return m_waiting.size(); }

 private:
  struct Waiter {
    std::string key;
    Clock::time_point arrived;
    Resume resume;
  };
  ResponseCache m_answers;
  std::vector<Waiter> m_waiting;
  bool m_reading = false;  // a reading is under way
};

}  // namespace instctl::http
