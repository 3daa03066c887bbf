#include "instctl/http/readiness.hpp"

#include <atomic>

#include "instctl/db/probe.hpp"

namespace instctl::http {

namespace {
std::atomic<Readiness*> g_current{nullptr};
}  // namespace

Readiness* Readiness::current() { return g_current.load(); }
void Readiness::set_current(Readiness* r) { g_current.store(r); }

Readiness::Readiness(std::string db_path, Options options, Heartbeat delivery, OnProbe on_probe)
    : m_db_path(std::move(db_path)),
      m_options(options),
      m_delivery(std::move(delivery)),
      m_on_probe(std::move(on_probe)) {
  m_thread = std::thread([this] { run(); });
}

Readiness::~Readiness() { stop(); }

void Readiness::stop() {
  {
    std::lock_guard lock(m_mutex);
    m_stopping = true;
  }
  m_cv.notify_all();
  if (m_thread.joinable()) m_thread.join();
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

void Readiness::run() {
  std::unique_ptr<db::Connection> conn;
  while (true) {
    {
      std::lock_guard lock(m_mutex);
      m_probe_started = SteadyClock::now();
    }
    bool ok = true;
    std::string error;
    try {
      if (!conn) conn = db::open_probe_connection(m_db_path);
      db::probe(*conn);
    } catch (const std::exception& e) {
      ok = false;
      error = e.what();
      conn.reset();  // a lost PostgreSQL link: connect again at the next probe
    }
    Verdict verdict;
    {
      std::lock_guard lock(m_mutex);
      m_probe_started.reset();
      m_probed = true;
      m_last_ok = ok;
      verdict = verdict_locked(SteadyClock::now());
    }
    if (m_on_probe) m_on_probe(verdict, error);
    std::unique_lock lock(m_mutex);
    if (m_cv.wait_for(lock, m_options.interval, [this] { return m_stopping; })) return;
  }
}

}  // namespace instctl::http
