#pragma once

// A text made at most once per time-to-live and shared by every caller meanwhile: GET /metrics
// keeps the instance's gauges so that scrapes from several Prometheus servers cost one set of
// counting queries. Thread-safe; one caller makes the text while the others wait for it.
//
//   KeptText gauges(std::chrono::seconds(5));
//   std::string text = gauges.get([&] { return make_gauges(); });

#include <chrono>
#include <functional>
#include <mutex>
#include <string>
#include <utility>

namespace instctl::metrics {

class KeptText {
 public:
  using Time = std::chrono::steady_clock::time_point;
  using Now = std::function<Time()>;
  // `now`: the steady clock, or a test's.
  explicit KeptText(std::chrono::steady_clock::duration ttl,
                    Now now = &std::chrono::steady_clock::now)
      : m_ttl(ttl), m_now(std::move(now)) {}

  // The kept text while it is younger than the time-to-live, else make()'s, kept from now on.
  // When make() throws, nothing is kept and the next call tries again.
  std::string get(const std::function<std::string()>& make);

 private:
  const std::chrono::steady_clock::duration m_ttl;
  const Now m_now;
  std::mutex m_mutex;
  std::string m_text;
  Time m_made{};
  bool m_kept = false;
};

}  // namespace instctl::metrics
