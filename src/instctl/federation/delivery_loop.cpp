#include "instctl/federation/delivery_loop.hpp"

#include <fmt/format.h>

#include "instctl/core/env.hpp"
#include "instctl/db/open.hpp"
#include "instctl/federation/delivery_worker.hpp"
#include "instctl/net/http_client.hpp"

namespace instctl::federation {

namespace {
// Small batches, so a stop request is noticed between them.
constexpr std::int64_t k_batch = 20;
// The worker's connection keeps few pages: it reads the queue and little else.
constexpr std::int64_t k_cache_kib = 256;
}  // namespace

DeliveryLoop::DeliveryLoop(std::string db_path, const Clock& clock, Log log,
                           std::chrono::milliseconds idle_poll)
    : m_db_path(std::move(db_path)),
      m_clock(clock),
      m_log(std::move(log)),
      m_idle_poll(idle_poll),
      m_beat(std::chrono::steady_clock::now().time_since_epoch().count()) {
  m_thread = std::thread([this] { run(); });
}

DeliveryLoop::~DeliveryLoop() { stop(); }

void DeliveryLoop::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_cv.notify_all();
  if (m_thread.joinable()) m_thread.join();
}

void DeliveryLoop::beat() {
  m_beat.store(std::chrono::steady_clock::now().time_since_epoch().count());
}

std::optional<std::chrono::steady_clock::time_point> DeliveryLoop::heartbeat() const {
  if (!m_alive.load()) return std::nullopt;
  using C = std::chrono::steady_clock;
  return C::time_point(C::duration(m_beat.load()));
}

bool DeliveryLoop::wait(std::chrono::milliseconds d) {
  std::unique_lock lock(m_mutex);
  return !m_cv.wait_for(lock, d, [this] { return m_stopping; });
}

void DeliveryLoop::run() {
  struct Ended {  // however the thread ends
    std::atomic<bool>& alive;
    ~Ended() { alive.store(false); }
  } ended{m_alive};
  try {
    auto db = db::open(m_db_path, db::OpenMode::existing);
    db->limit_cache(k_cache_kib);
    Env env{*db, m_clock, "serve:delivery"};
    auto client = net::make_http_client(net::client_options(*db));
    DeliveryWorker worker(env, *client);
    while (true) {
      std::chrono::milliseconds pause = m_idle_poll;
      beat();
      try {
        const auto report = worker.run(k_batch, [this](std::size_t) { beat(); });
        if (report.total() > 0) pause = std::chrono::milliseconds(0);
      } catch (const std::exception& e) {
        // A busy or broken database: say so and try again later, never take serve down.
        m_log(fmt::format("delivery: {}", e.what()));
        pause = m_idle_poll * 5;
      }
      if (!wait(pause)) return;
    }
  } catch (const std::exception& e) {
    m_log(fmt::format("delivery worker stopped: {}", e.what()));
  }
}

}  // namespace instctl::federation
