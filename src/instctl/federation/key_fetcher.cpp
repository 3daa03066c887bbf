#include "instctl/federation/key_fetcher.hpp"

#include <fmt/format.h>

#include <optional>

#include "instctl/federation/url_domain.hpp"
#include "instctl/metrics/instruments.hpp"

namespace instctl::federation {

namespace {

KeyFetch failed(std::string why) {
  KeyFetch k;
  k.key = activitypub::Parsed<SigningKey>::fail(std::move(why));
  k.unreachable = true;
  return k;
}

void call_all(std::vector<KeyFetcher::Done>& done, const KeyFetch& result) {
  for (auto& d : done) d(result);
}

}  // namespace

KeyFetcher::KeyFetcher(Limits limits) : m_limits(limits) {}

// Each fetch ends by its deadline: wait for those still running, which call back into this.
KeyFetcher::~KeyFetcher() {
  std::unique_lock lock(m_mutex);
  m_idle.wait(lock, [this] { return m_running == 0; });
}

KeyFetcher& KeyFetcher::shared() {
  static KeyFetcher fetcher;
  return fetcher;
}

std::size_t KeyFetcher::started() const {
  std::lock_guard lock(m_mutex);
  return m_started;
}

// Hosts that failed long ago and have nothing running or waiting.
void KeyFetcher::prune(Clock::time_point now) {
  for (auto it = m_hosts.begin(); it != m_hosts.end();) {
    const Host& h = it->second;
    if (h.running == 0 && h.waiting.empty() && h.failed_until <= now)
      it = m_hosts.erase(it);
    else
      ++it;
  }
}

std::vector<KeyFetcher::Done> KeyFetcher::take(const std::string& key_id) {
  std::vector<Done> out;
  if (auto it = m_in_flight.find(key_id); it != m_in_flight.end()) {
    out = std::move(it->second);
    m_in_flight.erase(it);
  }
  return out;
}

void KeyFetcher::fetch(KeyFetchOrder order, Done done) {
  const std::string host = url_domain(order.key_id);
  const auto now = Clock::now();
  std::unique_lock lock(m_mutex);
  if (auto it = m_in_flight.find(order.key_id); it != m_in_flight.end()) {
    it->second.push_back(std::move(done));
    return;
  }
  if (m_hosts.size() > k_prune_above) prune(now);
  Host& h = m_hosts[host];
  std::string refused;
  if (h.failed_until > now) {
    refused = fmt::format("the key {} could not be fetched: {} did not answer a moment ago",
                          order.key_id, host);
  } else if (h.running >= m_limits.per_host && m_waiting >= m_limits.max_waiting) {
    refused =
        fmt::format("the key {} could not be fetched: too many key fetches waiting", order.key_id);
  }
  if (!refused.empty()) {
    if (h.running == 0 && h.waiting.empty() && h.failed_until <= now) m_hosts.erase(host);
    lock.unlock();
    metrics::count_key_fetch("refused");
    done(failed(refused));
    return;
  }
  m_in_flight[order.key_id].push_back(std::move(done));
  Job job{std::move(order), now + m_limits.deadline};
  if (h.running < m_limits.per_host) {
    ++h.running;
    ++m_started;
    ++m_running;
    lock.unlock();
    launch(std::move(job));
  } else {
    h.waiting.push_back(std::move(job));
    ++m_waiting;
  }
}

void KeyFetcher::launch(Job job) {
  auto order = std::make_shared<KeyFetchOrder>(job.order);
  try {
    fetch_signing_key_async(net::make_http_client(order->options), order->key_id, order->signer,
                            order->now, job.deadline,
                            [this, order](const KeyFetch& result) { finished(*order, result); });
  } catch (const std::exception& e) {
    finished(*order,
             failed(fmt::format("the key {} could not be fetched: {}", order->key_id, e.what())));
  }
}

void KeyFetcher::finished(const KeyFetchOrder& order, const KeyFetch& fetched) {
  const KeyFetch& result = fetched;
  metrics::count_key_fetch(result.key ? "ok" : "failed");
  const std::string host = url_domain(order.key_id);
  std::optional<Job> next;
  std::vector<Done> done;
  std::vector<std::pair<std::vector<Done>, std::string>> refused;  // waiting for a dead host
  {
    std::lock_guard lock(m_mutex);
    done = take(order.key_id);
    Host& h = m_hosts[host];
    --h.running;
    if (result.unreachable) {
      h.failed_until = Clock::now() + m_limits.retry_after;
      for (auto& w : h.waiting) refused.emplace_back(take(w.order.key_id), w.order.key_id);
      m_waiting -= h.waiting.size();
      h.waiting.clear();
    } else if (!h.waiting.empty()) {
      next = std::move(h.waiting.front());
      h.waiting.pop_front();
      --m_waiting;
      ++h.running;
      ++m_started;
      ++m_running;
    }
    if (h.running == 0 && h.waiting.empty() && h.failed_until <= Clock::now()) m_hosts.erase(host);
  }
  if (next) launch(std::move(*next));
  call_all(done, result);
  for (auto& [callbacks, key_id] : refused) {
    call_all(callbacks,
             failed(fmt::format("the key {} could not be fetched: {} did not answer a moment ago",
                                key_id, host)));
  }
  std::lock_guard lock(m_mutex);
  if (--m_running == 0) m_idle.notify_all();
}

}  // namespace instctl::federation
