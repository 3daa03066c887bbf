#include "instctl/http/readiness.hpp"

#include <atomic>

#include "instctl/db/probe.hpp"

namespace instctl::http {

namespace {
std::atomic<Readiness*> g_current{nullptr};
}  // namespace

Readiness* Readiness::current() { return g_current.load(); }
void Readiness::set_current(Readiness* r) { g_current.store(r); }

Readiness::Readiness(std::string db_path, Options options, Heartbeat delivery, OnVerdict on_verdict)
    : m_db_path(std::move(db_path)),
      m_options(options),
      m_delivery(std::move(delivery)),
      m_on_verdict(std::move(on_verdict)) {
  m_prober = std::thread([this] { probe_loop(); });
  if (m_on_verdict) m_teller = std::thread([this] { verdict_loop(); });
}

Readiness::~Readiness() { stop(); }

void Readiness::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_cv.notify_all();
  if (m_teller.joinable()) m_teller.join();
  if (m_prober.joinable()) m_prober.join();
}

Readiness::Verdict Readiness::verdict() const {
  std::lock_guard lock(m_mutex);
  return verdict_locked(SteadyClock::now());
}

Readiness::Verdict Readiness::verdict_locked(SteadyClock::time_point now) const {
  const bool overdue = m_probe_started && now - *m_probe_started > m_options.deadline;
  if (overdue || (m_probed && !m_last_ok)) return {false, "database not answering"};
  if (!m_probed) return {false, "starting"};
  if (m_delivery) {
    const auto beat = m_delivery();
    if (!beat) return {false, "delivery worker stopped"};
    if (now - *beat > m_options.delivery_stall) return {false, "delivery worker stalled"};
  }
  return {true, ""};
}

bool Readiness::wait(std::chrono::milliseconds d) {
  std::unique_lock lock(m_mutex);
  return !m_cv.wait_for(lock, d, [this] { return m_stopping; });
}

void Readiness::probe_loop() {
  std::unique_ptr<db::Connection> conn;
  do {
    {
      std::lock_guard lock(m_mutex);
      m_probe_started = SteadyClock::now();
    }
    std::string error;
    try {
      if (!conn) conn = db::open_probe_connection(m_db_path);
      db::probe(*conn);
    } catch (const std::exception& e) {
      error = e.what();
      if (error.empty()) error = "probe failed";
      conn.reset();  // a lost PostgreSQL link: connect again at the next probe
    }
    std::lock_guard lock(m_mutex);
    m_probe_started.reset();
    m_probed = true;
    m_last_ok = error.empty();
    if (!error.empty()) m_last_error = std::move(error);
  } while (wait(m_options.interval));
}

void Readiness::verdict_loop() {
  while (wait(m_options.interval)) {
    Verdict verdict;
    std::string error;
    {
      std::lock_guard lock(m_mutex);
      verdict = verdict_locked(SteadyClock::now());
      if (!verdict.ready) error = m_last_error;
    }
    m_on_verdict(verdict, error);
  }
}

}  // namespace instctl::http
