#include "instctl/http/work_pool.hpp"

#include <boost/asio/post.hpp>

#include "instctl/metrics/instruments.hpp"

namespace instctl::http {

WorkPool::WorkPool(std::vector<std::unique_ptr<Worker>> workers, std::size_t queue_limit)
    : m_workers(std::move(workers)),
      m_capacity(m_workers.size() + queue_limit),
      m_pool(m_workers.size()) {
  for (auto& w : m_workers) m_free.push_back(w.get());
  metrics::watch_work_pool(&m_in_flight, m_workers.size());
}

WorkPool::~WorkPool() {
  join();
  metrics::watch_work_pool(nullptr, 0);
}

bool WorkPool::submit(Job job) {
  if (m_in_flight.fetch_add(1) >= m_capacity) {
    m_in_flight.fetch_sub(1);
    return false;
  }
  boost::asio::post(m_pool, [this, job = std::move(job)] {
    Worker& w = take();
    try {
      job(w);
    } catch (...) {  // jobs answer their own errors; this only keeps the Worker
    }
    give_back(w);
    m_in_flight.fetch_sub(1);
  });
  return true;
}

void WorkPool::join() { m_pool.join(); }

// As many Workers as threads, so one is free whenever a thread starts a job; the wait is only
// a guard.
Worker& WorkPool::take() {
  std::unique_lock lock(m_mutex);
  m_freed.wait(lock, [this] { return !m_free.empty(); });
  Worker* w = m_free.back();
  m_free.pop_back();
  return *w;
}

void WorkPool::give_back(Worker& w) {
  {
    std::lock_guard lock(m_mutex);
    m_free.push_back(&w);
  }
  m_freed.notify_one();
}

}  // namespace instctl::http
