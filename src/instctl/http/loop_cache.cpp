#include "instctl/http/loop_cache.hpp"

#include <utility>

namespace instctl::http {

void LoopCache::store(const std::string& key, const Response& res, std::uintptr_t reader,
                      std::uint64_t version, Clock::time_point now) {
  m_answers.store(key, res, {version, reader}, now);
}

LoopCache::Wait LoopCache::wait(const std::string& key, Clock::time_point arrived, Resume resume) {
  if (!m_answers.holds(key)) return Wait::ask_worker;
  m_waiting.push_back({key, arrived, std::move(resume)});
  if (m_reading) return Wait::waiting;
  m_reading = true;
  return Wait::read;
}

bool LoopCache::on_reading(const Reading& reading, Clock::time_point now) {
  m_reading = false;
  // Taken out first: a continuation may store an answer or wait again.
  std::vector<Waiter> ready;
  std::vector<Waiter> later;
  for (auto& w : m_waiting) (w.arrived <= reading.taken ? ready : later).push_back(std::move(w));
  m_waiting = std::move(later);
  for (auto& w : ready) {
    std::optional<Response> hit;
    if (reading.version) hit = m_answers.find(w.key, {*reading.version, reading.reader}, now);
    w.resume(std::move(hit));
  }
  if (m_waiting.empty() || m_reading) return false;
  m_reading = true;
  return true;
}

}  // namespace instctl::http
