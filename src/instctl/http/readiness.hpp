#pragma once

// Whether `instctl serve` is ready for traffic (/health/ready, systemd's watchdog): the
// database answers a probe (db::probe) within a deadline, and the delivery worker, when serve
// runs one, is alive and has beaten its heartbeat recently.
//
// The probe runs on a thread of its own with its own connection, every `interval`: a database
// that does not answer holds that thread, never a request's worker or an event loop, and a
// probe still running after `deadline` is itself the answer ("database not answering").
// /health/ready only reads the last verdict, so it stays cheap however often a load balancer
// asks.

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

namespace instctl::http {

class Readiness {
 public:
  using SteadyClock = std::chrono::steady_clock;
  struct Options {
    std::chrono::milliseconds interval{1000};  // between two probes
    std::chrono::milliseconds deadline{2000};  // a probe running longer fails readiness
    std::chrono::milliseconds delivery_stall{std::chrono::minutes(5)};  // heartbeat age
  };
  // The delivery worker's last heartbeat; nullopt once it has stopped.
  using Heartbeat = std::function<std::optional<SteadyClock::time_point>()>;
  struct Verdict {
    bool ready = false;
    std::string reason;  // short, for load balancers: "database not answering"
  };
  // Told every `interval`, from a thread of its own (so it is told too while a probe hangs),
  // the verdict and the last failed probe's error (for the error log; never sent to clients).
  using OnVerdict = std::function<void(const Verdict&, const std::string& error)>;

  // Starts the probe's thread, and the verdict's when `on_verdict` is set. An empty
  // `delivery` means serve runs no delivery worker.
  Readiness(std::string db_path, Options options, Heartbeat delivery, OnVerdict on_verdict);
  ~Readiness();
  Readiness(const Readiness&) = delete;
  Readiness& operator=(const Readiness&) = delete;

  Verdict verdict() const;
  // Stops probing (waits for a probe in flight).
  void stop();

  // The instance serve registers while it runs (nullptr otherwise): /health/ready asks it.
  static Readiness* current();
  static void set_current(Readiness* r);

 private:
  void probe_loop();
  void verdict_loop();
  // Waits up to `d`; false when stopping.
  bool wait(std::chrono::milliseconds d);
  Verdict verdict_locked(SteadyClock::time_point now) const;

  std::string m_db_path;
  Options m_options;
  Heartbeat m_delivery;
  OnVerdict m_on_verdict;
  mutable std::mutex m_mutex;
  std::condition_variable m_cv;
  bool m_stopping = false;
  bool m_probed = false;                                   // a probe has finished
  bool m_last_ok = false;                                  // the last finished probe succeeded
  std::string m_last_error;                                // its error when it failed
  std::optional<SteadyClock::time_point> m_probe_started;  // a probe in flight
  std::thread m_prober;
  std::thread m_teller;
};

}  // namespace instctl::http
