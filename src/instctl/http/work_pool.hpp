#pragma once

// The server's bounded worker pool: a fixed set of threads (an Asio thread_pool), each job
// handed one of the Workers (each with its own database connection) for as long as it runs.
// At most `workers + queue_limit` jobs are accepted at once (running or waiting): beyond,
// submit refuses at once and the server answers 503, rather than queueing without bound.

#include <atomic>
#include <boost/asio/thread_pool.hpp>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "instctl/http/server.hpp"

namespace instctl::http {

class WorkPool {
 public:
  using Job = std::function<void(Worker&)>;

  WorkPool(std::vector<std::unique_ptr<Worker>> workers, std::size_t queue_limit);
  ~WorkPool();
  WorkPool(const WorkPool&) = delete;
  WorkPool& operator=(const WorkPool&) = delete;

  // Runs the job on a worker thread; false (and the job dropped) when the pool is full.
  bool submit(Job job);
  // Jobs accepted and not finished (running or waiting).
  std::size_t in_flight() const { return m_in_flight.load(); }
  // Waits for the jobs accepted so far, then stops the threads.
  void join();

 private:
  Worker& take();
  void give_back(Worker& w);

  std::vector<std::unique_ptr<Worker>> m_workers;
  std::vector<Worker*> m_free;
  std::mutex m_mutex;
  std::condition_variable m_freed;
  const std::size_t m_capacity;
  std::atomic<std::size_t> m_in_flight{0};
  boost::asio::thread_pool m_pool;
};

}  // namespace instctl::http
